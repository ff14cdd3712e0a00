"""POST /auth/reply: store a family's sealed reply for the school (docs/fp1.md, "Posting a reply").

The service cannot read a reply: it checks the reply capability (issued by /auth/unlock, naming
the rid, expiring with the device key), the size, the per-reader rate and quota, and the shape of
the sealed bytes, then stores it durably in the spool. Log lines carry the rid and a short code.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from site_builder.fp1 import b64u_decode
from site_builder.fp1.reply import ReplyError, check_shape
from site_builder.keyservice.ratelimit import too_many
from site_builder.keyservice.service import KeyService
from site_builder.keyservice.spool import SpoolRefused
from site_builder.keyservice.store import StoreUnavailable

MAX_BODY_BYTES = 64 * 1024
NO_STORE = {"Cache-Control": "no-store"}
# Pseudonyms, unit codes and talk ids only: short, and never a '|' (the AAD's separator).
_PART = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_STATUS = {"duplicate": 409, "quota_exceeded": 429, "unavailable": 503}


def _error(error: str, status: int) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status, headers=NO_STORE)


def _parse(body: bytes) -> dict[str, Any] | None:
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(parsed, dict):
        return None
    fields = ("cap", "unit", "child", "talk", "reply")
    if not all(isinstance(parsed.get(f), str) for f in fields):
        return None
    if not all(_PART.match(parsed[f]) for f in ("unit", "child", "talk")):
        return None
    return parsed


async def post_reply(request: Request, service: KeyService) -> Response:
    log, spool = service.log, service.spool
    origin = request.headers.get("origin")
    if origin is not None and origin != service.origin_for(request):
        log.write(event="reply", outcome="rejected", reason="foreign_origin")
        return _error("forbidden", 403)
    if spool is None:
        log.write(event="reply", outcome="unavailable", reason="no_spool")
        return _error("unavailable", 503)
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
        log.write(event="reply", outcome="rejected", reason="too_large")
        return _error("too_large", 413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            log.write(event="reply", outcome="rejected", reason="too_large")
            return _error("too_large", 413)
    parsed = _parse(body)
    if parsed is None:
        log.write(event="reply", outcome="rejected", reason="invalid_body")
        return _error("invalid_reply", 400)
    cap = service.sealer.open("reply", parsed["cap"])
    if cap is None or not isinstance(cap.get("rid"), str):
        log.write(event="reply", outcome="rejected", reason="capability_invalid")
        return _error("reply_capability_invalid", 401)
    rid = str(cap["rid"])
    try:
        retry = await service.reply_rate.hit(rid) if service.reply_rate else 0
    except StoreUnavailable:
        log.write(event="reply", outcome="unavailable", rid=rid, reason="store_unavailable")
        return _error("unavailable", 503)
    if retry:
        log.write(event="reply", outcome="rate_limited", rid=rid, reason="per_reader")
        return too_many(retry)
    try:
        sealed = b64u_decode(parsed["reply"])
        check_shape(sealed)
    except (ValueError, ReplyError):
        log.write(event="reply", outcome="rejected", rid=rid, reason="not_a_sealed_reply")
        return _error("invalid_reply", 400)
    digest = hashlib.sha256(sealed).hexdigest()
    try:
        stored = spool.store(
            rid=rid,
            digest=digest,
            unit=parsed["unit"],
            child=parsed["child"],
            talk=parsed["talk"],
            reply=parsed["reply"],
        )
    except SpoolRefused as refused:
        if refused.code == "unavailable":
            log.write(event="reply", outcome="unavailable", rid=rid, reason=refused.code)
        else:
            log.write(event="reply", outcome="rejected", rid=rid, reason=refused.code)
        return _error(refused.code, _STATUS[refused.code])
    log.write(event="reply", outcome="ok", rid=rid)
    return JSONResponse({"stored": stored, "id": digest}, status_code=201, headers=NO_STORE)
