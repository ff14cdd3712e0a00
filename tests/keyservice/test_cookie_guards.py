"""The handoff cookie's lifetime, the cookies' Secure flag on https, and the exact Origin match.

Each test here guards one line that no other test would notice breaking: the `exp` check of a
sealed cookie, `secure=` on an https deployment, and `origin != service.origin` (not a prefix).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from site_builder.fp1 import MasterKey
from site_builder.fp1.encoding import b64u_encode
from site_builder.fp1.wrap import public_key_to_jwk
from site_builder.keyservice import handoff as handoff_module
from site_builder.keyservice.handoff import CookieSealer, cookie_key
from tests.keyservice.harness import Harness, handoff_cookie, live_harness
from tests.keyservice.site import guardian_rid

PUBLIC = "https://familj.example.se"


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master) as built:
        yield built


@pytest.fixture
def https_harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master, public_url=PUBLIC) as built:
        yield built


def _jwk() -> dict[str, Any]:
    return public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())


def _handoff(master: MasterKey, *, max_age: int) -> str:
    """A handoff sealed under the service's own cookie key: authentic, only its `exp` varies."""
    sealer = CookieSealer(cookie_key(master), secure=False)
    payload = {"rid": guardian_rid(master), "p": "eid", "acr": None, "jti": f"jti-{max_age}"}
    return sealer.seal("handoff", payload, max_age=max_age)


def _refused(answer: httpx.Response) -> bool:
    return answer.status_code == 401 and answer.json() == {"error": "signin_required"}


def test_expired_handoff_cookie_is_refused(harness: Harness) -> None:
    assert _refused(harness.unlock(_handoff(harness.master, max_age=-5), _jwk()))
    assert harness.last_reason() == "handoff_missing_or_expired"
    # The same payload, not yet expired, opens: the refusal was the expiry alone.
    assert harness.unlock(_handoff(harness.master, max_age=60), _jwk()).status_code == 200


def test_a_used_handoff_stays_refused_after_it_expires(harness: Harness) -> None:
    """The replay cache forgets a value once it has expired (it keeps each at least a second);
    from then on only the cookie's own `exp` refuses it, for ever."""
    sealed_at = time.time()
    handoff = _handoff(harness.master, max_age=3)  # exp: 2-3 s from now, whole seconds
    assert harness.unlock(handoff, _jwk()).status_code == 200
    assert _refused(harness.unlock(handoff, _jwk()))
    assert harness.last_reason() == "handoff_reused"
    # Past `exp` and past the replay cache's entry (which lasts until `exp`, at least 1 s).
    time.sleep(max(0.0, sealed_at + 4.2 - time.time()))
    assert _refused(harness.unlock(handoff, _jwk()))
    assert harness.last_reason() == "handoff_missing_or_expired"


def test_a_used_handoff_is_refused_for_its_whole_lifetime(harness: Harness) -> None:
    """The replay cache keeps a used handoff until its own `exp`, not only the minimum second."""
    handoff = _handoff(harness.master, max_age=60)
    assert harness.unlock(handoff, _jwk()).status_code == 200
    time.sleep(1.5)
    assert _refused(harness.unlock(handoff, _jwk()))
    assert harness.last_reason() == "handoff_reused"


def test_cookies_are_secure_on_an_https_deployment(https_harness: Harness) -> None:
    login = https_harness.client.get("/auth/login", params={"provider": "eid"})
    (login_cookie,) = [h for h in login.headers.get_list("set-cookie") if h.startswith("fp_login=")]
    assert "Secure" in login_cookie
    callback = https_harness.callback(https_harness.login())
    (handoff,) = [h for h in callback.headers.get_list("set-cookie") if h.startswith("fp_handoff=")]
    assert "Secure" in handoff and "Max-Age=0" not in handoff
    cleared = [h for h in callback.headers.get_list("set-cookie") if h.startswith("fp_login=")]
    assert cleared and all("Secure" in h for h in cleared)


def test_cookies_on_loopback_http_are_not_secure(harness: Harness) -> None:
    # The counterpart: on http://127.0.0.1 a Secure cookie would never come back.
    callback = harness.callback(harness.login())
    assert all("Secure" not in h for h in callback.headers.get_list("set-cookie"))


@pytest.mark.parametrize(
    "origin",
    [
        PUBLIC + ".evil.net",  # the site's origin as a prefix
        PUBLIC + ":8443",
        "http://familj.example.se",
        "https://evil.example.se",
        "null",
    ],
)
def test_origin_must_match_exactly(https_harness: Harness, origin: str) -> None:
    handoff = handoff_cookie(https_harness.callback(https_harness.login()))
    https_harness.client.cookies.clear()
    answer = https_harness.client.post(
        "/auth/unlock",
        json={"device_key": _jwk()},
        headers={"cookie": f"fp_handoff={handoff}", "origin": origin},
    )
    assert answer.status_code == 403 and answer.json() == {"error": "forbidden"}
    assert https_harness.last_reason() == "foreign_origin"
    # The same handoff from the site's own origin unlocks: it was the Origin alone.
    own = https_harness.client.post(
        "/auth/unlock",
        json={"device_key": _jwk()},
        headers={"cookie": f"fp_handoff={handoff}", "origin": PUBLIC},
    )
    assert own.status_code == 200


