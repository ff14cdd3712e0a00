"""The key service against the published site's key generation (latest.json `key_id`): it
refuses to release keys under a key the site does not use, /healthz says so, and during a key
rotation it holds the new and the retired key and follows the site from one to the other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import MasterKey, keyring_blob_id, open_json, reader_key
from site_builder.fp1.wrap import public_key_to_jwk, unwrap_reader_key
from site_builder.keyservice.sitekey import key_id, key_problem, published_key_id, site_master
from tests.keyservice.harness import Harness, handoff_cookie, live_harness
from tests.keyservice.site import EPOCH, SEQ, guardian_rid


def _swap_key_id(site: Path, value: str) -> None:
    """What a build under another key does to latest.json (the rest is not needed here)."""
    latest_path = site / "latest.json"
    latest = json.loads(latest_path.read_text(encoding="utf-8"))
    latest["key_id"] = value
    latest_path.write_text(json.dumps(latest), encoding="utf-8")


def _device() -> tuple[Any, dict[str, Any]]:
    private = ec.generate_private_key(ec.SECP256R1())
    return private, public_key_to_jwk(private.public_key())


def _sign_in(harness: Harness, code: str) -> str:
    return handoff_cookie(harness.callback(harness.login(), code=code))


def test_unlock_and_healthz_refuse_while_the_site_has_another_key(
    tmp_path: Path, master: MasterKey
) -> None:
    _, jwk = _device()
    with live_harness(tmp_path, master) as harness:
        healthy = harness.client.get("/healthz")
        assert healthy.status_code == 200
        assert healthy.json() == {"status": "ok", "key_id": key_id(master)}
        first = harness.unlock(_sign_in(harness, "one"), jwk)
        assert first.status_code == 200 and first.json()["key_id"] == key_id(master)
        waiting = _sign_in(harness, "two")
        # A build under a rotated key goes live while this service has only the old one.
        _swap_key_id(tmp_path / "build" / "site", key_id(MasterKey.generate()))
        sick = harness.client.get("/healthz")
        refused = harness.unlock(waiting, jwk)
        refused_log = harness.records()[-1]
        callback = harness.callback(harness.login(), code="three")
    assert sick.status_code == 503
    assert sick.json() == {"status": "unhealthy", "reason": "master_key_mismatch"}
    assert sick.headers["cache-control"] == "no-store"
    assert refused.status_code == 503 and refused.json() == {"error": "unavailable"}
    assert (refused_log["event"], refused_log["outcome"], refused_log["reason"]) == (
        "unlock",
        "unavailable",
        "master_key_mismatch",
    )
    assert callback.headers["location"] == "/#/error/unavailable"
    assert harness.last_reason() == "master_key_mismatch"


def test_the_overlap_follows_the_site_from_the_retired_key_to_the_new(tmp_path: Path) -> None:
    old, new = MasterKey.generate(), MasterKey.generate()
    device, jwk = _device()
    with live_harness(tmp_path, new, retired=old) as harness:
        # `keys rotate` done and the service restarted; the site is still the old generation.
        assert harness.client.get("/healthz").json() == {"status": "ok", "key_id": key_id(old)}
        answer = harness.unlock(_sign_in(harness, "one"), jwk).json()
        before_build = _sign_in(harness, "two")
        _swap_key_id(tmp_path / "build" / "site", key_id(new))  # the build goes live
        stale = harness.unlock(before_build, jwk)
        stale_reason = harness.last_reason()
        after = harness.unlock(_sign_in(harness, "three"), jwk).json()
        health = harness.client.get("/healthz").json()
    # Under the old generation: the old rid, and a reader key that opens the old keyring.
    assert answer["key_id"] == key_id(old) and answer["rid"] == guardian_rid(old)
    entry = next(k for k in answer["keys"] if k["epoch"] == EPOCH)
    unwrapped = unwrap_reader_key(entry["wrapped"], device=device, rid=answer["rid"], epoch=EPOCH)
    assert unwrapped == reader_key(old, epoch=EPOCH, rid=guardian_rid(old))
    ring = tmp_path / "build" / "site" / "s" / str(SEQ) / "k" / f"{guardian_rid(old)}.bin"
    assert open_json(
        ring.read_bytes(),
        key=unwrapped,
        kind="keyring",
        blob_id=keyring_blob_id(guardian_rid(old), SEQ),
    )
    # A sign-in finished under the old generation cannot fetch keys of the new one.
    assert stale.status_code == 401 and stale_reason == "key_rotated"
    assert after["key_id"] == key_id(new) and after["rid"] == guardian_rid(new)
    assert health == {"status": "ok", "key_id": key_id(new)}


def test_healthz_without_a_site_is_unhealthy(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master) as harness:
        (tmp_path / "build" / "site" / "latest.json").unlink()
        answer = harness.client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unhealthy", "reason": "no_site"}


def test_which_key_a_site_is_sealed_under(tmp_path: Path) -> None:
    """latest.json's key_id picks the key; a site naming none takes the newest; a latest.json
    that is not an object, or a key_id that is not text, names none; no keys, no key."""
    new, old = MasterKey.generate(), MasterKey.generate()
    latest = tmp_path / "latest.json"
    assert site_master(tmp_path, [new, old]) is new  # no site yet
    assert site_master(tmp_path, []) is None
    latest.write_text(json.dumps({"key_id": key_id(old)}), encoding="utf-8")
    assert published_key_id(tmp_path) == key_id(old)
    assert site_master(tmp_path, [new, old]) is old
    assert key_problem(tmp_path, [new, old]) is None
    assert key_problem(tmp_path, [new]) == "master_key_mismatch"
    for odd in ([key_id(old)], {"key_id": 7}, "text"):
        latest.write_text(json.dumps(odd), encoding="utf-8")
        assert published_key_id(tmp_path) is None
