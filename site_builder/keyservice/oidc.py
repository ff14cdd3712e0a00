"""OpenID Connect client for one provider: discovery, JWKS cache, authorize URL, token exchange.

Network failures raise ProviderUnavailable (the browser sees `unavailable`); protocol failures
raise LoginRejected with a reason for the access log (the browser sees `failed`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc.jwk import KeySet

from site_builder.keyservice.clientauth import client_auth
from site_builder.keyservice.config import ProviderConfig

DISCOVERY_TTL_SECONDS = 3600.0
JWKS_TTL_SECONDS = 3600.0
# Refetch the JWKS for an unknown kid at most this often, so forged kids cannot hammer the IdP.
JWKS_REFETCH_INTERVAL_SECONDS = 60.0


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered with a server error."""


class LoginRejected(Exception):
    """A check failed. `reason` goes to the access log only, never to the browser."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge) per RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _monotonic() -> float:
    # Looked up at each call, so a test that replaces this module's `time` steps the clock of
    # every client the service already built.
    return time.monotonic()


@dataclass
class ProviderClient:
    config: ProviderConfig
    http: httpx.AsyncClient
    # With an https base_url every endpoint must be https too (secret, code and JWKS in clear).
    https_only: bool = False
    # Seconds for the discovery and JWKS cache ages; a test passes its own to step through them.
    clock: Callable[[], float] = _monotonic
    _metadata: dict[str, Any] | None = None
    _metadata_at: float = 0.0
    _jwks: KeySet | None = None
    _jwks_at: float = 0.0
    _jwks_kids: set[str] = field(default_factory=set)

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = await self.http.get(url, timeout=10.0)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(f"{type(exc).__name__} for {url}") from None
        if response.status_code >= 500:
            raise ProviderUnavailable(f"HTTP {response.status_code} from {url}")
        if response.status_code != 200:
            raise LoginRejected(f"provider_http_{response.status_code}")
        try:
            value = response.json()
        except ValueError:
            raise LoginRejected("provider_bad_json") from None
        if not isinstance(value, dict):
            raise LoginRejected("provider_bad_json")
        return value

    @property
    def discovery_url(self) -> str:
        return self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"

    async def get_json(self, url: str) -> dict[str, Any]:
        """GET a JSON object; ProviderUnavailable or LoginRejected."""
        return await self._get_json(url)

    async def metadata(self) -> dict[str, Any]:
        now = self.clock()
        if self._metadata is None or now - self._metadata_at > DISCOVERY_TTL_SECONDS:
            meta = await self._get_json(self.discovery_url)
            if meta.get("issuer") != self.config.issuer:
                raise LoginRejected("discovery_issuer_mismatch")
            self._metadata, self._metadata_at = meta, now
        return self._metadata

    async def _endpoint(self, name: str) -> str:
        value = (await self.metadata()).get(name)
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise LoginRejected(f"discovery_missing_{name}")
        if self.https_only and not value.startswith("https://"):
            raise LoginRejected(f"discovery_insecure_{name}")
        return value

    async def endpoints(self) -> None:
        """Check that discovery names every endpoint the flow uses (LoginRejected if not)."""
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            await self._endpoint(name)

    async def sends_iss(self) -> bool:
        """RFC 9207: the provider says it adds `iss` to its authorization responses."""
        return (await self.metadata()).get("authorization_response_iss_parameter_supported") is True

    async def keys_for(self, kid: str | None) -> KeySet:
        """The provider's JWKS; refetched (rate limited) when `kid` is not in the cached set."""
        now = self.clock()
        stale = self._jwks is None or now - self._jwks_at > JWKS_TTL_SECONDS
        unknown = kid is not None and kid not in self._jwks_kids
        if stale or (unknown and now - self._jwks_at > JWKS_REFETCH_INTERVAL_SECONDS):
            raw = await self._get_json(await self._endpoint("jwks_uri"))
            try:
                keys = KeySet.import_key_set(raw)  # type: ignore[arg-type]
            except Exception:
                raise LoginRejected("jwks_invalid") from None
            self._jwks, self._jwks_at = keys, now
            self._jwks_kids = {str(k.kid) for k in keys.keys if k.kid}
        assert self._jwks is not None
        return self._jwks

    async def authorize_url(
        self, *, redirect_uri: str, state: str, nonce: str, challenge: str
    ) -> str:
        params = {
            "response_type": "code",
            "client_id": self.config.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(self.config.scopes),
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        if self.config.prompt_login:
            params["prompt"] = "login"
        if self.config.request_acr and self.config.acr_values:
            params["acr_values"] = " ".join(self.config.acr_values)
        endpoint = await self._endpoint("authorization_endpoint")
        joiner = "&" if "?" in endpoint else "?"
        return endpoint + joiner + urlencode(params)

    async def exchange_code(self, *, code: str, redirect_uri: str, verifier: str) -> str:
        """Trade the code for tokens; returns the raw ID token."""
        endpoint = await self._endpoint("token_endpoint")
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        extra_form, headers = client_auth(self.config, token_endpoint=endpoint)
        try:
            response = await self.http.post(
                endpoint, data={**form, **extra_form}, headers=headers, timeout=10.0
            )
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(f"{type(exc).__name__} at token endpoint") from None
        if response.status_code >= 500:
            raise ProviderUnavailable(f"HTTP {response.status_code} at token endpoint")
        if response.status_code != 200:
            error = _error_code(response)
            raise LoginRejected(f"token_endpoint_{error}")
        try:
            id_token = response.json().get("id_token")
        except (ValueError, AttributeError):
            raise LoginRejected("token_response_bad_json") from None
        if not isinstance(id_token, str):
            raise LoginRejected("token_response_without_id_token")
        return id_token


def _error_code(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    text = error if isinstance(error, str) else f"http_{response.status_code}"
    return "".join(c for c in text if c.isalnum() or c == "_")[:40]
