"""Two `serve` processes sharing a real redis-server, as behind a load balancer: a handoff is spent
once across both, a limit counts requests to either, a sign-in may finish on the other one, and
without Redis nothing is unlocked (a clear 503)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1.wrap import public_key_to_jwk
from tests.keyservice.fakeidp import FakeProvider
from tests.keyservice.processes import (
    Deployment,
    Instance,
    RedisServer,
    access_log,
    live_provider,
    redis_server,
    serve_instance,
    sign_in,
    unlock,
    write_config,
)
from tests.keyservice.site import GUARDIAN_PNR
from tests.serve_cli import free_port


@dataclass
class Pair:
    a: Instance
    b: Instance
    fake: FakeProvider
    redis: RedisServer
    log: Path


@contextlib.contextmanager
def two_instances(tmp_path: Path, **rate_limit: int) -> Iterator[Pair]:
    deployment = Deployment.create(tmp_path)
    fake = FakeProvider(pnr=GUARDIAN_PNR)
    port_a = free_port()
    log = tmp_path / "access.jsonl"
    with redis_server(tmp_path / "redis") as redis, live_provider(fake) as issuer:
        config = write_config(
            tmp_path / "keyservice.toml",
            base_url=f"http://127.0.0.1:{port_a}",
            issuer=issuer,
            access_log=log,
            store={"kind": "redis", "url": redis.url},
            **rate_limit,
        )
        with (
            serve_instance(deployment, config=config, port=port_a, name="a") as a,
            serve_instance(deployment, config=config, name="b") as b,
        ):
            yield Pair(a, b, fake, redis, log)


def _jwk() -> dict[str, str]:
    return public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())


def test_a_handoff_spent_on_one_instance_is_refused_on_the_other(tmp_path: Path) -> None:
    with two_instances(tmp_path) as pair:
        # The sign-in starts on A and the provider's redirect lands on B: shared transactions.
        handoff = sign_in(pair.fake, start=pair.a.base_url, finish=pair.b.base_url, code="c1")
        assert unlock(pair.a.base_url, handoff, _jwk()).status_code == 200
        again = unlock(pair.b.base_url, handoff, _jwk())
        assert again.status_code == 401 and again.json() == {"error": "signin_required"}
        assert access_log(pair.log)[-1]["reason"] == "handoff_reused"
        # A callback replayed on the other instance finds its transaction already used.
        login = httpx.get(pair.a.base_url + "/auth/login", params={"provider": "eid"})
        cookie = login.cookies["fp_login"]
        state = httpx.URL(login.headers["location"]).params["state"]
        first = httpx.get(
            pair.b.base_url + "/auth/callback",
            params={"error": "access_denied", "state": state},
            headers={"cookie": f"fp_login={cookie}"},
        )
        assert first.headers["location"] == "/#/error/cancelled"
        replayed = httpx.get(
            pair.a.base_url + "/auth/callback",
            params={"code": "x", "state": state},
            headers={"cookie": f"fp_login={cookie}"},
        )
        assert replayed.headers["location"] == "/#/error/expired"
        assert access_log(pair.log)[-1]["reason"] == "login_transaction_used_or_expired"


def test_a_rate_limit_counts_across_both_instances(tmp_path: Path) -> None:
    with two_instances(tmp_path, per_reader=2) as pair:
        handoffs = [sign_in(pair.fake, start=pair.a.base_url, code=f"c{i}") for i in range(3)]
        assert unlock(pair.a.base_url, handoffs[0], _jwk()).status_code == 200
        assert unlock(pair.b.base_url, handoffs[1], _jwk()).status_code == 200
        limited = unlock(pair.a.base_url, handoffs[2], _jwk())
        assert limited.status_code == 429 and "retry-after" in limited.headers
        assert access_log(pair.log)[-1]["reason"] == "per_reader"


def test_without_redis_nothing_is_unlocked(tmp_path: Path) -> None:
    with two_instances(tmp_path) as pair:
        handoff = sign_in(pair.fake, start=pair.a.base_url, code="c1")
        pair.redis.stop()
        for instance in (pair.a, pair.b):
            answer = unlock(instance.base_url, handoff, _jwk())
            assert answer.status_code == 503
            assert answer.json() == {"error": "unavailable"}
            assert answer.headers["cache-control"] == "no-store"
            assert "content-security-policy" in answer.headers
            login = httpx.get(instance.base_url + "/auth/login", params={"provider": "eid"})
            assert login.status_code == 302
            assert login.headers["location"] == "/#/error/unavailable"
        records = access_log(pair.log)
        assert [r["outcome"] for r in records[-4:]] == ["unavailable"] * 4
        assert {r["reason"] for r in records[-4:]} == {"store_unavailable"}
        assert not any(r["event"] == "unlock" and r["outcome"] == "ok" for r in records)
        for instance in (pair.a, pair.b):
            assert "Traceback" not in instance.log_text()


def test_the_default_memory_store_still_spends_a_handoff_once(tmp_path: Path) -> None:
    """The default store is per process: documented as one instance only (docs/deploy.md)."""
    deployment = Deployment.create(tmp_path)
    fake = FakeProvider(pnr=GUARDIAN_PNR)
    with live_provider(fake) as issuer:
        config = write_config(
            tmp_path / "k.toml",
            base_url="http://127.0.0.1:1",
            issuer=issuer,
            access_log=tmp_path / "log.jsonl",
            store={"kind": "memory"},
        )
        with serve_instance(deployment, config=config) as a:
            handoff = sign_in(fake, start=a.base_url, code="m1")
            assert unlock(a.base_url, handoff, _jwk()).status_code == 200
            assert unlock(a.base_url, handoff, _jwk()).status_code == 401
