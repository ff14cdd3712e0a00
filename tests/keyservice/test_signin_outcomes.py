"""Every way GET /auth/login and GET /auth/callback end, as the browser and an operator see them:
the status, the exact Location the app reads (`/#/unlock` or `/#/error/<code>`), Cache-Control,
the handoff cookie's content, and the one access-log line with its provider, rid, acr, outcome
and reason (docs/operations.md, "Monitoring").

The provider is the in-process fake behind a network that a test can cut per path; the store is
the in-process one, observed (or made to fail) where the callback calls it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from site_builder.fp1 import MasterKey
from site_builder.keyservice import oidc
from site_builder.keyservice.config import KeyServiceConfig
from site_builder.keyservice.handoff import CookieSealer, cookie_key
from site_builder.keyservice.idtoken import LEEWAY_SECONDS
from site_builder.keyservice.sitekey import key_id
from site_builder.keyservice.store import MemoryStore, StoreUnavailable
from tests.keyservice import harness as harness_module
from tests.keyservice.fakeidp import LOA3, fake_config
from tests.keyservice.harness import Harness, Txn, handoff_cookie, live_harness
from tests.keyservice.site import guardian_rid


@dataclass
class Network(httpx.AsyncBaseTransport):
    """The fake provider's network: records each request; a path in `cut` refuses to connect."""

    inner: httpx.AsyncBaseTransport | None = None
    cut: set[str] = field(default_factory=set)
    sent: list[tuple[str, bytes]] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.url.path, await request.aread()))
        if request.url.path in self.cut:
            raise httpx.ConnectError("connection refused", request=request)
        assert self.inner is not None
        return await self.inner.handle_async_request(request)


@dataclass
class Setup:
    harness: Harness
    network: Network
    site: Path


@pytest.fixture
def setup(tmp_path: Path, master: MasterKey) -> Iterator[Setup]:
    network = Network()
    with live_harness(tmp_path, master, transport=network) as harness:
        network.inner = httpx.ASGITransport(app=harness.fake.app())
        yield Setup(harness=harness, network=network, site=tmp_path / "build" / "site")


def _line(
    outcome: str,
    reason: str | None,
    *,
    provider: str | None = "eid",
    rid: str | None = None,
    acr: str | None = None,
) -> dict[str, Any]:
    """A login's access-log line as docs/operations.md lists its fields."""
    return {
        "event": "login",
        "rid": rid,
        "provider": provider,
        "acr": acr,
        "outcome": outcome,
        "reason": reason,
    }


def _last_line(harness: Harness) -> dict[str, Any]:
    record = harness.records()[-1]
    del record["time"]
    return record


def _assert_error(response: httpx.Response, code: str) -> None:
    """The app's error route, never cached, with no body and no handoff."""
    assert response.status_code == 302
    assert response.headers["location"] == f"/#/error/{code}"
    assert response.headers["cache-control"] == "no-store"
    assert response.text == ""
    assert not any(h.startswith("fp_handoff=") for h in response.headers.get_list("set-cookie"))


def _answer(harness: Harness, txn: Txn, **params: str) -> httpx.Response:
    """The provider's redirect back to this browser's sign-in with exactly `params` (+ state)."""
    harness.client.cookies.clear()
    return harness.client.get(
        "/auth/callback",
        params={"state": txn.state, **params},
        headers={"cookie": f"fp_login={txn.cookie}"},
    )


def test_a_sign_in_answers_unlock_with_a_handoff_and_one_ok_line(
    setup: Setup, master: MasterKey
) -> None:
    harness = setup.harness
    response = harness.callback(harness.login())
    assert response.status_code == 302
    assert response.headers["location"] == "/#/unlock"
    assert response.headers["cache-control"] == "no-store"
    rid = guardian_rid(master)
    assert _last_line(harness) == _line("ok", None, rid=rid, acr=LOA3)
    handoff = CookieSealer(cookie_key(master), secure=False).open(
        "handoff", handoff_cookie(response)
    )
    assert handoff is not None
    jti = handoff.pop("jti")
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", jti)  # 18 random bytes: 144 bits, never guessed
    assert handoff.pop("exp") <= time.time() + 60
    assert handoff == {"rid": rid, "p": "eid", "acr": LOA3, "k": key_id(master)}
    # The code goes to the token endpoint with the redirect_uri the authorization request named.
    (form,) = [body for path, body in setup.network.sent if path == "/token"]
    base = str(harness.client.base_url).rstrip("/")
    assert parse_qs(form.decode())["redirect_uri"] == [base + "/auth/callback"]


