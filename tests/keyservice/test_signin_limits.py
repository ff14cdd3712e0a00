"""Rate limits that protect without hurting real users, several sign-ins per browser, and the
RFC 9207 `iss` in the provider's answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import MasterKey
from site_builder.fp1.wrap import public_key_to_jwk
from tests.keyservice.fakeidp import ISSUER
from tests.keyservice.harness import Harness, Txn, handoff_cookie, live_harness


def _jwk() -> dict[str, Any]:
    return public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())


def _login_cookie(response: httpx.Response) -> str:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("fp_login="):
            return header.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError("no fp_login cookie")


def test_a_whole_sign_in_costs_one_request_of_the_address_budget(
    tmp_path: Path, master: MasterKey
) -> None:
    with live_harness(tmp_path, master, per_address=2) as harness:
        for code in ("one", "two"):  # login + callback + unlock, twice, on a budget of 2
            handoff = handoff_cookie(harness.callback(harness.login(), code=code))
            assert harness.unlock(handoff, _jwk()).status_code == 200
        limited = harness.client.get("/auth/login", params={"provider": "eid"})
    assert limited.status_code == 429
    assert harness.records()[-1]["reason"] == "per_address"


def test_a_finished_e_id_sign_in_is_never_refused_for_the_address(
    tmp_path: Path, master: MasterKey
) -> None:
    with live_harness(tmp_path, master, per_address=1) as harness:
        txn = harness.login()  # the whole budget
        # Someone else behind the same address is refused…
        other = harness.client.get("/auth/login", headers={"accept": "text/html"})
        assert other.status_code == 429 and "text/html" in other.headers["content-type"]
        # …but the sign-in already at the provider still comes back and unlocks.
        handoff = handoff_cookie(harness.callback(txn))
        assert harness.unlock(handoff, _jwk()).status_code == 200
        # A callback belonging to no sign-in of this browser costs the budget: refused.
        stray = harness.client.get(
            "/auth/callback", params={"code": "x", "state": "y"}, headers={"accept": "text/html"}
        )
        assert stray.status_code == 429 and "app.css" in stray.text


def test_a_per_reader_429_leaves_the_handoff_usable(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master, per_reader=1, window_seconds=1) as harness:
        first = handoff_cookie(harness.callback(harness.login(), code="one"))
        second = handoff_cookie(harness.callback(harness.login(), code="two"))
        assert harness.unlock(first, _jwk()).status_code == 200
        limited = harness.unlock(second, _jwk())
        assert limited.status_code == 429 and harness.last_reason() == "per_reader"
        time.sleep(1.2)  # the reader's window passes; the handoff (60 s) is still alive
        assert harness.unlock(second, _jwk()).status_code == 200


def test_attempts_per_handoff_are_limited(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master, per_handoff=2) as harness:
        handoff = handoff_cookie(harness.callback(harness.login()))
        bad = {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}
        assert [harness.unlock(handoff, bad).status_code for _ in range(2)] == [400, 400]
        limited = harness.unlock(handoff, _jwk())
    assert limited.status_code == 429
    assert harness.last_reason() == "per_handoff"
    # What the app reads: the error code and how long to wait, also as Retry-After; never cached.
    retry = limited.json()["retry_after"]
    assert limited.json() == {"error": "rate_limited", "retry_after": retry} and retry >= 1
    assert limited.headers["retry-after"] == str(retry)
    assert limited.headers["cache-control"] == "no-store"


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master) as built:
        yield built


def _finish(harness: Harness, txn: Txn, *, cookie: str, code: str) -> httpx.Response:
    harness.fake.grants[code] = (txn.challenge, txn.nonce)
    harness.client.cookies.clear()
    return harness.client.get(
        "/auth/callback",
        params={"code": code, "state": txn.state},
        headers={"cookie": f"fp_login={cookie}"},
    )


def test_two_tabs_sign_in_in_either_order(harness: Harness) -> None:
    first = harness.login()  # tab 1
    second = harness.login()  # tab 2, same browser (the client keeps its cookies)
    both = second.cookie  # the browser's cookie now lists both transactions
    done_second = _finish(harness, second, cookie=both, code="b")
    assert done_second.headers["location"] == "/#/unlock"
    still_pending = _login_cookie(done_second)  # the first one is kept…
    done_first = _finish(harness, first, cookie=still_pending, code="a")
    assert done_first.headers["location"] == "/#/unlock"
    cleared = [h for h in done_first.headers.get_list("set-cookie") if h.startswith("fp_login=")]
    assert cleared and "Max-Age=0" in cleared[0]  # …and the cookie goes with the last one


def test_back_and_sign_in_again_then_the_first_e_id_answer_arrives(harness: Harness) -> None:
    """The user went back from the provider and started again; the e-ID app then finished the
    first sign-in. The browser holds only the newest cookie: the first must still work."""
    first = harness.login()
    again = harness.login()
    assert _finish(harness, first, cookie=again.cookie, code="c").headers["location"] == (
        "/#/unlock"
    )


def test_a_transaction_from_another_browser_is_refused(harness: Harness) -> None:
    victim = harness.login()
    harness.client.cookies.clear()
    attacker = harness.login()  # a different browser: its cookie lists only its own state
    answer = _finish(harness, victim, cookie=attacker.cookie, code="x")
    assert answer.headers["location"] == "/#/error/failed"
    assert harness.last_reason() == "state_mismatch"


def _callback_with_iss(harness: Harness, iss: str | None) -> httpx.Response:
    txn = harness.login()
    harness.fake.grants["code-1"] = (txn.challenge, txn.nonce)
    harness.client.cookies.clear()
    params = {"code": "code-1", "state": txn.state}
    if iss is not None:
        params["iss"] = iss
    return harness.client.get(
        "/auth/callback", params=params, headers={"cookie": f"fp_login={txn.cookie}"}
    )


def test_rfc9207_iss_is_checked_when_sent(harness: Harness) -> None:
    assert _callback_with_iss(harness, ISSUER).headers["location"] == "/#/unlock"
    mixed_up = _callback_with_iss(harness, "https://attacker.example")
    assert mixed_up.headers["location"] == "/#/error/failed"
    assert harness.last_reason() == "iss_mismatch"
    # This provider does not announce RFC 9207: an answer without iss is accepted.
    assert _callback_with_iss(harness, None).headers["location"] == "/#/unlock"


def test_rfc9207_iss_is_required_when_the_provider_announces_it(
    tmp_path: Path, master: MasterKey
) -> None:
    with live_harness(tmp_path, master) as harness:
        harness.fake.iss_supported = True
        missing = _callback_with_iss(harness, None)
        assert missing.headers["location"] == "/#/error/failed"
        assert harness.last_reason() == "iss_missing"
        assert _callback_with_iss(harness, ISSUER).headers["location"] == "/#/unlock"


def test_the_429_page_says_how_many_whole_minutes_to_wait_and_links_home(
    tmp_path: Path, master: MasterKey
) -> None:
    # A window of 610 s: 601 to 610 s are left when the second sign-in comes (however slow the
    # machine), which is 11 minutes rounded up — and 10 if it were counted in 61-second steps.
    with live_harness(tmp_path, master, per_address=1, window_seconds=610) as harness:
        harness.login()
        page = harness.client.get(
            "/auth/login",
            params={"provider": "eid"},
            headers={"accept": "text/html", "accept-language": "en"},
        )
    assert page.status_code == 429
    assert 601 <= int(page.headers["retry-after"]) <= 610
    assert "short time. Wait 11 minutes and try again.</p>" in page.text
    assert '<p><a class="button" href="/">Go to the start page</a></p>' in page.text


def test_each_address_has_its_own_budget(tmp_path: Path, master: MasterKey) -> None:
    # 127.0.0.2 is another loopback address: another household, to the key service.
    with live_harness(tmp_path, master, per_address=1) as harness:
        harness.login()
        again = harness.client.get("/auth/login", params={"provider": "eid"})
        transport = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(transport=transport, base_url=harness.client.base_url) as neighbour:
            other = neighbour.get("/auth/login", params={"provider": "eid"})
    assert again.status_code == 429
    assert other.status_code == 302 and other.headers["location"].startswith(ISSUER)
