"""What keyservice.toml and the site give the running service (KeyService.build): the fixed
`epochs`, https-only provider endpoints on an https deployment, the site's own catalogues on
the service's pages, and the names of everything it keeps in Redis under `key_prefix`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import redis

from site_builder.fp1 import MasterKey
from site_builder.keyservice.config import StoreConfig
from tests.keyservice.fakeidp import FakeProvider
from tests.keyservice.harness import live_harness
from tests.keyservice.processes import redis_server
from tests.keyservice.site import GUARDIAN_PNR, guardian_rid
from tests.keyservice.test_reply_post import envelope


def _released_epochs(body: dict[str, Any]) -> list[str]:
    keys = body["keys"]
    assert isinstance(keys, list)
    return [str(k["epoch"]) for k in keys]


def test_fixed_epochs_in_the_config_are_the_ones_released(
    tmp_path: Path, master: MasterKey
) -> None:
    """The site serves 2026 and 2025; a config naming only 2025 (an operator holding back a
    term) releases the 2025 reader key alone, and without `epochs` both come from the site."""
    with live_harness(tmp_path / "fixed", master, epochs=["2025"]) as harness:
        assert _released_epochs(harness.unlocked()) == ["2025"]
    with live_harness(tmp_path / "site", master) as harness:
        assert _released_epochs(harness.unlocked()) == ["2026", "2025"]


@pytest.mark.parametrize(
    ("public_url", "reason"),
    [
        ("https://familj.example.se", "discovery_insecure_authorization_endpoint"),
        ("HTTPS://Familj.Example.se", "discovery_insecure_authorization_endpoint"),
        (None, None),  # loopback over http: a development provider on http is fine
    ],
)
def test_an_https_deployment_refuses_a_provider_endpoint_on_http(
    tmp_path: Path, master: MasterKey, public_url: str | None, reason: str | None
) -> None:
    """Discovery naming an http endpoint would send the code and client secret in the clear:
    an https deployment refuses the sign-in (its base URL in any case), with the reason in its
    log; a loopback one over http accepts it."""
    fake = FakeProvider(pnr=GUARDIAN_PNR, endpoints_at="http://idp.test")
    with live_harness(tmp_path, master, fake=fake, public_url=public_url) as harness:
        answer = harness.client.get("/auth/login", params={"provider": "eid"})
        (record,) = harness.records()
    assert answer.status_code == 302
    if reason is None:
        assert answer.headers["location"].startswith("http://idp.test/authorize?")
        assert record["outcome"] == "ok"
    else:
        assert answer.headers["location"].endswith("/#/error/failed")
        assert (record["outcome"], record["reason"]) == ("rejected", reason)


def test_the_service_pages_use_the_site_catalogue(tmp_path: Path, master: MasterKey) -> None:
    """A site that words a message its own way (its theme's catalogue) has the service's pages
    say it so too: the 429 a browser gets at sign-in."""
    with live_harness(tmp_path, master, per_address=1) as harness:
        locales = tmp_path / "build" / "site" / "locales"
        locales.mkdir()
        own = {"svcRateTitle": "Kommun A asks you to wait a moment"}
        (locales / "en.json").write_text(json.dumps(own), encoding="utf-8")
        for _ in range(2):
            answer = harness.client.get(
                "/auth/login",
                params={"provider": "eid"},
                headers={"accept-language": "en", "accept": "text/html"},
            )
    assert answer.status_code == 429
    assert "Kommun A asks you to wait a moment" in answer.text


def test_every_key_kept_in_redis_is_under_the_prefix_with_its_release_stable_name(
    tmp_path: Path, master: MasterKey
) -> None:
    """One Redis may serve several sites: every key this service writes starts with its
    `key_prefix`, and each counter has the name every release uses (docs/deploy.md: a rolling
    upgrade's two releases share them, so their limits count together)."""
    rid = guardian_rid(master)
    with redis_server(tmp_path / "redis") as server:
        store = StoreConfig(kind="redis", url=server.url, key_prefix="kommun-a:")
        spool = tmp_path / "spool"
        with live_harness(tmp_path, master, store=store, spool_dir=spool) as harness:
            cap = str(harness.unlocked()["reply"])
            posted = harness.client.post("/auth/reply", json=envelope(cap, rid))
            assert posted.status_code == 201, posted.text
            with redis.Redis.from_url(server.url, decode_responses=True) as client:
                keys = sorted(client.scan_iter())
                lives = {k: client.pttl(k) for k in keys}
    shapes = {
        r"kommun-a:rl:addr:[0-9a-f]{32}",  # the sign-in's address, a keyed hash
        r"kommun-a:nonce\|eid\|[\w-]+",  # the ID token's nonce, used once
        r"kommun-a:handoff\|[\w-]+",  # the handoff, spent
        r"kommun-a:rl:handoff:[\w-]+",  # its attempts
        rf"kommun-a:rl:rid:{rid}",  # the reader's unlocks
        rf"kommun-a:rl:reply:{rid}",  # the reader's replies
    }
    matched = {shape: [k for k in keys if re.fullmatch(shape, k)] for shape in shapes}
    assert all(len(found) == 1 for found in matched.values()), (matched, keys)
    assert len(keys) == len(shapes), keys
    # Each counter lives one window from its first count (read within ms of it): the sign-in
    # window (RateLimitConfig, 60 s), a handoff's 120 s, the replies' hour.
    windows = {"rl:addr:": 60, "rl:rid:": 60, "rl:handoff:": 120, "rl:reply:": 3600}
    for part, seconds in windows.items():
        (life,) = [ms for k, ms in lives.items() if k.startswith(f"kommun-a:{part}")]
        assert (seconds - 5) * 1000 < life <= seconds * 1000, (part, life)
