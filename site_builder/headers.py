"""The security headers of every response, from `serve` and from the preview alike.

In: the origins a login form may post to, and whether the public origin is https. Out: an ASGI
middleware (`SecurityHeaders`) adding the CSP and the other headers to every response, static or
dynamic. One module, so the preview can never drift from what the published site sends.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(form_origins: Sequence[str]) -> str:
    form_action = " ".join(["'self'", *sorted(set(form_origins))])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; "
        f"form-action {form_action}; frame-ancestors 'none'; object-src 'none'"
    )


class SecurityHeaders:
    """Adds the security headers to every response, static or dynamic."""

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

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, with_headers)
