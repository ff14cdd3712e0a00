"""Fixed-window rate limits per client address and per reader, answered with a clear 429."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from starlette.responses import JSONResponse

MAX_KEYS = 100_000


@dataclass
class RateLimiter:
    limit: int
    window_seconds: int
    _windows: dict[str, tuple[float, int]] = field(default_factory=dict)

    def hit(self, key: str) -> int:
        """0 when allowed, else the seconds until the caller may try again."""
        now = time.monotonic()
        if len(self._windows) > MAX_KEYS:
            self._windows = {
                k: v for k, v in self._windows.items() if now - v[0] < self.window_seconds
            }
        start, count = self._windows.get(key, (now, 0))
        if now - start >= self.window_seconds:
            start, count = now, 0
        if count >= self.limit:
            return max(1, math.ceil(start + self.window_seconds - now))
        self._windows[key] = (start, count + 1)
        return 0


def too_many(retry_after: int) -> JSONResponse:
    return JSONResponse(
        {"error": "rate_limited", "retry_after": retry_after},
        status_code=429,
        headers={"Retry-After": str(retry_after), "Cache-Control": "no-store"},
    )
