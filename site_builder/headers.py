"""The security headers of every response, from `serve` and from the preview alike.

In: the origins a login form may post to, and whether the public origin is https. Out: an ASGI
middleware (`SecurityHeaders`) adding the CSP and the other headers to every response, static or
dynamic. One module, so the preview can never drift from what the published site sends.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(form_origins: Sequence[str]) -> str:
    form_action = " ".join(["'self'", *sorted(set(form_origins))])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; "
        f"form-action {form_action}; frame-ancestors 'none'; object-src 'none'"
    )


class SecurityHeaders:
    """Adds the security headers to every response, static or dynamic, and `no-store` to every
    /auth answer that does not set its own cache policy (a 404, a 405). It is the outermost
    layer: an unexpected error becomes a plain 500 with the same headers and one log line
    naming the exception type, never a traceback (which could quote request data)."""

    def __init__(self, app: ASGIApp, *, csp: str, hsts: bool) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if hsts:  # only when the public origin is https; never on a loopback http demo
            self.headers.append((b"strict-transport-security", b"max-age=63072000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False
        auth = str(scope.get("path", "")).startswith("/auth")

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [*message.get("headers", []), *self.headers]
                if auth and not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception as exc:
            sys.stderr.write(f"error: unexpected {type(exc).__name__} while answering a request\n")
            if started:
                raise  # too late for an answer of our own; the server closes the connection
            answer = PlainTextResponse(
                "Internal error", status_code=500, headers={"Cache-Control": "no-store"}
            )
            await answer(scope, receive, with_headers)
