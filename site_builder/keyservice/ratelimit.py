"""Fixed-window rate limits (per address, per reader, per handoff) kept in the service's store,
answered with a 429: JSON for the app's fetch, a page in the app's style for a browser."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

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


def too_many(retry_after: int) -> JSONResponse:
    return JSONResponse(
        {"error": "rate_limited", "retry_after": retry_after},
        status_code=429,
        headers={"Retry-After": str(retry_after), "Cache-Control": "no-store"},
    )


# The app's own stylesheet and bar, both languages (the page cannot know the app's choice);
# no script, so it needs nothing the CSP forbids.
_PAGE = """<!doctype html>
<html lang="sv" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>För många försök – Skoldokumentation</title>
<link rel="stylesheet" href="/app/app.css">
</head>
<body>
<header class="bar"><div class="bar-inner">
<span class="brand">Skoldokumentation</span></div></header>
<main id="main">
<h1>För många försök just nu</h1>
<p>Det har gjorts många inloggningsförsök från ditt nätverk på kort tid. Vänta {minutes} och
försök igen.</p>
<p><a class="button" href="/">Till startsidan</a></p>
<div lang="en">
<h2>Too many attempts right now</h2>
<p>There have been many sign-in attempts from your network in a short time. Wait {minutes_en}
and try again.</p>
<p><a href="/">Go to the start page</a></p>
</div>
</main>
</body>
</html>
"""


def _wait(seconds: int, *, english: bool) -> str:
    if seconds <= 60:
        return "a minute" if english else "en minut"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes" if english else f"{minutes} minuter"


def too_many_page(retry_after: int) -> HTMLResponse:
    """The 429 a browser gets on a top-level navigation (/auth/login, /auth/callback)."""
    body = _PAGE.replace("{minutes}", _wait(retry_after, english=False)).replace(
        "{minutes_en}", _wait(retry_after, english=True)
    )
    return HTMLResponse(
        body,
        status_code=429,
        headers={"Retry-After": str(retry_after), "Cache-Control": "no-store"},
    )


def too_many_for(request: Request, retry_after: int) -> Response:
    """A page for a navigation (Accept: text/html), JSON for anything else."""
    if "text/html" in request.headers.get("accept", ""):
        return too_many_page(retry_after)
    return too_many(retry_after)
