"""Every way GET /auth/login and /auth/callback end in an error, as the browser and an operator
see them: a 302 to `/#/error/<code>` that no cache keeps, and one access-log line naming the
event, the outcome, the provider (when the sign-in got that far) and the reason
(docs/operations.md, "Monitoring")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from site_builder.fp1 import MasterKey
from site_builder.keyservice.config import StoreConfig
from tests.keyservice.harness import Harness, live_harness
from tests.keyservice.processes import redis_server


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master) as built:
        yield built


def _last_record(harness: Harness) -> dict[str, Any]:
    record = harness.records()[-1]
    del record["time"]
    return record


def _assert_error(answer: httpx.Response, code: str) -> None:
    assert answer.status_code == 302
    assert answer.headers["location"] == f"/#/error/{code}"
    assert answer.headers["cache-control"] == "no-store"
    assert not [c for c in answer.headers.get_list("set-cookie") if c.startswith("fp_handoff=")]


def _login_record(outcome: str, reason: str, provider: str | None) -> dict[str, Any]:
    return {
        "event": "login",
        "rid": None,
        "provider": provider,
        "acr": None,
        "outcome": outcome,
        "reason": reason,
    }


STATE = "<the state this sign-in started with>"


def _callback(harness: Harness, params: dict[str, str], cookie: str | None) -> httpx.Response:
    harness.client.cookies.clear()
    headers = {"cookie": f"fp_login={cookie}"} if cookie else {}
    return harness.client.get("/auth/callback", params=params, headers=headers)


@pytest.mark.parametrize(
    ("params", "code", "reason"),
    [
        ({"error": "access_denied", "state": "s"}, "cancelled", "provider_error_access_denied"),
        ({"error": "server_error", "state": "s"}, "expired", "login_cookie_missing_or_expired"),
        ({"code": "c", "state": "s"}, "expired", "login_cookie_missing_or_expired"),
    ],
)
def test_a_callback_without_the_login_cookie(
    harness: Harness, params: dict[str, str], code: str, reason: str
) -> None:
    """The provider's redirect back after the login cookie is gone: a cancel is still a cancel
    (the person pressed "cancel" slowly), anything else says the sign-in expired."""
    _assert_error(_callback(harness, params, cookie=None), code)
    assert _last_record(harness) == _login_record(
        "cancelled" if code == "cancelled" else "expired", reason, None
    )


@pytest.mark.parametrize(
    ("params", "code", "outcome", "reason", "provider"),
    [
        ({"code": "c"}, "failed", "rejected", "state_mismatch", None),  # no state at all
        ({"code": "c", "state": "other"}, "failed", "rejected", "state_mismatch", None),
        (
            {"state": STATE, "error": "access_denied"},
            "cancelled",
            "cancelled",
            "provider_error_access_denied",
            "eid",
        ),
        (
            {"state": STATE, "error": "server_error"},
            "failed",
            "rejected",
            "provider_error_server_error",
            "eid",
        ),
        (
            {"state": STATE, "error": "bad<b>\n" + "x" * 80},
            "failed",
            "rejected",
            "provider_error_badb" + "x" * 41,
            "eid",
        ),
        ({"state": STATE}, "failed", "rejected", "missing_code", "eid"),
        ({"state": STATE, "code": ""}, "failed", "rejected", "missing_code", "eid"),
        (
            {"state": STATE, "code": "c", "iss": "https://evil.example"},
            "failed",
            "rejected",
            "iss_mismatch",
            "eid",
        ),
    ],
)
def test_a_callback_of_this_browsers_sign_in_that_fails(
    harness: Harness,
    params: dict[str, str],
    code: str,
    outcome: str,
    reason: str,
    provider: str | None,
) -> None:
    """With the login cookie: a state it did not start is refused before the provider is known;
    after that each failure names the provider and the reason (an error code cut to letters,
    digits and _ and 60 characters in all)."""
    txn = harness.login()
    sent = {k: txn.state if v == STATE else v for k, v in params.items()}
    _assert_error(_callback(harness, sent, cookie=txn.cookie), code)
    assert _last_record(harness) == _login_record(outcome, reason, provider)


def test_an_unknown_provider(harness: Harness) -> None:
    _assert_error(harness.client.get("/auth/login", params={"provider": "nope"}), "failed")
    assert _last_record(harness) == _login_record("rejected", "unknown_provider", None)


def test_without_its_store_sign_in_says_unavailable(tmp_path: Path, master: MasterKey) -> None:
    """The shared store (Redis) down: starting a sign-in and the provider's redirect back both
    end in `/#/error/unavailable`, each with one `store_unavailable` line."""
    with redis_server(tmp_path / "redis") as server:
        store_config = StoreConfig(kind="redis", url=server.url)
        with live_harness(tmp_path, master, store=store_config) as harness:
            txn = harness.login()
            server.stop()
            _assert_error(
                harness.client.get("/auth/login", params={"provider": "eid"}), "unavailable"
            )
            assert _last_record(harness) == _login_record("unavailable", "store_unavailable", None)
            down = _callback(harness, {"code": "c", "state": txn.state}, cookie=txn.cookie)
            _assert_error(down, "unavailable")
            assert _last_record(harness) == _login_record("unavailable", "store_unavailable", None)


def test_a_sign_in_without_a_provider_goes_to_the_first(harness: Harness) -> None:
    """`/auth/login` without `?provider=` (a bookmarked or typed link) starts the configured
    first provider's sign-in."""
    answer = harness.client.get("/auth/login")
    assert answer.status_code == 302 and answer.headers["cache-control"] == "no-store"
    assert answer.headers["location"].startswith(harness.fake.issuer + "/authorize?")
    record = _last_record(harness)
    assert (record["event"], record["outcome"], record["provider"]) == ("login_start", "ok", "eid")