def test_a_refused_unlock_is_logged_with_who_and_why_and_never_cached(harness: Harness) -> None:
    """The access log is what an operator reads after an incident: a refused unlock names the
    reader's rid, the provider and the reason — and the refusal itself is never stored."""
    handoff = _handoff(harness.master, max_age=60)
    assert harness.unlock(handoff, _jwk()).status_code == 200
    again = harness.unlock(handoff, _jwk())
    assert _refused(again)
    assert again.headers["cache-control"] == "no-store"
    record = harness.records()[-1]
    del record["time"]
    assert record == {
        "event": "unlock",
        "rid": guardian_rid(harness.master),
        "provider": "eid",
        "acr": None,
        "outcome": "rejected",
        "reason": "handoff_reused",
    }


def _last_record(harness: Harness) -> dict[str, Any]:
    record = harness.records()[-1]
    del record["time"]
    return record


def _unlock_record(outcome: str, reason: str | None, **who: str | None) -> dict[str, Any]:
    base: dict[str, Any] = {"event": "unlock", "rid": None, "provider": None, "acr": None}
    return {**base, **who, "outcome": outcome, "reason": reason}


def test_each_unlock_outcome_is_logged_with_its_reason(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    """What an operator finds in the access log for each way an unlock ends: a foreign Origin,
    no (valid) handoff, a release (with the sign-in's assurance level), an address over budget."""
    harness.client.cookies.clear()
    foreign = harness.client.post(
        "/auth/unlock", json={"device_key": _jwk()}, headers={"origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert _last_record(harness) == _unlock_record("rejected", "foreign_origin")
    assert harness.unlock("", _jwk()).status_code == 401
    assert _last_record(harness) == _unlock_record("rejected", "handoff_missing_or_expired")

    loa3 = "http://id.elegnamnden.se/loa/1.0/loa3"
    sealer = CookieSealer(cookie_key(master), secure=False)
    rid = guardian_rid(master)
    payload = {"rid": rid, "p": "eid", "acr": loa3, "jti": "jti-acr"}
    assert harness.unlock(sealer.seal("handoff", payload, max_age=60), _jwk()).status_code == 200
    assert _last_record(harness) == _unlock_record("ok", None, rid=rid, provider="eid", acr=loa3)

    with live_harness(tmp_path / "limited", master, per_address=2) as limited:
        answers = [limited.unlock("", _jwk()) for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert int(answers[-1].headers["retry-after"]) > 0
    assert answers[-1].json()["retry_after"] == int(answers[-1].headers["retry-after"])
    assert _last_record(limited) == _unlock_record("rate_limited", "per_address")


def _cookie(response: httpx.Response, name: str) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(name + "=")]
    return header.lower()


def test_cookie_attributes_of_the_login_and_the_handoff(harness: Harness) -> None:
    """The login cookie is Lax (it must come back with the provider's top-level redirect), the
    handoff Strict; both HttpOnly under /auth — and the login cookie is cleared with the same
    path, or the browser would keep it."""
    login = harness.client.get("/auth/login", params={"provider": "eid"})
    set_login = _cookie(login, "fp_login")
    for part in ("path=/auth", "httponly", "samesite=lax"):
        assert part in set_login, part
    harness.client.cookies.clear()  # one sign-in pending: its callback clears the cookie
    callback = harness.callback(harness.login())
    set_handoff = _cookie(callback, "fp_handoff")
    for part in ("path=/auth", "httponly", "samesite=strict"):
        assert part in set_handoff, part
    cleared = _cookie(callback, "fp_login")
    for part in ("max-age=0", "path=/auth", "httponly", "samesite=lax"):
        assert part in cleared, part


def test_the_cookie_key_is_a_fixed_derivation_of_the_master_key() -> None:
    """Every sealed cookie (login, handoff, the device's 30-day reply capability) is under
    HKDF-SHA256(master, no salt, info "fp1 service cookie"): one instance opens what another
    sealed, and a release does not void the reply capabilities devices hold. Known answer,
    computed by hand with hmac per RFC 5869."""
    vector = "0430ca1d72a562055830fa1667c073ed570635ec89bcaee463ef284e8ce5ea87"
    assert cookie_key(MasterKey(bytes(range(32)))).hex() == vector


def test_a_sealed_value_without_an_expiry_never_opens() -> None:
    """seal() always writes `exp`; a value under the cookie key without one, or not an object,
    is refused like an expired one (fail closed, never an exception and a 500)."""
    key = cookie_key(MasterKey.generate())

    def sealed(body: bytes) -> str:
        nonce = os.urandom(12)
        return b64u_encode(nonce + AESGCM(key).encrypt(nonce, body, b"fp1 cookie|handoff"))

    sealer = CookieSealer(key, secure=False)
    assert sealer.open("handoff", sealed(b'{"rid": "r", "jti": "j"}')) is None
    assert sealer.open("handoff", sealed(b'["rid", "r"]')) is None
    # The same sealing with an `exp` opens: only the expiry was missing.
    opened = sealer.open("handoff", sealed(b'{"rid": "r", "exp": 4102444800}'))
    assert opened == {"rid": "r", "exp": 4102444800}


def test_a_cookie_opens_until_its_expiry_second_has_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cookie sealed for max_age seconds opens for max_age seconds: at `exp` still, a
    millisecond later no more (the service's clock; the browser's Max-Age ends the same
    second)."""
    clock = [1_900_000_000.0]
    monkeypatch.setattr(handoff_module, "time", SimpleNamespace(time=lambda: clock[0]))
    sealer = CookieSealer(cookie_key(MasterKey.generate()), secure=False)
    value = sealer.seal("handoff", {"jti": "j"}, max_age=60)
    clock[0] += 60
    assert sealer.open("handoff", value) == {"jti": "j", "exp": 1_900_000_060}
    clock[0] += 0.001
    assert sealer.open("handoff", value) is None
