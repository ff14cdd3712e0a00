"""/auth/notify (the app's consent calls) and /auth/unsubscribe (the mail's one-click link).

The app proves it speaks for a rid with the `consent` token it got at unlock (Authorization:
Bearer); the mail's link carries an `unsubscribe` token (site_builder/notify/tokens.py). Only
the rid and the choice are stored (site_builder/notify/consent.py).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from site_builder.fp1.encoding import b64u_decode
from site_builder.keyservice.config import LOOPBACK_HOSTS
from site_builder.keyservice.ratelimit import too_many
from site_builder.keyservice.service import KeyService
from site_builder.keyservice.store import StoreUnavailable
from site_builder.notify.consent import ConsentStore, ConsentStoreError, PushSubscription
from site_builder.notify.tokens import token_key, verify
from site_builder.notify.vapid import vapid_public_b64u

MAX_BODY_BYTES = 4096
NO_STORE = {"Cache-Control": "no-store"}


def _error(error: str, status: int) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status, headers=NO_STORE)


async def _json_body(request: Request) -> dict[str, Any] | None:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _subscription(rid: str, raw: object) -> PushSubscription | None:
    """A browser PushSubscription.toJSON(), checked: https endpoint (http only on loopback),
    a 65-byte P-256 point and a 16-byte auth secret."""
    if not isinstance(raw, dict) or not isinstance(raw.get("keys"), dict):
        return None
    endpoint, keys = raw.get("endpoint"), raw["keys"]
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not (isinstance(endpoint, str) and isinstance(p256dh, str) and isinstance(auth, str)):
        return None
    parts = urlsplit(endpoint)
    loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    if len(endpoint) > 1000 or not parts.hostname or not (parts.scheme == "https" or loopback):
        return None
    try:
        point, secret = b64u_decode(p256dh), b64u_decode(auth)
    except ValueError:
        return None
    if len(point) != 65 or point[0] != 4 or len(secret) != 16:
        return None
    return PushSubscription(rid=rid, endpoint=endpoint, p256dh=p256dh, auth=auth)


def notify_routes(service: KeyService, *, store: ConsentStore) -> list[BaseRoute]:
    """Routes to put before the /auth mount (a Mount would swallow them)."""
    key = token_key(service.master)
    vapid = vapid_public_b64u(service.master)
    log = service.log

    def reader(request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        return (
            verify(key=key, token=token.strip(), purpose="consent") if scheme == "Bearer" else None
        )

    def change(rid: str, kind: str | None, body: dict[str, Any] | None) -> dict[str, Any] | None:
        """Apply one call (body None: a read); the new state, or None for a bad request."""
        if body is not None:
            if kind == "email" and isinstance(body.get("on"), bool):
                store.set_email(rid, on=body["on"])
            elif kind == "push" and body.get("on") is False:
                store.remove_push(rid)
            elif kind == "push" and (sub := _subscription(rid, body.get("subscription"))):
                store.add_push(sub)
            else:
                return None
        return {**store.choices(rid), "vapid": vapid}

    async def notify(request: Request) -> Response:
        try:
            return await notify_checked(request)
        except StoreUnavailable:  # the rate limits' shared store (Redis) is down
            log.write(event="notify", outcome="unavailable", reason="store_unavailable")
            return _error("unavailable", 503)

    async def notify_checked(request: Request) -> Response:
        if retry := await service.address_retry_after(request):
            return too_many(retry)
        origin = request.headers.get("origin")
        if origin is not None and origin != service.origin_for(request):
            return _error("forbidden", 403)
        rid = reader(request)
        if rid is None:
            log.write(event="notify", outcome="rejected", reason="token_missing_or_invalid")
            return _error("signin_required", 401)
        kind = request.path_params.get("kind")
        body = None
        if request.method != "GET" and (body := await _json_body(request)) is None:
            return _error("invalid_request", 400)
        try:
            # in a worker thread: a database locked by another process waits (up to 5 s)
            # without stalling sign-ins on the event loop
            state = await run_in_threadpool(change, rid, kind, body)
        except ConsentStoreError:
            log.write(event="notify", outcome="unavailable", rid=rid, reason="consent_db_error")
            return _error("unavailable", 503)
        if state is None:
            return _error("invalid_request", 400)
        if body is not None:
            turned = "on" if body.get("on", True) else "off"
            log.write(event="notify", outcome="ok", rid=rid, reason=f"{kind}_{turned}")
        return JSONResponse(state, headers=NO_STORE)

    def page(
        request: Request,
        title: str,
        text: str,
        *,
        status: int = 200,
        form_action: str | None = None,
        button: str | None = None,
    ) -> Response:
        """The unsubscribe link's pages, in the reader's language, Swedish and English."""
        return service.pages.page(
            request,
            title=title,
            text=text,
            status=status,
            form_action=form_action,
            button=button,
            headers=NO_STORE,
        )

    async def unsubscribe(request: Request) -> Response:
        try:
            retry = await service.address_retry_after(request)
        except StoreUnavailable:
            retry = 0  # turning notices off must not depend on the rate limits' store
        if retry:
            # A person followed a mail's link (or a mail client posted it): a page, not JSON.
            log.write(event="unsubscribe", outcome="rate_limited", reason="per_address")
            return service.pages.page(
                request,
                title="svcLaterTitle",
                text="svcLaterText",
                status=429,
                headers={"Retry-After": str(retry), **NO_STORE},
            )
        token = request.query_params.get("t")
        rid = verify(key=key, token=token, purpose="unsubscribe")
        if rid is None:
            log.write(event="unsubscribe", outcome="rejected", reason="token_invalid")
            return page(request, "svcLinkBadTitle", "svcLinkBadText", status=400)
        if request.method == "GET":  # link scanners follow GETs: only a POST changes anything
            return page(
                request,
                "svcUnsubTitle",
                "svcUnsubText",
                form_action=f"/auth/unsubscribe?t={token}",
                button="svcUnsubButton",
            )

        def turn_off() -> None:
            for one in rid.split(","):  # one mail may have gone to two rids of one person
                store.set_email(one, on=False)
                store.remove_push(one)

        try:
            await run_in_threadpool(turn_off)
        except ConsentStoreError:
            log.write(
                event="unsubscribe", outcome="unavailable", rid=rid, reason="consent_db_error"
            )
            return page(request, "svcLaterTitle", "svcLaterText", status=503)
        log.write(event="unsubscribe", outcome="ok", rid=rid)
        return page(request, "svcDoneTitle", "svcDoneText")

    return [
        Route("/auth/notify", notify, methods=["GET"]),
        Route("/auth/notify/{kind:str}", notify, methods=["PUT"]),
        Route("/auth/unsubscribe", unsubscribe, methods=["GET", "POST"]),
    ]
