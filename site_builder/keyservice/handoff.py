"""Encrypted cookies: the browser's pending login states and the handoff.

Both are AES-256-GCM under a key derived from the master key (HKDF info "fp1 service cookie"),
with the cookie's purpose in the AAD so one kind can never be presented as the other. The
transactions themselves (nonce, PKCE verifier) are in the store (transactions.py).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from starlette.responses import Response

from site_builder.fp1 import MasterKey
from site_builder.fp1.encoding import b64u_decode, b64u_encode

LOGIN_COOKIE = "fp_login"
HANDOFF_COOKIE = "fp_handoff"
COOKIE_PATH = "/auth"
Purpose = Literal["login", "handoff", "reply"]


def cookie_key(master: MasterKey) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"fp1 service cookie").derive(
        master.secret
    )


@dataclass(frozen=True)
class CookieSealer:
    key: bytes
    secure: bool

    def seal(self, purpose: Purpose, payload: dict[str, Any], *, max_age: int) -> str:
        body = json.dumps({**payload, "exp": int(time.time()) + max_age}).encode()
        nonce = os.urandom(12)
        ct = AESGCM(self.key).encrypt(nonce, body, b"fp1 cookie|" + purpose.encode())
        return b64u_encode(nonce + ct)

    def open(self, purpose: Purpose, value: str | None) -> dict[str, Any] | None:
        """The payload, or None when missing, forged, of the wrong purpose or expired."""
        if not value:
            return None
        try:
            raw = b64u_decode(value)
            body = AESGCM(self.key).decrypt(raw[:12], raw[12:], b"fp1 cookie|" + purpose.encode())
            payload = json.loads(body)
        except (ValueError, InvalidTag):
            return None
        if not isinstance(payload, dict) or payload.get("exp", 0) < time.time():
            return None
        return payload

    def set(self, response: Response, name: str, value: str, *, max_age: int) -> None:
        # Login: Lax, so it returns with the provider's top-level redirect to /auth/callback.
        # Handoff: Strict, only ever read by the app's same-origin POST /auth/unlock.
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=COOKIE_PATH,
            secure=self.secure,
            httponly=True,
            samesite="lax" if name == LOGIN_COOKIE else "strict",
        )

    def clear(self, response: Response, name: str) -> None:
        response.delete_cookie(
            name,
            path=COOKIE_PATH,
            secure=self.secure,
            httponly=True,
            samesite="lax" if name == LOGIN_COOKIE else "strict",
        )
