"""The shared store in Redis (or Valkey), for several key-service instances behind one origin.

Each call is one round trip: SET NX PX for a claim, a small Lua script for a fixed-window
counter (INCR, and the expiry set by the first hit only), SET PX / GETDEL for transactions.
Timeouts are short: when Redis is gone the service answers 503 within about a second instead of
hanging, and never releases keys without the single-use check.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from site_builder.keyservice.store import Admission, Hit, StoreUnavailable

# KEYS[1] counter, ARGV[1] window (s): returns {count, milliseconds left in the window}.
_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1] * 1000) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1] * 1000); left = ARGV[1] * 1000 end
return {n, left}
"""
# KEYS: the counters, then the single-use key if any; ARGV: the number of counters, then limit
# and window (s) per counter, then the claim's lifetime (ms). Returns {limited, ms left, claimed}.
_ADMIT = """
local n = tonumber(ARGV[1])
for i = 1, n do
  local limit, window = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]) * 1000
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('PEXPIRE', KEYS[i], window) end
  if count > limit then
    local left = redis.call('PTTL', KEYS[i])
    if left < 0 then redis.call('PEXPIRE', KEYS[i], window); left = window end
    return {i, left, 0}
  end
end
if #KEYS > n then
  if not redis.call('SET', KEYS[n + 1], '1', 'NX', 'PX', tonumber(ARGV[2 * n + 2])) then
    return {0, 0, 0}
  end
end
return {0, 0, 1}
"""
TIMEOUT_SECONDS = 1.0


@dataclass
class RedisStore:
    url: str
    prefix: str = "site-builder:"
    _client: Any = field(default=None, init=False, repr=False)
    _hit: Any = field(default=None, init=False, repr=False)
    _admit: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._client = redis.Redis.from_url(
            self.url,
            socket_timeout=TIMEOUT_SECONDS,
            socket_connect_timeout=TIMEOUT_SECONDS,
            decode_responses=True,
            # One quick retry covers a dropped idle connection; a dead server must fail the
            # request now, not after redis-py's default back-off.
            retry=Retry(NoBackoff(), 1),
        )
        self._hit = self._client.register_script(_HIT)
        self._admit = self._client.register_script(_ADMIT)

    async def _call(self, coroutine: Any) -> Any:
        try:
            return await coroutine
        except (RedisError, OSError) as exc:
            raise StoreUnavailable(f"redis: {type(exc).__name__}") from None

    async def claim(self, key: str, *, ttl: float) -> bool:
        millis = max(1000, int(ttl * 1000))
        done = await self._call(self._client.set(self.prefix + key, "1", nx=True, px=millis))
        return bool(done)

    async def hit(self, key: str, *, limit: int, window: int) -> int:
        count, left = await self._call(self._hit(keys=[self.prefix + key], args=[window]))
        if int(count) <= limit:
            return 0
        return max(1, -(-int(left) // 1000))

    async def admit(self, *, hits: Sequence[Hit], claim: tuple[str, float] | None) -> Admission:
        keys = [self.prefix + hit.key for hit in hits]
        args: list[int] = [len(hits)]
        for hit in hits:
            args += [hit.limit, hit.window]
        if claim is not None:
            keys.append(self.prefix + claim[0])
            args.append(max(1000, int(claim[1] * 1000)))
        limited, left, claimed = await self._call(self._admit(keys=keys, args=args))
        retry = max(1, -(-int(left) // 1000)) if int(limited) else 0
        return Admission(int(limited), retry, bool(int(claimed)))

    async def put(self, key: str, value: str, *, ttl: float) -> None:
        millis = max(1000, int(ttl * 1000))
        await self._call(self._client.set(self.prefix + key, value, px=millis))

    async def take(self, key: str) -> str | None:
        value = await self._call(self._client.getdel(self.prefix + key))
        return None if value is None else str(value)

    async def ping(self) -> None:
        await self._call(self._client.ping())

    async def close(self) -> None:
        with contextlib.suppress(RedisError, OSError):
            await self._client.aclose()
