"""GET /auth/login and GET /auth/callback: the authorization-code flow with PKCE, state, nonce.

The browser only ever sees `/#/unlock` or `/#/error/<cancelled|expired|failed|unavailable>`;
the precise reason goes to the access log.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Literal

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from site_builder.keyservice.accesslog import Outcome
from site_builder.keyservice.handoff import HANDOFF_COOKIE, LOGIN_COOKIE
from site_builder.keyservice.identity import rid_from_claims
from site_builder.keyservice.idtoken import LEEWAY_SECONDS, Expected, verify_id_token
from site_builder.keyservice.oidc import LoginRejected, ProviderUnavailable, pkce_pair
from site_builder.keyservice.ratelimit import too_many
from site_builder.keyservice.service import KeyService

ErrorCode = Literal["cancelled", "expired", "failed", "unavailable"]
_OUTCOME: dict[ErrorCode, Outcome] = {
    "cancelled": "cancelled",
    "expired": "expired",
    "failed": "rejected",
    "unavailable": "unavailable",
}


def _fail(
    service: KeyService, code: ErrorCode, *, provider: str | None, reason: str
) -> RedirectResponse:
    service.log.write(event="login", outcome=_OUTCOME[code], provider=provider, reason=reason)
    response = RedirectResponse(f"/#/error/{code}", status_code=302)
    response.headers["Cache-Control"] = "no-store"
    service.sealer.clear(response, LOGIN_COOKIE)
    return response


async def login(request: Request, service: KeyService) -> Response:
    if retry := service.address_retry_after(request):
        service.log.write(event="login", outcome="rate_limited", reason="per_address")
        return too_many(retry)
    provider_id = request.query_params.get("provider") or service.config.providers[0].id
    client = service.clients.get(provider_id)
    if client is None:
        return _fail(service, "failed", provider=None, reason="unknown_provider")
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    try:
        url = await client.authorize_url(
            redirect_uri=service.redirect_uri_for(request),
            state=state,
            nonce=nonce,
            challenge=challenge,
        )
    except ProviderUnavailable:
        return _fail(service, "unavailable", provider=provider_id, reason="discovery_unreachable")
    except LoginRejected as exc:
        return _fail(service, "failed", provider=provider_id, reason=exc.reason)
    response = RedirectResponse(url, status_code=302)
    response.headers["Cache-Control"] = "no-store"
    txn = {"p": provider_id, "s": state, "n": nonce, "v": verifier}
    max_age = service.config.login_seconds
    service.sealer.set(
        response, LOGIN_COOKIE, service.sealer.seal("login", txn, max_age=max_age), max_age=max_age
    )
    return response


async def callback(request: Request, service: KeyService) -> Response:
    if retry := service.address_retry_after(request):
        service.log.write(event="login", outcome="rate_limited", reason="per_address")
        return too_many(retry)
    params = request.query_params
    txn = service.sealer.open("login", request.cookies.get(LOGIN_COOKIE))
    provider_id = str(txn["p"]) if txn else None
    if params.get("error"):
        if txn is not None and not hmac.compare_digest(str(txn["s"]), params.get("state", "")):
            return _fail(service, "failed", provider=provider_id, reason="state_mismatch")
        cancelled = params.get("error") == "access_denied"
        reason = "provider_error_" + "".join(c for c in params["error"] if c.isalnum() or c == "_")
        code: ErrorCode = "cancelled" if cancelled else "failed"
        return _fail(service, code, provider=provider_id, reason=reason[:60])
    if txn is None or provider_id not in service.clients:
        return _fail(service, "expired", provider=None, reason="login_cookie_missing_or_expired")
    if not hmac.compare_digest(str(txn["s"]), params.get("state", "")):
        return _fail(service, "failed", provider=provider_id, reason="state_mismatch")
    code_param = params.get("code")
    if not code_param:
        return _fail(service, "failed", provider=provider_id, reason="missing_code")
    client = service.clients[provider_id]
    config = client.config
    expected = Expected(
        issuer=config.issuer,
        client_id=config.client_id,
        nonce=str(txn["n"]),
        algorithms=tuple(config.algorithms),
        acr_values=tuple(config.acr_values),
    )
    try:
        id_token = await client.exchange_code(
            code=code_param, redirect_uri=service.redirect_uri_for(request), verifier=str(txn["v"])
        )
        claims = await verify_id_token(
            id_token, expected=expected, keys_for=client.keys_for, now=time.time()
        )
        if not service.replay.claim(
            f"nonce|{provider_id}|{expected.nonce}", until=float(claims["exp"]) + LEEWAY_SECONDS
        ):
            raise LoginRejected("nonce_replayed")
        rid = rid_from_claims(claims, provider=config, master=service.master)
    except ProviderUnavailable:
        return _fail(service, "unavailable", provider=provider_id, reason="token_unreachable")
    except LoginRejected as exc:
        return _fail(service, "failed", provider=provider_id, reason=exc.reason)
    acr = claims.get("acr") if isinstance(claims.get("acr"), str) else None
    service.log.write(event="login", outcome="ok", provider=provider_id, rid=rid, acr=acr)
    handoff = {"rid": rid, "p": provider_id, "acr": acr, "jti": secrets.token_urlsafe(18)}
    max_age = service.config.handoff_seconds
    response = RedirectResponse("/#/unlock", status_code=302)
    response.headers["Cache-Control"] = "no-store"
    service.sealer.clear(response, LOGIN_COOKIE)
    service.sealer.set(
        response,
        HANDOFF_COOKIE,
        service.sealer.seal("handoff", handoff, max_age=max_age),
        max_age=max_age,
    )
    return response
