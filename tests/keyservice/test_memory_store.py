"""The in-process store (one instance without Redis) on a stepped clock: single use for at least
a second, fixed windows with their Retry-After, admit's answer, and a full store that fails
closed (StoreUnavailable, a 503 for the caller) rather than forget a live entry."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from site_builder.keyservice import store as store_module
from site_builder.keyservice.store import Admission, Hit, MemoryStore, StoreUnavailable
from tests.fresh_loop import run_on_fresh_loop


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    stepped = Clock()
    # The store's clock only (asyncio's loop reads time.monotonic too).
    monkeypatch.setattr(store_module, "time", SimpleNamespace(monotonic=stepped, time=time.time))
    return stepped


def test_a_claim_is_single_use_until_its_ttl_and_at_least_a_second(clock: Clock) -> None:
    store = MemoryStore()
    assert run_on_fresh_loop(lambda: store.claim("a", ttl=5)) is True
    assert run_on_fresh_loop(lambda: store.claim("a", ttl=5)) is False
    clock.now += 4.9
    assert run_on_fresh_loop(lambda: store.claim("a", ttl=5)) is False
    clock.now += 0.1  # exactly its ttl: gone
    assert run_on_fresh_loop(lambda: store.claim("a", ttl=0.2)) is True
    clock.now += 0.9
    assert run_on_fresh_loop(lambda: store.claim("a", ttl=0.2)) is False  # kept a whole second
    clock.now += 0.1
    assert run_on_fresh_loop(lambda: store.claim("a", ttl=0.2)) is True


def test_a_window_counts_and_says_when_to_retry(clock: Clock) -> None:
    store = MemoryStore()
    assert [run_on_fresh_loop(lambda: store.hit("k", limit=2, window=60)) for _ in range(3)] == [
        0,
        0,
        60,
    ]
    clock.now += 59.5
    assert (
        run_on_fresh_loop(lambda: store.hit("k", limit=2, window=60)) == 1
    )  # rounded up, at least 1
    clock.now += 0.5
    assert run_on_fresh_loop(lambda: store.hit("k", limit=2, window=60)) == 0  # a new window


def test_admit_names_the_first_limit_exceeded(clock: Clock) -> None:
    store = MemoryStore()
    hits = [Hit("wide", 5, 60), Hit("narrow", 1, 30)]
    assert run_on_fresh_loop(lambda: store.admit(hits=hits, claim=("once", 10))) == Admission(
        0, 0, True
    )
    assert run_on_fresh_loop(lambda: store.admit(hits=hits, claim=("twice", 10))) == Admission(
        2, 30, False
    )
    assert run_on_fresh_loop(lambda: store.admit(hits=[], claim=("once", 10))) == Admission(
        0, 0, False
    )
    assert run_on_fresh_loop(lambda: store.admit(hits=[], claim=None)) == Admission(0, 0, True)


def test_a_full_store_fails_closed_and_forgets_only_expired_entries(clock: Clock) -> None:
    store = MemoryStore(max_entries=4)
    for key in ("a", "b"):
        run_on_fresh_loop(lambda key=key: store.put(key, "value", ttl=1))
    clock.now += 1  # a and b expire exactly now
    for key in ("c", "d", "e", "f"):  # a and b are dropped to make room
        run_on_fresh_loop(lambda key=key: store.put(key, "value", ttl=10))
    with pytest.raises(StoreUnavailable, match=r"^the in-process store is full$"):
        run_on_fresh_loop(lambda: store.put("g", "value", ttl=10))
    assert run_on_fresh_loop(lambda: store.claim("h", ttl=10)) is False  # full: not claimed
    assert (
        run_on_fresh_loop(lambda: store.hit("i", limit=5, window=30)) == 30
    )  # full: counted as over
    assert run_on_fresh_loop(lambda: store.take("c")) == "value"  # live entries were all kept
    assert run_on_fresh_loop(lambda: store.take("a")) is None


def test_claims_and_hits_also_make_room_from_expired_entries(clock: Clock) -> None:
    store = MemoryStore(max_entries=2)
    run_on_fresh_loop(lambda: store.put("a", "value", ttl=1))
    clock.now += 1
    assert run_on_fresh_loop(lambda: store.claim("b", ttl=10)) is True
    assert run_on_fresh_loop(lambda: store.hit("c", limit=1, window=30)) == 0
    store = MemoryStore(max_entries=2)
    run_on_fresh_loop(lambda: store.put("a", "value", ttl=1))
    clock.now += 1
    assert run_on_fresh_loop(lambda: store.hit("c", limit=1, window=30)) == 0
