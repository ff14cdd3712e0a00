"""Login transactions: a few pending sign-ins per browser (two tabs, or back and sign in again).

Each transaction (provider, nonce, PKCE verifier) lives in the store under its `state` for
`login_seconds` and is taken exactly once by the callback — on any instance sharing the store.
The browser's `fp_login` cookie (sealed, HttpOnly, SameSite=Lax) lists the states it started,
the newest MAX_PENDING, so a callback is only accepted in the browser that began it (login CSRF).
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from site_builder.keyservice.handoff import LOGIN_COOKIE
from site_builder.keyservice.service import KeyService

MAX_PENDING = 5


@dataclass(frozen=True)
class LoginTxn:
    provider: str
    nonce: str
    verifier: str


def pending_states(request: Request, service: KeyService) -> list[str] | None:
    """The states this browser started and has not finished, or None without a valid cookie."""
    opened = service.sealer.open("login", request.cookies.get(LOGIN_COOKIE))
    states = opened.get("t") if opened is not None else None
    if not isinstance(states, list):
        return None
    return [s for s in states if isinstance(s, str)][-MAX_PENDING:]


def started_here(pending: list[str], state: str) -> bool:
    return any(hmac.compare_digest(s, state) for s in pending)


async def begin(
    service: KeyService, request: Request, response: Response, *, state: str, txn: LoginTxn
) -> None:
    """Store the transaction and add its state to the browser's cookie."""
    seconds = service.config.login_seconds
    value = json.dumps({"p": txn.provider, "n": txn.nonce, "v": txn.verifier})
    await service.store.put("txn:" + state, value, ttl=seconds)
    states = [*(pending_states(request, service) or []), state][-MAX_PENDING:]
    sealed = service.sealer.seal("login", {"t": states}, max_age=seconds)
    service.sealer.set(response, LOGIN_COOKIE, sealed, max_age=seconds)


async def take(service: KeyService, state: str) -> LoginTxn | None:
    """The transaction of `state`, removed from the store; None when unknown or expired."""
    raw = await service.store.take("txn:" + state)
    if raw is None:
        return None
    try:
        parsed = json.loads(raw)
        return LoginTxn(
            provider=str(parsed["p"]), nonce=str(parsed["n"]), verifier=str(parsed["v"])
        )
    except (ValueError, KeyError, TypeError):
        return None


def finish(service: KeyService, response: Response, *, pending: list[str], state: str) -> None:
    """Drop `state` from the browser's cookie; clear the cookie when nothing is left pending."""
    left = [s for s in pending if not hmac.compare_digest(s, state)]
    if not left:
        service.sealer.clear(response, LOGIN_COOKIE)
        return
    seconds = service.config.login_seconds
    sealed = service.sealer.seal("login", {"t": left}, max_age=seconds)
    service.sealer.set(response, LOGIN_COOKIE, sealed, max_age=seconds)
