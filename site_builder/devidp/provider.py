"""The dev provider's endpoints: discovery, JWKS, authorize (persona picker) and token.

Mounted at `<base>/dev-idp`; the issuer is `<base>/dev-idp`. It refuses any non-loopback issuer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import ECKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from site_builder.devidp.claims import id_token_claims
from site_builder.devidp.clients import DevClient, authenticate
from site_builder.devidp.pages import error_page, picker_page
from site_builder.devidp.personas import Persona, matches
from site_builder.keyservice.service import is_loopback_url

CODE_SECONDS = 60
CANCEL = "__cancel__"
PICKER_LIMIT = 200  # personas listed at once; a search narrows a large register
AUTHORIZE_FIELDS = ("client_id", "redirect_uri", "state", "nonce", "code_challenge")


@dataclass(frozen=True)
class Grant:
    persona: Persona
    client_id: str
    redirect_uri: str
    nonce: str
    challenge: str
    expires: float


@dataclass
class DevProvider:
    issuer: str
    personas: list[Persona]
    clients: dict[str, DevClient]
    signing_key: ECKey = field(
        default_factory=lambda: ECKey.generate_key(
            "P-256",
            parameters={"kid": "dev-" + secrets.token_hex(4), "alg": "ES256", "use": "sig"},
        )
    )
    grants: dict[str, Grant] = field(default_factory=dict)
    seen_assertions: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not is_loopback_url(self.issuer):
            raise ValueError("the development e-ID provider only runs on loopback (127.0.0.1)")

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
            ],
            "scopes_supported": [
                "openid",
                "profile",
                "https://id.oidc.se/scope/naturalPersonNumber",
            ],
            "acr_values_supported": ["http://id.elegnamnden.se/loa/1.0/loa3"],
        }

    def personas_for(self, client: DevClient) -> list[Persona]:
        if client.audience == "student":
            return [p for p in self.personas if p.is_student]
        # e-ID: everyone with a personnummer, students who read their own included.
        return [p for p in self.personas if p.civic_no]

    def forget_expired_grants(self) -> None:
        now = time.time()
        self.grants = {code: g for code, g in self.grants.items() if g.expires >= now}

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"alg": "ES256", "kid": self.signing_key.kid, "typ": "JWT"}
        return jwt.encode(header, claims, self.signing_key, algorithms=["ES256"])


def _checked_request(provider: DevProvider, values: dict[str, str]) -> DevClient | str:
    """The client of a valid authorization request, or what is wrong with it."""
    client = provider.clients.get(values.get("client_id", ""))
    if client is None:
        return "okänd client_id / unknown client_id"
    if values.get("redirect_uri") not in client.redirect_uris:
        return "redirect_uri är inte registrerad / redirect_uri not registered"
    if values.get("code_challenge_method", "S256") != "S256" or not values.get("code_challenge"):
        return "PKCE S256 krävs / PKCE S256 required"
    if not values.get("state") or not values.get("nonce"):
        return "state och nonce krävs / state and nonce required"
    return client


def devidp_app(provider: DevProvider) -> Starlette:
    async def discovery(request: Request) -> Response:
        return JSONResponse(provider.metadata())

    async def jwks(request: Request) -> Response:
        return JSONResponse({"keys": [provider.signing_key.as_dict(private=False)]})

    async def authorize(request: Request) -> Response:
        if request.method == "GET":
            values = dict(request.query_params)
            if values.get("response_type") != "code":
                return HTMLResponse(error_page("response_type=code krävs"), status_code=400)
        else:
            values = {k: str(v) for k, v in (await request.form()).items()}
        checked = _checked_request(provider, values)
        if isinstance(checked, str):
            return HTMLResponse(error_page(checked), status_code=400)
        hidden = {k: values[k] for k in AUTHORIZE_FIELDS}
        if request.method == "GET":
            everyone = provider.personas_for(checked)
            query = values.get("q", "").strip()
            found = [p for p in everyone if matches(p, query)] if query else everyone
            page = picker_page(
                action=provider.issuer + "/authorize",
                hidden=hidden,
                personas=found[:PICKER_LIMIT],
                client_label=checked.client_id,
                search={k: v for k, v in values.items() if k != "q"},
                query=query,
                total=len(found),
            )
            return HTMLResponse(page, headers={"Cache-Control": "no-store"})
        choice = values.get("persona", "")
        persona = next((p for p in provider.personas_for(checked) if p.id == choice), None)
        if choice == CANCEL or persona is None:
            answer = {"error": "access_denied", "state": values["state"]}
        else:
            code = secrets.token_urlsafe(24)
            provider.forget_expired_grants()
            provider.grants[code] = Grant(
                persona=persona,
                client_id=checked.client_id,
                redirect_uri=values["redirect_uri"],
                nonce=values["nonce"],
                challenge=values["code_challenge"],
                expires=time.time() + CODE_SECONDS,
            )
            answer = {"code": code, "state": values["state"]}
        return RedirectResponse(values["redirect_uri"] + "?" + urlencode(answer), status_code=303)

    async def token(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        client = authenticate(
            provider.clients,
            form=form,
            authorization=request.headers.get("authorization"),
            token_endpoint=provider.issuer + "/token",
            seen_assertions=provider.seen_assertions,
        )
        if client is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if form.get("grant_type") != "authorization_code":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        grant = provider.grants.pop(form.get("code", ""), None)  # single use
        verifier = form.get("code_verifier", "").encode("ascii", "replace")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if (
            grant is None
            or grant.expires < time.time()
            or grant.client_id != client.client_id
            or grant.redirect_uri != form.get("redirect_uri")
            or not hmac.compare_digest(challenge.decode(), grant.challenge)
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        claims = id_token_claims(
            grant.persona, issuer=provider.issuer, client=client, nonce=grant.nonce
        )
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.sign(claims),
            },
            headers={"Cache-Control": "no-store"},
        )

    return Starlette(
        routes=[
            Route("/.well-known/openid-configuration", discovery, methods=["GET"]),
            Route("/jwks", jwks, methods=["GET"]),
            Route("/authorize", authorize, methods=["GET", "POST"]),
            Route("/token", token, methods=["POST"]),
        ]
    )
