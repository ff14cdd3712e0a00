"""A Web Push service on 127.0.0.1 for the tests: checks the VAPID JWT (RFC 8292: ES256 over
the `k` key, `aud` = this origin, `exp` within 24 h, a `sub`) and decrypts the RFC 8291
aes128gcm body with the subscriber's private key and auth secret, as a browser would."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jwt
from joserfc.jwk import ECKey

from site_builder.fp1.encoding import b64u_decode, b64u_encode


@dataclass
class Subscriber:
    """A browser's side of one subscription: its key pair and auth secret."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return b64u_encode(point)


@dataclass
class Delivery:
    path: str
    vapid_key: str  # the `k` the JWT was checked against
    claims: dict[str, Any]
    plaintext: bytes
    ttl: str | None


@dataclass
class PushService:
    origin: str
    subscribers: dict[str, Subscriber] = field(default_factory=dict)  # path → its keys
    gone: set[str] = field(default_factory=set)  # paths answered 410
    delivered: list[Delivery] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"


def _verify(service: PushService, path: str, headers: Any, body: bytes) -> Delivery:
    scheme, _, params = headers.get("Authorization", "").partition(" ")
    assert scheme == "vapid", "Authorization must be 'vapid t=..., k=...'"
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    point = b64u_decode(parts["k"])
    assert len(point) == 65 and point[0] == 4
    jwk = {"kty": "EC", "crv": "P-256", "x": b64u_encode(point[1:33]), "y": b64u_encode(point[33:])}
    token = jwt.decode(parts["t"], ECKey.import_key(jwk), algorithms=["ES256"])
    claims = dict(token.claims)
    assert claims["aud"] == service.origin, claims
    assert time.time() < int(claims["exp"]) <= time.time() + 86400
    assert str(claims["sub"]).startswith(("mailto:", "https:"))
    assert headers.get("Content-Encoding") == "aes128gcm"
    subscriber = service.subscribers[path]
    plain = http_ece.decrypt(
        body, private_key=subscriber.key, auth_secret=subscriber.auth, version="aes128gcm"
    )
    return Delivery(path, parts["k"], claims, plain, headers.get("TTL"))


@contextlib.contextmanager
def push_service() -> Iterator[PushService]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    service = PushService(origin=f"http://127.0.0.1:{server.server_address[1]}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path in service.gone:
                self.send_response(410)
            else:
                try:
                    service.delivered.append(_verify(service, self.path, self.headers, body))
                    self.send_response(201)
                except Exception as exc:  # any check failing: the test sees why
                    service.rejected.append(f"{self.path}: {exc!r}")
                    self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
