"""POST /auth/unlock: the reader keys of every served epoch, each wrapped to the device key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from site_builder.fp1 import reader_key
from site_builder.fp1.wrap import public_key_from_jwk, wrap_reader_key
from site_builder.keyservice.handoff import HANDOFF_COOKIE
from site_builder.keyservice.ratelimit import too_many
from site_builder.keyservice.service import KeyService

MAX_BODY_BYTES = 4096
NO_STORE = {"Cache-Control": "no-store"}


def _error(error: str, status: int) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status, headers=NO_STORE)


async def _device_key(request: Request) -> dict[str, Any] | None:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return None
    try:
        parsed = await request.json()
        jwk = parsed.get("device_key") if isinstance(parsed, dict) else None
        if not isinstance(jwk, dict):
            return None
        public_key_from_jwk(jwk)
    except ValueError:
        return None
    # Only the public members travel further; anything else the client sent is dropped.
    return {"kty": "EC", "crv": "P-256", "x": jwk["x"], "y": jwk["y"]}


async def unlock(request: Request, service: KeyService) -> Response:
    log = service.log
    if retry := service.address_retry_after(request):
        log.write(event="unlock", outcome="rate_limited", reason="per_address")
        return too_many(retry)
    origin = request.headers.get("origin")
    if origin is not None and origin != service.origin_for(request):
        log.write(event="unlock", outcome="rejected", reason="foreign_origin")
        return _error("forbidden", 403)
    handoff = service.sealer.open("handoff", request.cookies.get(HANDOFF_COOKIE))
    if handoff is None:
        log.write(event="unlock", outcome="rejected", reason="handoff_missing_or_expired")
        return _error("signin_required", 401)
    rid, provider = str(handoff["rid"]), str(handoff["p"])
    acr = handoff.get("acr") if isinstance(handoff.get("acr"), str) else None
    device_jwk = await _device_key(request)
    if device_jwk is None:  # checked before the handoff is spent, so the app can retry
        log.write(
            event="unlock",
            outcome="rejected",
            provider=provider,
            rid=rid,
            reason="invalid_device_key",
        )
        return _error("invalid_device_key", 400)
    if not service.replay.claim("handoff|" + str(handoff["jti"]), until=float(handoff["exp"])):
        log.write(
            event="unlock", outcome="rejected", provider=provider, rid=rid, reason="handoff_reused"
        )
        return _error("signin_required", 401)
    if retry := service.per_reader.hit("rid:" + rid):
        log.write(
            event="unlock", outcome="rate_limited", provider=provider, rid=rid, reason="per_reader"
        )
        return too_many(retry)
    if problem := service.key_problem():  # reader keys under another key would open nothing
        log.write(event="unlock", outcome="unavailable", provider=provider, rid=rid, reason=problem)
        return _error("unavailable", 503)
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
                reader_key(service.master, epoch=epoch, rid=rid),
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
            "keys": keys,
            "expires": expires.isoformat(timespec="seconds"),
        },
        headers=NO_STORE,
    )
    service.sealer.clear(response, HANDOFF_COOKIE)
    return response
