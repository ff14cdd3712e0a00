"""A provider whose signing the tests control: it mints whatever ID token a test asks for."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from site_builder.fp1 import b64u_encode
from site_builder.keyservice.config import (
    LOA3,
    SWEDISH_PNR_CLAIM,
    KeyServiceConfig,
    Label,
    ProviderConfig,
    RateLimitConfig,
    StoreConfig,
)

ISSUER = "https://idp.test"
CLIENT_ID = "fp-test"
CLIENT_SECRET = "s3cret-for-tests"


def fake_config(
    *,
    base_url: str,
    store: StoreConfig | None = None,
    epochs: list[str] | None = None,
    **rate_limit: int,
) -> KeyServiceConfig:
    provider = ProviderConfig(
        id="eid",
        label=Label(sv="E-legitimation", en="e-ID"),
        issuer=ISSUER,
        client_id=CLIENT_ID,
        auth_method="client_secret_basic",
        client_secret=SecretStr(CLIENT_SECRET),
        algorithms=["ES256", "RS256"],
    )
    return KeyServiceConfig(
        base_url=base_url,
        providers=[provider],
        epochs=epochs,
        rate_limit=RateLimitConfig(**rate_limit),
        store=store or StoreConfig(),
    )


def _b64json(value: dict[str, Any]) -> str:
    return b64u_encode(json.dumps(value).encode())


@dataclass
class FakeProvider:
    pnr: str
    key: ECKey = field(
        default_factory=lambda: ECKey.generate_key("P-256", parameters={"kid": "k1"})
    )
    grants: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> challenge, nonce
    mint: Callable[[FakeProvider, str], str] | None = None
    jwks_fetches: int = 0
    issuer: str = ISSUER  # a live provider on loopback is http://127.0.0.1:<port>
    discovered_issuer: str | None = None  # what discovery claims, when a test wants a mismatch
    iss_supported: bool = False  # RFC 9207 authorization_response_iss_parameter_supported
    down: bool = False  # discovery answers 503 while set
    # Where discovery says the endpoints are; the issuer's own origin when None (an http one,
    # to see which deployments refuse it).
    endpoints_at: str | None = None

    def claims(self, nonce: str) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "opaque-sub",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "acr": LOA3,
            SWEDISH_PNR_CLAIM: self.pnr,
            "given_name": "Annika",
        }

    def sign(self, claims: dict[str, Any], *, key: ECKey | None = None) -> str:
        signer = key or self.key
        return jwt.encode({"alg": "ES256", "kid": signer.kid}, claims, signer)

    def unsigned(self, claims: dict[str, Any]) -> str:
        return f"{_b64json({'alg': 'none', 'kid': 'k1'})}.{_b64json(claims)}."

    def hs256_with_public_key(self, claims: dict[str, Any]) -> str:
        """The classic key-confusion forgery: HMAC keyed with the provider's public key."""
        signing_input = f"{_b64json({'alg': 'HS256', 'kid': 'k1'})}.{_b64json(claims)}"
        secret = self.key.as_pem(private=False)
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{b64u_encode(mac)}"

    def app(self) -> Starlette:
        async def discovery(request: Request) -> Response:
            if self.down:
                return JSONResponse({"error": "down"}, status_code=503)
            at = self.endpoints_at or self.issuer
            meta: dict[str, Any] = {
                "issuer": self.discovered_issuer or self.issuer,
                "authorization_endpoint": at + "/authorize",
                "token_endpoint": at + "/token",
                "jwks_uri": at + "/jwks",
            }
            if self.iss_supported:
                meta["authorization_response_iss_parameter_supported"] = True
            return JSONResponse(meta)

        async def jwks(request: Request) -> Response:
            self.jwks_fetches += 1
            return JSONResponse({"keys": [self.key.as_dict(private=False)]})

        async def token(request: Request) -> Response:
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("authorization") != expected:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            form = await request.form()
            grant = self.grants.pop(str(form.get("code")), None)
            verifier = str(form.get("code_verifier", "")).encode()
            challenge = b64u_encode(hashlib.sha256(verifier).digest())
            if grant is None or grant[0] != challenge:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            nonce = grant[1]
            minted = self.mint(self, nonce) if self.mint else self.sign(self.claims(nonce))
            return JSONResponse({"access_token": "at", "token_type": "Bearer", "id_token": minted})

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/jwks", jwks),
                Route("/token", token, methods=["POST"]),
            ]
        )
