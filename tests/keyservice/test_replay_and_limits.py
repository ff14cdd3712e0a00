"""The key service's only state, unit by unit: the replay cache (one-time values until they
expire, fail closed when full) and the fixed-window rate limiter; and which epochs it serves."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from site_builder.keyservice import ratelimit, replay
from site_builder.keyservice.ratelimit import RateLimiter
from site_builder.keyservice.replay import ReplayCache
from site_builder.keyservice.service import site_epochs


def test_a_value_is_claimed_once_until_it_expires() -> None:
    cache = ReplayCache()
    until = time.time() + 60
    assert cache.claim("a", until=until) is True
    assert cache.claim("a", until=until) is False
    assert cache.claim("b", until=until) is True  # another value is its own
    expired = ReplayCache()
    assert expired.claim("c", until=time.time() - 10) is True
    assert expired.claim("c", until=time.time() - 10) is False  # kept at least a second


def test_a_full_cache_forgets_only_expired_values_and_then_fails_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(replay, "MAX_ENTRIES", 4)
    cache = ReplayCache()
    now = time.time()
    cache._until = {"old1": now - 5, "old2": now - 5, "live": now + 60}
    assert cache.claim("new", until=now + 60) is True  # 3 > 4 // 2: the expired two go
    assert set(cache._until) == {"live", "new"}
    assert cache.claim("live", until=now + 60) is False  # the live one was kept
    assert cache.claim("x", until=now + 60) is True  # 3 entries, room for a 4th
    assert cache.claim("y", until=now + 60) is True
    assert cache.claim("z", until=now + 60) is False  # full of live values: refuse, not forget
    assert "z" not in cache._until and "live" in cache._until


def test_the_limiter_counts_per_key_within_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    limiter = RateLimiter(limit=2, window_seconds=60)
    assert [limiter.hit("a"), limiter.hit("a")] == [0, 0]
    assert limiter.hit("a") == 60  # the whole window is left
    assert limiter.hit("b") == 0  # another key counts apart
    clock[0] += 59.5
    assert limiter.hit("a") == 1  # never 0 while limited: at least a second
    clock[0] += 0.5
    assert limiter.hit("a") == 0  # a new window
    assert limiter.hit("a") == 0 and limiter.hit("a") == 60


def test_a_full_limiter_drops_only_finished_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(ratelimit, "MAX_KEYS", 2)
    limiter = RateLimiter(limit=1, window_seconds=60)
    limiter.hit("old")
    clock[0] += 30
    limiter.hit("mid")
    clock[0] += 31  # "old" is 61 s old, "mid" 31 s
    limiter.hit("new")
    limiter.hit("newer")  # 3 keys > 2: the finished window goes, the others stay
    assert set(limiter._windows) == {"mid", "new", "newer"}
    assert limiter.hit("mid") > 0  # still limited: its window was kept


def test_served_epochs_come_from_latest_json_newest_first(tmp_path: Path) -> None:
    assert site_epochs(tmp_path) == []  # no latest.json yet
    (tmp_path / "latest.json").write_text("not json")
    assert site_epochs(tmp_path) == []
    latest = {
        "epoch": "2027",
        "snapshots": [{"epoch": "2027"}, {"epoch": "2026"}, {"epoch": ""}, {"x": 1}, "junk"],
    }
    (tmp_path / "latest.json").write_text(json.dumps(latest))
    assert site_epochs(tmp_path) == ["2027", "2026"]
    (tmp_path / "latest.json").write_text(json.dumps(["2026"]))
    assert site_epochs(tmp_path) == []
