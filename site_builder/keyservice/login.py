"""GET /auth/login and GET /auth/callback: the authorization-code flow with PKCE, state, nonce,
and the RFC 9207 `iss` check.

The browser only ever sees `/#/unlock` or `/#/error/<cancelled|expired|failed|unavailable>`
(or, when its address is over budget, a page saying to wait); the precise reason goes to the
access log.
"""

from __future__ import annotations

import secrets
import time
from typing import Literal

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from site_builder.keyservice import transactions
from site_builder.keyservice.accesslog import Outcome
from site_builder.keyservice.handoff import HANDOFF_COOKIE
from site_builder.keyservice.identity import rid_from_claims
from site_builder.keyservice.idtoken import LEEWAY_SECONDS, Expected, verify_id_token
from site_builder.keyservice.oidc import LoginRejected, ProviderUnavailable, pkce_pair
from site_builder.keyservice.ratelimit import too_many_page
from site_builder.keyservice.service import KeyService
from site_builder.keyservice.sitekey import key_id
from site_builder.keyservice.store import StoreUnavailable

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
    return response


def _limited(request: Request, service: KeyService, retry: int) -> Response:
    service.log.write(event="login", outcome="rate_limited", reason="per_address")
    return too_many_page(request, retry, pages=service.pages)


async def login(request: Request, service: KeyService) -> Response:
    try:
        return await _login(request, service)
    except StoreUnavailable:
        return _fail(service, "unavailable", provider=None, reason="store_unavailable")


async def _login(request: Request, service: KeyService) -> Response:
    if retry := await service.address_retry_after(request):  # each sign-in started counts
        return _limited(request, service, retry)
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
    service.log.write(event="login_start", outcome="ok", provider=provider_id)
    response = RedirectResponse(url, status_code=302)
    response.headers["Cache-Control"] = "no-store"
    txn = transactions.LoginTxn(provider=provider_id, nonce=nonce, verifier=verifier)
    await transactions.begin(service, request, response, state=state, txn=txn)
    return response


async def callback(request: Request, service: KeyService) -> Response:
    try:
        return await _callback(request, service)
    except StoreUnavailable:
        return _fail(service, "unavailable", provider=None, reason="store_unavailable")


async def _refused(
    request: Request, service: KeyService, code: ErrorCode, *, reason: str
) -> Response:
    """A callback that belongs to no sign-in of this browser: it costs the address budget."""
    if retry := await service.address_retry_after(request):
        return _limited(request, service, retry)
    return _fail(service, code, provider=None, reason=reason)


async def _callback(request: Request, service: KeyService) -> Response:
    params = request.query_params
    state = params.get("state", "")
    pending = transactions.pending_states(request, service)
    if pending is None:
        if params.get("error") == "access_denied":  # cancelled, and the cookie is gone too
            return await _refused(
                request, service, "cancelled", reason="provider_error_access_denied"
            )
        return await _refused(request, service, "expired", reason="login_cookie_missing_or_expired")
    if not transactions.started_here(pending, state):
        return await _refused(request, service, "failed", reason="state_mismatch")
    txn = await transactions.take(service, state)
    response = await _finish(request, service, txn)
    transactions.finish(service, response, pending=pending, state=state)
    return response


async def _finish(
    request: Request, service: KeyService, txn: transactions.LoginTxn | None
) -> Response:
    """The callback of a transaction this browser started (already taken from the store)."""
    params = request.query_params
    if txn is None or txn.provider not in service.clients:
        return _fail(service, "expired", provider=None, reason="login_transaction_used_or_expired")
    client = service.clients[txn.provider]
    config = client.config
    iss = params.get("iss")
    try:
        # RFC 9207: the answer names the provider that sent it; a mix-up attack names another.
        if iss is not None and iss != config.issuer:
            raise LoginRejected("iss_mismatch")
        if iss is None and await client.sends_iss():
            raise LoginRejected("iss_missing")
    except ProviderUnavailable:
        return _fail(service, "unavailable", provider=txn.provider, reason="discovery_unreachable")
    except LoginRejected as exc:
        return _fail(service, "failed", provider=txn.provider, reason=exc.reason)
    if params.get("error"):
        cancelled = params.get("error") == "access_denied"
        reason = "provider_error_" + "".join(c for c in params["error"] if c.isalnum() or c == "_")
        code: ErrorCode = "cancelled" if cancelled else "failed"
        return _fail(service, code, provider=txn.provider, reason=reason[:60])
    code_param = params.get("code")
    if not code_param:
        return _fail(service, "failed", provider=txn.provider, reason="missing_code")
    expected = Expected(
        issuer=config.issuer,
        client_id=config.client_id,
        nonce=txn.nonce,
        algorithms=tuple(config.algorithms),
        acr_values=tuple(config.acr_values),
    )
    unreachable = "token_unreachable"
    try:
        id_token = await client.exchange_code(
            code=code_param, redirect_uri=service.redirect_uri_for(request), verifier=txn.verifier
        )
        unreachable = "jwks_unreachable"  # from here on only the provider's keys are fetched
        claims = await verify_id_token(
            id_token, expected=expected, keys_for=client.keys_for, now=time.time()
        )
        ttl = float(claims["exp"]) + LEEWAY_SECONDS - time.time()
        if not await service.store.claim(f"nonce|{txn.provider}|{txn.nonce}", ttl=ttl):
            raise LoginRejected("nonce_replayed")
        master = service.site_master()
        if master is None:  # rids under a key the site does not use would open nothing
            return _fail(
                service, "unavailable", provider=txn.provider, reason="master_key_mismatch"
            )
        rid = rid_from_claims(claims, provider=config, master=master)
    except ProviderUnavailable:
        return _fail(service, "unavailable", provider=txn.provider, reason=unreachable)
    except LoginRejected as exc:
        return _fail(service, "failed", provider=txn.provider, reason=exc.reason)
    acr = claims.get("acr") if isinstance(claims.get("acr"), str) else None
    service.log.write(event="login", outcome="ok", provider=txn.provider, rid=rid, acr=acr)
    handoff = {
        "rid": rid,
        "p": txn.provider,
        "acr": acr,
        "jti": secrets.token_urlsafe(18),
        "k": key_id(master),  # the generation the rid belongs to (a build may swap meanwhile)
    }
    max_age = service.config.handoff_seconds
    response = RedirectResponse("/#/unlock", status_code=302)
    response.headers["Cache-Control"] = "no-store"
    service.sealer.set(
        response,
        HANDOFF_COOKIE,
        service.sealer.seal("handoff", handoff, max_age=max_age),
        max_age=max_age,
    )
    return response