def test_the_provider_list_the_app_reads(harness: Harness) -> None:
    """GET /auth/providers: what the app's sign-in buttons are made of (id, its label in every
    language, who signs in with it), revalidated on each visit (`no-cache`), GET only."""
    answer = harness.client.get("/auth/providers")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-cache"
    label = answer.json()["providers"][0]["label"]
    assert answer.json() == {"providers": [{"id": "eid", "label": label, "audience": "guardian"}]}
    assert (label["sv"], label["en"]) == ("E-legitimation", "e-ID")
    assert harness.client.post("/auth/providers").status_code in (404, 405)


def test_a_sign_in_starts_with_fresh_state_and_nonce_and_our_callback(harness: Harness) -> None:
    """The provider is sent back to this service's callback, with a state and a nonce of 24
    random bytes each (32 base64url characters), new for every sign-in."""
    starts = [harness.client.get("/auth/login", params={"provider": "eid"}) for _ in range(2)]
    queries = [parse_qs(urlsplit(answer.headers["location"]).query) for answer in starts]
    for query in queries:
        assert query["redirect_uri"] == [str(harness.client.base_url.join("/auth/callback"))]
        for name in ("state", "nonce"):
            assert re.fullmatch(r"[A-Za-z0-9_-]{32}", query[name][0]), query[name]
    assert queries[0]["state"] != queries[1]["state"]
    assert queries[0]["nonce"] != queries[1]["nonce"]


def test_a_provider_that_cannot_be_reached(tmp_path: Path, master: MasterKey) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with live_harness(tmp_path, master, transport=httpx.MockTransport(refuse)) as harness:
        _assert_error(harness.client.get("/auth/login", params={"provider": "eid"}), "unavailable")
        assert _last_record(harness) == _login_record("unavailable", "discovery_unreachable", "eid")


def _login_cookie(answer: httpx.Response) -> str:
    found = [c for c in answer.headers.get_list("set-cookie") if c.startswith("fp_login=")]
    assert len(found) == 1, found
    return found[0]


def test_the_login_cookie_lasts_as_long_as_a_sign_in(harness: Harness) -> None:
    """The login cookie lives `login_seconds` (600 by default), the time a sign-in may take; a
    callback that leaves another sign-in of this browser pending sets it again for as long."""
    harness.client.cookies.clear()
    first = harness.client.get("/auth/login", params={"provider": "eid"})
    assert "Max-Age=600" in _login_cookie(first).split("; ")
    both = harness.client.get("/auth/login", params={"provider": "eid"})  # a second tab
    cookie = _login_cookie(both).split(";", 1)[0].split("=", 1)[1]
    state = parse_qs(urlsplit(first.headers["location"]).query)["state"][0]
    done = _callback(harness, {"state": state, "error": "access_denied"}, cookie=cookie)
    _assert_error(done, "cancelled")
    assert "Max-Age=600" in _login_cookie(done).split("; ")


def test_a_provider_whose_discovery_names_another_issuer(harness: Harness) -> None:
    """A discovery document for another issuer (a mix-up, or a misconfigured provider): the
    sign-in does not start, the reason and the provider are logged."""
    harness.fake.discovered_issuer = "https://other.example"
    _assert_error(harness.client.get("/auth/login", params={"provider": "eid"}), "failed")
    assert _last_record(harness) == _login_record("rejected", "discovery_issuer_mismatch", "eid")
