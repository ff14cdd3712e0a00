"""Fixed-window rate limits (per address, per reader, per handoff) kept in the service's store,
answered with a 429: JSON for the app's fetch, a page in the app's style for a browser."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

from site_builder.keyservice.pages import Pages
from site_builder.keyservice.store import Hit, Store


@dataclass(frozen=True)
class RateLimiter:
    store: Store
    name: str
    limit: int
    window_seconds: int

    def counted(self, key: str) -> Hit:
        """This limit's request for `key`, for Store.admit."""
        return Hit(f"rl:{self.name}:{key}", self.limit, self.window_seconds)

    async def hit(self, key: str) -> int:
        """Count one request for `key`: 0 when allowed, else the seconds until it may retry.
        Raises StoreUnavailable when the shared store cannot be reached."""
        hit = self.counted(key)
        return await self.store.hit(hit.key, limit=hit.limit, window=hit.window)


def address_key(secret: bytes) -> bytes:
    """The key of `address_pseudonym`, derived from the master key: every instance sharing a
    store derives the same one, so they count one address together."""
    return hmac.new(secret, b"fp1 service address", hashlib.sha256).digest()


def address_pseudonym(address: str, *, key: bytes) -> str:
    """What the per-address limit counts under: a keyed hash of the client address, so the
    store (a shared Redis) never holds an IP address — personal data — and a copy of it cannot
    be reversed by hashing every IPv4 address without the master key."""
    return hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def too_many(retry_after: int) -> JSONResponse:
    return JSONResponse(
        {"error": "rate_limited", "retry_after": retry_after},
        status_code=429,
        headers={"Retry-After": str(retry_after), "Cache-Control": "no-store"},
    )


def too_many_page(request: Request, retry_after: int, *, pages: Pages) -> HTMLResponse:
    """The 429 a browser gets on a top-level navigation (/auth/login, /auth/callback): a page in
    the app's style, in the reader's language (Accept-Language), Swedish and English."""
    return pages.page(
        request,
        title="svcRateTitle",
        text="svcRateText",
        n=max(1, -(-retry_after // 60)),  # whole minutes, rounded up
        status=429,
        link_home=True,
        headers={"Retry-After": str(retry_after), "Cache-Control": "no-store"},
    )
