"""POST /auth/unlock: the reader keys of every served epoch, each wrapped to the device key."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from site_builder.fp1 import reader_key
from site_builder.fp1.wrap import public_key_from_jwk, wrap_reader_key
from site_builder.keyservice.handoff import HANDOFF_COOKIE
from site_builder.keyservice.ratelimit import too_many
from site_builder.keyservice.service import KeyService
from site_builder.keyservice.sitekey import key_id
from site_builder.keyservice.store import StoreUnavailable
from site_builder.notify.tokens import notify_token

MAX_BODY_BYTES = 4096
NO_STORE = {"Cache-Control": "no-store"}
# JSON nesting deeper than this is no device key; checked before the parser recurses.
MAX_JSON_DEPTH = 16


class _TooLarge(Exception):
    pass


def _error(error: str, status: int) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status, headers=NO_STORE)


async def _capped_body(request: Request) -> bytes:
    """The body, refused (_TooLarge) on a Content-Length over the cap before anything is read,
    and while streaming once the cap is passed: a chunked body included, nothing larger is ever
    held in memory."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _TooLarge
    return bytes(body)


def _device_key(body: bytes) -> dict[str, Any] | None:
    depth = max_depth = 0
    for byte in body:  # brackets inside strings count too: that only makes the check stricter
        if byte in b"[{":
            depth += 1
            max_depth = max(max_depth, depth)
        elif byte in b"]}":
            depth -= 1
    if max_depth > MAX_JSON_DEPTH:
        return None
    try:
        parsed = json.loads(body)
        jwk = parsed.get("device_key") if isinstance(parsed, dict) else None
        if not isinstance(jwk, dict):
            return None
        public_key_from_jwk(jwk)
    except (ValueError, RecursionError):
        return None
    # Only the public members travel further; anything else the client sent is dropped.
    return {"kty": "EC", "crv": "P-256", "x": jwk["x"], "y": jwk["y"]}


async def unlock(request: Request, service: KeyService) -> Response:
    try:
        return await _unlock(request, service)
    except StoreUnavailable:
        # Without the store there is no single-use check: refuse rather than release keys.
        service.log.write(event="unlock", outcome="unavailable", reason="store_unavailable")
        return _error("unavailable", 503)


def _reject(service: KeyService, reason: str, *, rid: str, provider: str) -> None:
    service.log.write(event="unlock", outcome="rejected", provider=provider, rid=rid, reason=reason)


async def _unlock(request: Request, service: KeyService) -> Response:
    log = service.log
    origin = request.headers.get("origin")
    if origin is not None and origin != service.origin_for(request):
        log.write(event="unlock", outcome="rejected", reason="foreign_origin")
        return _error("forbidden", 403)
    handoff = service.sealer.open("handoff", request.cookies.get(HANDOFF_COOKIE))
    if handoff is None:
        # Only requests without a finished sign-in cost the address budget.
        if retry := await service.address_retry_after(request):
            log.write(event="unlock", outcome="rate_limited", reason="per_address")
            return too_many(retry)
        log.write(event="unlock", outcome="rejected", reason="handoff_missing_or_expired")
        return _error("signin_required", 401)
    rid, provider, jti = str(handoff["rid"]), str(handoff["p"]), str(handoff["jti"])
    acr = handoff.get("acr") if isinstance(handoff.get("acr"), str) else None
    # Before the store: the handoff stays unspent.
    master = service.site_master()
    if master is None:  # reader keys under another key would open nothing
        log.write(
            event="unlock",
            outcome="unavailable",
            provider=provider,
            rid=rid,
            reason="master_key_mismatch",
        )
        return _error("unavailable", 503)
    if handoff.get("k", key_id(master)) != key_id(master):  # a rotated build swapped in since
        log.write(
            event="unlock", outcome="rejected", provider=provider, rid=rid, reason="key_rotated"
        )
        return _error("signin_required", 401)
    try:
        body: bytes | None = await _capped_body(request)
    except _TooLarge:
        body = None
    device_jwk = _device_key(body) if body is not None else None
    per_handoff = service.per_handoff.counted(jti)
    if device_jwk is None:
        # A refused body counts against the handoff but never spends it: the app may retry.
        gate = await service.store.admit(hits=[per_handoff], claim=None)
    else:
        # The reader's limit comes before the handoff is spent: a 429 leaves it usable. One
        # round trip to the store decides both limits and the single use.
        ttl = float(handoff["exp"]) - time.time()
        hits = [per_handoff, service.per_reader.counted(rid)]
        gate = await service.store.admit(hits=hits, claim=("handoff|" + jti, ttl))
    if gate.limited:
        reason = "per_handoff" if gate.limited == 1 else "per_reader"
        log.write(event="unlock", outcome="rate_limited", provider=provider, rid=rid, reason=reason)
        return too_many(gate.retry_after)
    if body is None:
        _reject(service, "body_too_large", rid=rid, provider=provider)
        return _error("too_large", 413)
    if device_jwk is None:
        _reject(service, "invalid_device_key", rid=rid, provider=provider)
        return _error("invalid_device_key", 400)
    if not gate.claimed:
        _reject(service, "handoff_reused", rid=rid, provider=provider)
        return _error("signin_required", 401)
    epochs = service.epochs()
    if not epochs:
        log.write(
            event="unlock",
            outcome="unavailable",
            provider=provider,
            rid=rid,
            reason="no_epochs_served",
        )
        return _error("unavailable", 503)
    keys = [
        {
            "epoch": epoch,
            "wrapped": wrap_reader_key(
                reader_key(master, epoch=epoch, rid=rid),
                device_jwk=device_jwk,
                rid=rid,
                epoch=epoch,
            ),
        }
        for epoch in epochs
    ]
    expires = datetime.now(UTC) + timedelta(days=service.config.device_key_days)
    log.write(event="unlock", outcome="ok", provider=provider, rid=rid, acr=acr)
    response = JSONResponse(
        {
            "rid": rid,
            "provider": provider,
            "key_id": key_id(master),  # the app notices a rotation by latest.json's changing
            "keys": keys,
            "expires": expires.isoformat(timespec="seconds"),
            # The reply capability (POST /auth/reply): this rid, until the device key expires.
            "reply": service.sealer.seal(
                "reply", {"rid": rid}, max_age=service.config.device_key_days * 86400
            ),
            # the app's capability for its consent calls (docs/notify.md), bound to this rid
            "notify": notify_token(service.master, rid=rid, expires=expires.timestamp()),
        },
        headers=NO_STORE,
    )
    service.sealer.clear(response, HANDOFF_COOKIE)
    return response
