"""Every way POST /auth/unlock ends after a finished sign-in, as the app and an operator see it:
the status, the JSON body the app acts on, and the one access-log line (docs/operations.md,
"Monitoring": an operator alerts on `unavailable`, `store_unavailable`, `rate_limited`).

Each handoff here is sealed under the service's own cookie key (authentic; only what a test
varies differs), so every refusal below is the service's decision, not a forged cookie's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import MasterKey, reader_id, subject_for_pnr
from site_builder.fp1.wrap import public_key_to_jwk
from site_builder.keyservice.config import StoreConfig
from site_builder.keyservice.handoff import CookieSealer, cookie_key
from tests.keyservice.harness import Harness, live_harness
from tests.keyservice.processes import redis_server
from tests.keyservice.site import OTHER_PARENT_PNR, guardian_rid

DEVICE_KEY_DAYS = 30  # the config's default (fake_config sets no other)


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master) as built:
        yield built


def _jwk() -> dict[str, Any]:
    return public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())


def _handoff(master: MasterKey, jti: str, *, rid: str | None = None, **extra: Any) -> str:
    """An authentic handoff for `rid` (the guardian's by default) from provider `eid`."""
    payload = {"rid": rid or guardian_rid(master), "p": "eid", "acr": None, "jti": jti, **extra}
    return CookieSealer(cookie_key(master), secure=False).seal("handoff", payload, max_age=60)


def _last_record(harness: Harness) -> dict[str, Any]:
    record = harness.records()[-1]
    del record["time"]
    return record


def _record(outcome: str, reason: str | None, *, rid: str | None = None) -> dict[str, Any]:
    """An unlock's access-log line; after a sign-in it names the reader and the provider."""
    who = {"rid": rid, "provider": "eid" if rid else None}
    return {"event": "unlock", **who, "acr": None, "outcome": outcome, "reason": reason}


def _assert_error(answer: httpx.Response, status: int, error: str) -> None:
    assert (answer.status_code, answer.json()) == (status, {"error": error})
    assert answer.headers["cache-control"] == "no-store"


def test_without_its_store_the_service_releases_nothing(tmp_path: Path, master: MasterKey) -> None:
    """The shared store (Redis) holds the single-use check: while it is down an unlock is 503
    `unavailable` with one `store_unavailable` line; a spent handoff is kept there until its
    own `exp`, no longer (Redis's memory does not grow with every unlock for ever)."""
    with redis_server(tmp_path / "redis") as server:
        store_config = StoreConfig(kind="redis", url=server.url)
        with live_harness(tmp_path, master, store=store_config) as harness:
            assert harness.unlock(_handoff(master, "jti-spent"), _jwk()).status_code == 200
            harness.client.get("/auth/login", params={"provider": "eid"})  # counts the address
            # What the store keeps of this handoff: its single use until the handoff's own
            # `exp` (max_age 60 s), its attempts counter for the per-handoff window (120 s).
            # Under these names in every release (docs/deploy.md): during a rolling upgrade
            # both releases' instances share them, so a handoff is still spent only once.
            with redis.Redis.from_url(server.url, decode_responses=True) as store:
                lives = {k: store.pttl(k) for k in store.scan_iter() if "jti-spent" in k}
                every_key = list(store.scan_iter())
            # The per-address counter is kept under a keyed hash: no IP address in the store.
            assert not [k for k in every_key if "127.0.0.1" in k], every_key
            assert [k for k in every_key if re.fullmatch(r"site-builder:rl:addr:[0-9a-f]{32}", k)]
            # …whose key is derived from the master key under its own label, the same in every
            # release: instances of two releases count one address together.
            label = hmac.new(master.secret, b"fp1 service address", hashlib.sha256).digest()
            hashed = hmac.new(label, b"127.0.0.1", hashlib.sha256).hexdigest()[:32]
            assert f"site-builder:rl:addr:{hashed}" in every_key
            spent = lives.pop("site-builder:handoff|jti-spent")
            attempts = lives.pop("site-builder:rl:handoff:jti-spent")
            assert not lives and 55_000 < spent <= 60_000 < attempts <= 120_000, lives
            server.stop()
            down = harness.unlock(_handoff(master, "jti-waiting"), _jwk())
    _assert_error(down, 503, "unavailable")
    assert _last_record(harness) == _record("unavailable", "store_unavailable")


def test_a_release_carries_the_keys_expiry_and_clears_the_handoff(harness: Harness) -> None:
    """The app keeps the reader keys until `expires` (UTC, with its offset, device_key_days
    ahead), the reply capability ends at the same second, and the handoff cookie is cleared
    with the attributes it was set with (Strict, HttpOnly, under /auth)."""
    master, rid = harness.master, guardian_rid(harness.master)
    before = datetime.now().astimezone()
    answer = harness.unlock(_handoff(master, "jti-ok"), _jwk())
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert (body["rid"], body["provider"]) == (rid, "eid")
    expires = datetime.fromisoformat(body["expires"])
    assert expires.utcoffset() == timedelta(0)
    ahead = expires - before
    days = timedelta(days=DEVICE_KEY_DAYS)
    assert days - timedelta(seconds=2) < ahead < days + timedelta(seconds=2)
    reply = CookieSealer(cookie_key(master), secure=False).open("reply", body["reply"])
    assert reply is not None and reply["rid"] == rid
    assert abs(reply["exp"] - expires.timestamp()) <= 1
    (cleared,) = [h.lower() for h in answer.headers.get_list("set-cookie") if "fp_handoff=" in h]
    for part in ("max-age=0", "path=/auth", "httponly", "samesite=strict"):
        assert part in cleared, part
    assert _last_record(harness) == _record("ok", None, rid=rid)


def test_refusals_after_the_sign_in_name_the_reader_and_why(
    harness: Harness, tmp_path: Path
) -> None:
    """A finished sign-in whose unlock is still refused: the app gets the error it acts on, the
    operator a line with the reader's rid, the provider and the reason."""
    master, rid = harness.master, guardian_rid(harness.master)
    rotated = harness.unlock(_handoff(master, "jti-k", k="a-key-id-of-another-build"), _jwk())
    _assert_error(rotated, 401, "signin_required")
    assert _last_record(harness) == _record("rejected", "key_rotated", rid=rid)

    harness.client.cookies.clear()
    large = harness.client.post(
        "/auth/unlock",
        content=json.dumps({"device_key": _jwk(), "pad": "x" * 5000}),
        headers={"cookie": f"fp_handoff={_handoff(master, 'jti-large')}"},
    )
    _assert_error(large, 413, "too_large")
    assert _last_record(harness) == _record("rejected", "body_too_large", rid=rid)

    invalid = harness.unlock(_handoff(master, "jti-invalid"), {"kty": "EC", "crv": "P-256"})
    _assert_error(invalid, 400, "invalid_device_key")
    assert _last_record(harness) == _record("rejected", "invalid_device_key", rid=rid)

    # The site goes live under a key this service does not hold: nothing is released, and the
    # handoff stays unspent (the check comes before the store).
    latest = tmp_path / "build" / "site" / "latest.json"
    latest.write_text(json.dumps({"key_id": "a-key-id-of-another-build"}), encoding="utf-8")
    waiting = _handoff(master, "jti-waiting")
    _assert_error(harness.unlock(waiting, _jwk()), 503, "unavailable")
    assert _last_record(harness) == _record("unavailable", "master_key_mismatch", rid=rid)
    # No latest.json at all (the site is gone): no epoch to serve, nothing released.
    latest.unlink()
    _assert_error(harness.unlock(waiting, _jwk()), 503, "unavailable")
    assert _last_record(harness) == _record("unavailable", "no_epochs_served", rid=rid)


def test_the_reader_limit_counts_each_reader_apart(tmp_path: Path, master: MasterKey) -> None:
    """per_reader counts one reader's unlocks: another reader is not held back by them, and the
    refused one learns when to retry (body and Retry-After) while the operator sees who."""
    other = reader_id(master, subject_for_pnr(OTHER_PARENT_PNR))
    rid = guardian_rid(master)
    with live_harness(tmp_path, master, per_reader=1, window_seconds=60) as harness:
        started = time.monotonic()  # the reader's window opens with the first unlock
        assert harness.unlock(_handoff(master, "jti-1"), _jwk()).status_code == 200
        assert harness.unlock(_handoff(master, "jti-2", rid=other), _jwk()).status_code == 200
        limited = harness.unlock(_handoff(master, "jti-3"), _jwk())
        elapsed = time.monotonic() - started
    retry = int(limited.headers["retry-after"])
    assert 60 - elapsed - 1 <= retry <= 60
    assert limited.status_code == 429
    assert limited.json() == {"error": "rate_limited", "retry_after": retry}
    assert limited.headers["cache-control"] == "no-store"
    assert _last_record(harness) == _record("rate_limited", "per_reader", rid=rid)
