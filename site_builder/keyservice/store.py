"""Where the key service keeps its little state: single-use values (handoff ids, nonces), rate
limit counters and pending login transactions.

`MemoryStore` keeps them in the process (one instance); `RedisStore` in a Redis or Valkey
server that every instance behind a load balancer shares, so a handoff is spent once across all
of them and a limit counts requests to any of them. Both answer the same four calls; a store
that cannot be reached raises StoreUnavailable, and the handlers then refuse (503) rather than
release keys without the single-use check.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

MAX_MEMORY_ENTRIES = 200_000


class StoreUnavailable(Exception):
    """The shared store did not answer; nothing was decided."""


class Hit(NamedTuple):
    """One request to count against a fixed-window limit."""

    key: str
    limit: int
    window: int


class Admission(NamedTuple):
    """What `admit` decided: `limited` is the 1-based index of the first limit exceeded (0 for
    none) with its Retry-After; `claimed` whether the single-use value was claimed."""

    limited: int
    retry_after: int
    claimed: bool


class Store(Protocol):
    async def claim(self, key: str, *, ttl: float) -> bool:
        """True the first time `key` is claimed within `ttl` seconds, False on a replay."""

    async def hit(self, key: str, *, limit: int, window: int) -> int:
        """Count one request in the fixed window of `key`: 0 when allowed, else the seconds
        until the window ends (the Retry-After)."""

    async def admit(self, *, hits: Sequence[Hit], claim: tuple[str, float] | None) -> Admission:
        """Count `hits` in order, stopping at the first exceeded; when none is, claim `claim`
        (key, ttl). One round trip: an unlock asks the store once."""

    async def put(self, key: str, value: str, *, ttl: float) -> None:
        """Keep `value` under `key` for `ttl` seconds."""

    async def take(self, key: str) -> str | None:
        """The value under `key`, removed in the same step (so only one caller gets it)."""

    async def close(self) -> None: ...


@dataclass
class MemoryStore:
    """One process's store: a dict of (expiry, value) that forgets expired entries as it grows
    and refuses (fails closed) rather than forget live ones when full."""

    max_entries: int = MAX_MEMORY_ENTRIES
    _entries: dict[str, tuple[float, str | int]] = field(default_factory=dict)

    def _live(self, key: str, now: float) -> tuple[float, str | int] | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= now:
            return None
        return entry

    def _room(self, now: float) -> bool:
        if len(self._entries) >= self.max_entries // 2:
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
        return len(self._entries) < self.max_entries

    async def claim(self, key: str, *, ttl: float) -> bool:
        now = time.monotonic()
        if self._live(key, now) is not None or not self._room(now):
            return False
        self._entries[key] = (now + max(ttl, 1.0), 1)
        return True

    async def hit(self, key: str, *, limit: int, window: int) -> int:
        now = time.monotonic()
        entry = self._live(key, now)
        if entry is None:
            if not self._room(now):
                return window
            entry = (now + window, 0)
        until, count = entry[0], int(entry[1]) + 1
        self._entries[key] = (until, count)
        return 0 if count <= limit else max(1, math.ceil(until - now))

    async def admit(self, *, hits: Sequence[Hit], claim: tuple[str, float] | None) -> Admission:
        for index, hit in enumerate(hits, start=1):
            if retry := await self.hit(hit.key, limit=hit.limit, window=hit.window):
                return Admission(index, retry, False)
        claimed = claim is None or await self.claim(claim[0], ttl=claim[1])
        return Admission(0, 0, claimed)

    async def put(self, key: str, value: str, *, ttl: float) -> None:
        now = time.monotonic()
        if not self._room(now):
            raise StoreUnavailable("the in-process store is full")
        self._entries[key] = (now + ttl, value)

    async def take(self, key: str) -> str | None:
        entry = self._live(key, time.monotonic())
        self._entries.pop(key, None)
        return str(entry[1]) if entry is not None else None

    async def close(self) -> None:
        self._entries.clear()
