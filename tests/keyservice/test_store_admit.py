"""`admit` in both stores (the process's own and the shared one in a real redis-server): a limit
that is exceeded leaves the single-use value unclaimed, so a per-reader 429 never spends the
handoff (test_signin_limits.py checks that end to end with the process's store only)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.keyservice.store import Admission, Hit, MemoryStore, Store
from tests.fresh_loop import run_on_fresh_loop
from tests.keyservice.processes import redis_server


@contextlib.contextmanager
def _store(kind: str, tmp_path: Path) -> Iterator[Store]:
    if kind == "memory":
        yield MemoryStore()
        return
    from site_builder.keyservice.redisstore import RedisStore

    with redis_server(tmp_path / "redis") as server:
        yield RedisStore(url=server.url)


async def _admissions(store: Store) -> list[Admission]:
    claim = ("handoff|jti-1", 60.0)
    over = Hit(key="rl:rid:reader-1", limit=0, window=60)  # this reader's limit is used up
    try:
        return [
            await store.admit(
                hits=[Hit(key="rl:handoff:jti-1", limit=5, window=60), over], claim=claim
            ),
            await store.admit(hits=[], claim=claim),  # the window passed: the handoff is unspent
            await store.admit(hits=[], claim=claim),  # and now spent
        ]
    finally:
        await store.close()


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_a_limited_admission_claims_nothing(kind: str, tmp_path: Path) -> None:
    with _store(kind, tmp_path) as store:
        limited, first, again = run_on_fresh_loop(lambda: _admissions(store))
    assert (limited.limited, limited.claimed) == (2, False)
    assert limited.retry_after >= 1
    assert (first.limited, first.claimed) == (0, True)
    assert (again.limited, again.claimed) == (0, False)
