"""Signed capabilities bound to one rid: `consent` (the app's consent calls, issued at unlock)
and `unsubscribe` (the one-click link in each mail, RFC 8058).

A token is `<b64u(JSON {"r": rid, "p": purpose, "e": expiry})>.<b64u(HMAC-SHA256)>` under a key
derived from the master key (HKDF info "fp1 notify token"), so the key service and `notify`
(which both hold the master key) agree without sharing any other secret, and the service keeps
no session store. The purpose is inside the MAC: an unsubscribe link cannot set consent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from site_builder.fp1 import MasterKey
from site_builder.fp1.encoding import b64u_decode, b64u_encode

Purpose = Literal["consent", "unsubscribe"]
UNSUBSCRIBE_DAYS = 400  # a mail may be read long after it was sent
MAX_TOKEN_CHARS = 400


def token_key(master: MasterKey) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"fp1 notify token").derive(
        master.secret
    )


def issue(*, key: bytes, rid: str, purpose: Purpose, expires: float) -> str:
    """A token for `rid` and `purpose`, valid until `expires` (unix seconds)."""
    body = b64u_encode(json.dumps({"r": rid, "p": purpose, "e": int(expires)}).encode())
    mac = hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()
    return body + "." + b64u_encode(mac)


def verify(*, key: bytes, token: str | None, purpose: Purpose) -> str | None:
    """The rid, or None when the token is missing, forged, of another purpose or expired."""
    if not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        return None
    body, mac = token.split(".")
    try:
        expected = hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, b64u_decode(mac)):
            return None
        claims = json.loads(b64u_decode(body))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(claims, dict) or claims.get("p") != purpose:
        return None
    rid, expiry = claims.get("r"), claims.get("e")
    if not isinstance(rid, str) or not isinstance(expiry, int) or expiry < time.time():
        return None
    return rid


def unsubscribe_token(*, key: bytes, rids: list[str]) -> str:
    """One link for every rid a mail went to (rids never hold a comma)."""
    return issue(
        key=key,
        rid=",".join(rids),
        purpose="unsubscribe",
        expires=time.time() + UNSUBSCRIBE_DAYS * 86400,
    )


def notify_token(master: MasterKey, *, rid: str, expires: float) -> str:
    """The `consent` token the unlock response gives the app, valid as long as its keys."""
    return issue(key=token_key(master), rid=rid, purpose="consent", expires=expires)
