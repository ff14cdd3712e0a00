"""The key service against a published site sealed under another master key (rotation done
in the wrong order): unlock refuses instead of releasing keys that open nothing, /healthz says
so, and neither answer carries personal data."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import MasterKey
from site_builder.fp1.wrap import public_key_to_jwk
from site_builder.keyservice.sitekey import key_id
from tests.keyservice.harness import handoff_cookie, live_harness


def _swap_key_id(site: Path, value: str) -> None:
    latest_path = site / "latest.json"
    latest = json.loads(latest_path.read_text(encoding="utf-8"))
    latest["key_id"] = value
    latest_path.write_text(json.dumps(latest), encoding="utf-8")


def test_unlock_and_healthz_refuse_while_the_site_has_another_key(
    tmp_path: Path, master: MasterKey
) -> None:
    jwk = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
    with live_harness(tmp_path, master) as harness:
        healthy = harness.client.get("/healthz")
        assert healthy.status_code == 200
        assert healthy.json() == {"status": "ok", "key_id": key_id(master)}
        assert harness.unlock(handoff_cookie(harness.callback(harness.login())), jwk).is_success
        # A build under a rotated key goes live while this service still has the old one.
        _swap_key_id(tmp_path / "build" / "site", key_id(MasterKey.generate()))
        sick = harness.client.get("/healthz")
        refused = harness.unlock(handoff_cookie(harness.callback(harness.login(), code="two")), jwk)
    assert sick.status_code == 503
    assert sick.json() == {"status": "unhealthy", "reason": "master_key_mismatch"}
    assert sick.headers["cache-control"] == "no-store"
    assert refused.status_code == 503 and refused.json() == {"error": "unavailable"}
    last = harness.records()[-1]
    assert (last["event"], last["outcome"], last["reason"]) == (
        "unlock",
        "unavailable",
        "master_key_mismatch",
    )


def test_healthz_without_a_site_is_unhealthy(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master) as harness:
        (tmp_path / "build" / "site" / "latest.json").unlink()
        answer = harness.client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unhealthy", "reason": "no_site"}