def test_an_acr_that_is_not_a_string_is_neither_logged_nor_handed_on(
    tmp_path: Path, master: MasterKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A student provider may accept any acr (no acr_values): what is not a string is dropped."""

    def student_config(**args: Any) -> KeyServiceConfig:
        config = fake_config(**args)
        provider = config.providers[0].model_copy(update={"audience": "student", "acr_values": []})
        return config.model_copy(update={"providers": [provider]})

    monkeypatch.setattr(harness_module, "fake_config", student_config)
    with live_harness(tmp_path, master) as harness:
        harness.fake.mint = lambda fake, nonce: fake.sign({**fake.claims(nonce), "acr": 3})
        response = harness.callback(harness.login())
    assert response.headers["location"] == "/#/unlock"
    assert _last_line(harness) == _line("ok", None, rid=guardian_rid(master))
    handoff = CookieSealer(cookie_key(master), secure=False).open(
        "handoff", handoff_cookie(response)
    )
    assert handoff is not None and handoff["acr"] is None


def test_the_nonce_is_remembered_while_its_token_is_accepted(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nonce is claimed in the store until the ID token's exp plus the leeway (the longest
    the token verifies), and a nonce the store has seen is refused."""
    harness = setup.harness
    exp = int(time.time()) + 200
    harness.fake.mint = lambda fake, nonce: fake.sign({**fake.claims(nonce), "exp": exp})
    claims: list[tuple[str, float]] = []
    real_claim = MemoryStore.claim

    async def claim(self: MemoryStore, key: str, *, ttl: float) -> bool:
        claims.append((key, ttl))
        return await real_claim(self, key, ttl=ttl)

    monkeypatch.setattr(MemoryStore, "claim", claim)
    txn = harness.login()
    before = time.time()
    assert harness.callback(txn).headers["location"] == "/#/unlock"
    after = time.time()
    ((key, ttl),) = claims
    assert key == f"nonce|eid|{txn.nonce}"
    assert exp + LEEWAY_SECONDS - after <= ttl <= exp + LEEWAY_SECONDS - before

    async def seen(self: MemoryStore, key: str, *, ttl: float) -> bool:
        return False

    monkeypatch.setattr(MemoryStore, "claim", seen)
    _assert_error(harness.callback(harness.login()), "failed")
    assert _last_line(harness) == _line("rejected", "nonce_replayed")


def test_a_store_that_fails_at_the_callback_says_unavailable(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness = setup.harness
    txn = harness.login()

    async def take(self: MemoryStore, key: str) -> str | None:
        raise StoreUnavailable

    monkeypatch.setattr(MemoryStore, "take", take)
    _assert_error(harness.callback(txn), "unavailable")
    assert _last_line(harness) == _line("unavailable", "store_unavailable", provider=None)


def test_a_provider_unreachable_at_the_callback_says_unavailable(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness = setup.harness
    setup.network.cut.add("/token")
    _assert_error(harness.callback(harness.login()), "unavailable")
    assert _last_line(harness) == _line("unavailable", "token_unreachable")
    # Discovery due again (its cache expired) while the provider is unreachable.
    txn = harness.login()
    monkeypatch.setattr(oidc, "DISCOVERY_TTL_SECONDS", -1.0)
    setup.network.cut.add("/.well-known/openid-configuration")
    _assert_error(harness.callback(txn), "unavailable")
    assert _last_line(harness) == _line("unavailable", "discovery_unreachable")


def test_refusals_after_the_provider_answered_name_the_provider(setup: Setup) -> None:
    harness = setup.harness
    mixed_up = _answer(harness, harness.login(), code="c", iss="https://attacker.example")
    _assert_error(mixed_up, "failed")
    assert _last_line(harness) == _line("rejected", "iss_mismatch")
    harness.fake.mint = lambda fake, nonce: fake.unsigned(fake.claims(nonce))
    _assert_error(harness.callback(harness.login()), "failed")
    assert _last_line(harness) == _line("rejected", "alg_not_allowed")
    _assert_error(_answer(harness, harness.login()), "failed")  # neither code nor error
    assert _last_line(harness) == _line("rejected", "missing_code")


def test_a_site_under_another_key_makes_the_callback_unavailable(setup: Setup) -> None:
    harness = setup.harness
    txn = harness.login()
    latest = setup.site / "latest.json"
    latest.write_text(json.dumps({"key_id": key_id(MasterKey.generate())}), encoding="utf-8")
    _assert_error(harness.callback(txn), "unavailable")
    assert _last_line(harness) == _line("unavailable", "master_key_mismatch")


@pytest.mark.parametrize(
    ("error", "code", "outcome", "reason"),
    [
        ("access_denied", "cancelled", "cancelled", "provider_error_access_denied"),
        ("server_error", "failed", "rejected", "provider_error_server_error"),
        # Provider text never reaches the log: letters, digits and _ only, 60 at most.
        ("login_required <b>\n", "failed", "rejected", "provider_error_login_requiredb"),
        ("x" * 80, "failed", "rejected", "provider_error_" + "x" * 45),
    ],
)
def test_an_error_answer_of_the_provider(
    setup: Setup, error: str, code: str, outcome: str, reason: str
) -> None:
    harness = setup.harness
    _assert_error(_answer(harness, harness.login(), error=error), code)
    assert _last_line(harness) == _line(outcome, reason)


def test_a_login_over_the_address_budget_is_logged_as_rate_limited(
    tmp_path: Path, master: MasterKey
) -> None:
    with live_harness(tmp_path, master, per_address=1) as harness:
        harness.login()
        limited = harness.client.get("/auth/login", params={"provider": "eid"})
    assert limited.status_code == 429
    assert _last_line(harness) == _line("rate_limited", "per_address", provider=None)
