"""Forged and altered tokens and requests: each rejected with only a generic code, each logged."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey

from site_builder.fp1 import MasterKey, reader_key
from site_builder.fp1.wrap import public_key_to_jwk, unwrap_reader_key
from site_builder.keyservice.oidc import LoginRejected, ProviderClient
from tests.fresh_loop import run_on_fresh_loop
from tests.keyservice.fakeidp import FakeProvider, fake_config
from tests.keyservice.harness import Harness, handoff_cookie, live_harness
from tests.keyservice.site import EPOCH, guardian_rid


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master) as built:
        yield built


def _device() -> tuple[ec.EllipticCurvePrivateKey, dict[str, Any]]:
    key = ec.generate_private_key(ec.SECP256R1())
    return key, public_key_to_jwk(key.public_key())


def _assert_generic_failure(response: httpx.Response, code: str = "failed") -> None:
    assert response.status_code == 302
    assert response.headers["location"] == f"/#/error/{code}"
    assert response.text == ""
    assert not any(h.startswith("fp_handoff=") for h in response.headers.get_list("set-cookie"))


def test_valid_sign_in_releases_keys_only_to_that_device(harness: Harness) -> None:
    response = harness.callback(harness.login())
    assert response.status_code == 302 and response.headers["location"] == "/#/unlock"
    set_cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("fp_handoff=")
    )
    assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie
    assert "Path=/auth" in set_cookie and "Max-Age=60" in set_cookie
    device, jwk = _device()
    answer = harness.unlock(handoff_cookie(response), jwk)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    rid = guardian_rid(harness.master)
    assert body["rid"] == rid and body["provider"] == "eid"
    assert [k["epoch"] for k in body["keys"]] == [EPOCH, "2025"]
    for entry in body["keys"]:
        epoch = entry["epoch"]
        opened = unwrap_reader_key(entry["wrapped"], device=device, rid=rid, epoch=epoch)
        assert opened == reader_key(harness.master, epoch=epoch, rid=rid)
        other_device, _ = _device()  # the answer presented with another device key
        with pytest.raises(InvalidTag):
            unwrap_reader_key(entry["wrapped"], device=other_device, rid=rid, epoch=epoch)
    assert [(r["event"], r["outcome"]) for r in harness.records()] == [
        ("login_start", "ok"),
        ("login", "ok"),
        ("unlock", "ok"),
    ]


def _claims(edit: Callable[[dict[str, Any]], None]) -> Callable[[FakeProvider, str], str]:
    def mint(fake: FakeProvider, nonce: str) -> str:
        claims = fake.claims(nonce)
        edit(claims)
        return fake.sign(claims)

    return mint


def _set(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda claims: claims.update(values)


FORGERIES: dict[str, tuple[Callable[[FakeProvider, str], str], str]] = {
    "alg none": (lambda f, n: f.unsigned(f.claims(n)), "alg_not_allowed"),
    "HS256 with the public key": (
        lambda f, n: f.hs256_with_public_key(f.claims(n)),
        "alg_not_allowed",
    ),
    "unknown kid": (
        lambda f, n: f.sign(f.claims(n), key=ECKey.generate_key("P-256", parameters={"kid": "x"})),
        "unknown_kid",
    ),
    "signed by another key under the known kid": (
        lambda f, n: f.sign(f.claims(n), key=ECKey.generate_key("P-256", parameters={"kid": "k1"})),
        "bad_signature",
    ),
    "wrong iss": (_claims(_set(iss="https://evil.test")), "wrong_iss"),
    "wrong aud": (_claims(_set(aud="someone-else")), "wrong_aud"),
    "several audiences without azp": (_claims(_set(aud=["fp-test", "other"])), "wrong_azp"),
    "expired": (
        _claims(_set(exp=int(time.time()) - 120, iat=int(time.time()) - 420)),
        "expired",
    ),
    # The time is read when the token is minted: a value fixed at import is in the past once the
    # suite has run for five minutes.
    "iat in the future": (
        _claims(lambda c: c.update(iat=int(time.time()) + 300)),
        "iat_in_future",
    ),
    "missing nonce": (_claims(lambda c: c.pop("nonce")), "missing_nonce"),
    "other nonce": (_claims(_set(nonce="not-ours")), "nonce_mismatch"),
    "acr too low": (_claims(_set(acr="http://id.elegnamnden.se/loa/1.0/loa2")), "acr_not_accepted"),
    "no identity claim": (
        _claims(lambda c: c.pop("https://id.oidc.se/claim/personalIdentityNumber")),
        "identity_claim_missing",
    ),
}


@pytest.mark.parametrize("name", list(FORGERIES))
def test_forged_id_token_is_rejected(harness: Harness, name: str) -> None:
    mint, reason = FORGERIES[name]
    harness.fake.mint = mint
    _assert_generic_failure(harness.callback(harness.login()))
    assert harness.last_reason() == reason
    assert harness.records()[-1]["outcome"] == "rejected"


def test_unknown_kid_refetches_jwks_at_most_once_a_minute(harness: Harness) -> None:
    stranger = ECKey.generate_key("P-256", parameters={"kid": "x"})
    harness.fake.mint = lambda f, n: f.sign(f.claims(n), key=stranger)
    for code in ("a", "b", "c"):
        _assert_generic_failure(harness.callback(harness.login(), code=code))
    assert harness.fake.jwks_fetches == 1


def test_state_mismatch_is_rejected(harness: Harness) -> None:
    _assert_generic_failure(harness.callback(harness.login(), state="forged-state"))
    assert harness.last_reason() == "state_mismatch"


def test_code_bound_to_another_pkce_verifier_is_rejected(harness: Harness) -> None:
    attacker = harness.login()
    victim = harness.login()
    _assert_generic_failure(harness.callback(victim, challenge=attacker.challenge))
    assert harness.last_reason() == "token_endpoint_invalid_grant"


def test_replayed_callback_is_rejected(harness: Harness) -> None:
    """The login transaction (and so its nonce) is taken by the first callback only."""
    txn = harness.login()
    assert harness.callback(txn, code="first").headers["location"] == "/#/unlock"
    _assert_generic_failure(harness.callback(txn, code="second"), "expired")
    assert harness.last_reason() == "login_transaction_used_or_expired"


def test_reused_handoff_cookie_is_refused(harness: Harness) -> None:
    handoff = handoff_cookie(harness.callback(harness.login()))
    _, jwk = _device()
    assert harness.unlock(handoff, jwk).status_code == 200
    again = harness.unlock(handoff, jwk)
    assert again.status_code == 401 and again.json() == {"error": "signin_required"}
    assert harness.last_reason() == "handoff_reused"


def test_tampered_or_missing_handoff_is_refused(harness: Harness) -> None:
    handoff = handoff_cookie(harness.callback(harness.login()))
    tampered = handoff[:-2] + ("AA" if not handoff.endswith("AA") else "BB")
    _, jwk = _device()
    for value in (tampered, ""):
        answer = harness.unlock(value, jwk)
        assert answer.status_code == 401 and answer.json() == {"error": "signin_required"}
    assert harness.last_reason() == "handoff_missing_or_expired"


def test_invalid_device_key_does_not_spend_the_handoff(harness: Harness) -> None:
    handoff = handoff_cookie(harness.callback(harness.login()))
    bad = {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}
    assert harness.unlock(handoff, bad).status_code == 400
    _, jwk = _device()
    assert harness.unlock(handoff, jwk).status_code == 200


def test_unlock_from_a_foreign_origin_is_refused(harness: Harness) -> None:
    handoff = handoff_cookie(harness.callback(harness.login()))
    harness.client.cookies.clear()
    answer = harness.client.post(
        "/auth/unlock",
        json={"device_key": _device()[1]},
        headers={"cookie": f"fp_handoff={handoff}", "origin": "https://evil.test"},
    )
    assert answer.status_code == 403
    assert harness.last_reason() == "foreign_origin"


def test_cancel_and_expired_login_have_their_own_codes(harness: Harness) -> None:
    txn = harness.login()
    harness.client.cookies.clear()
    cancelled = harness.client.get(
        "/auth/callback",
        params={"error": "access_denied", "state": txn.state},
        headers={"cookie": f"fp_login={txn.cookie}"},
    )
    _assert_generic_failure(cancelled, "cancelled")
    harness.client.cookies.clear()
    expired = harness.client.get("/auth/callback", params={"code": "c", "state": txn.state})
    _assert_generic_failure(expired, "expired")
    outcomes = [r["outcome"] for r in harness.records() if r["event"] != "login_start"]
    assert outcomes == ["cancelled", "expired"]


def test_provider_down_says_unavailable(tmp_path: Path, master: MasterKey) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with live_harness(tmp_path, master, transport=httpx.MockTransport(refuse)) as built:
        answer = built.client.get("/auth/login", params={"provider": "eid"})
        _assert_generic_failure(answer, "unavailable")
    assert built.records()[-1]["outcome"] == "unavailable"


def test_error_answer_with_a_forged_state_is_not_taken_as_a_cancel(harness: Harness) -> None:
    txn = harness.login()
    harness.client.cookies.clear()
    forged = harness.client.get(
        "/auth/callback",
        params={"error": "access_denied", "state": "forged-state"},
        headers={"cookie": f"fp_login={txn.cookie}"},
    )
    _assert_generic_failure(forged, "failed")
    assert harness.last_reason() == "state_mismatch"


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (400, b"<html>Bad Request</html>", "token_endpoint_http_400"),  # not JSON
        (400, b'["invalid_grant"]', "token_endpoint_http_400"),  # JSON, not an object
        (401, b'{"error": 7}', "token_endpoint_http_401"),  # no error code
        (400, b'{"error": "invalid_grant<script>\\n"}', "token_endpoint_invalid_grantscript"),
        (400, b'{"error": "%s"}' % (b"x" * 60), "token_endpoint_" + "x" * 40),
    ],
)
def test_a_token_endpoint_refusal_is_logged_as_a_short_safe_code(
    status: int, body: bytes, reason: str
) -> None:
    # The access log's reason: the provider's own error code, letters, digits and _ only and at
    # most 40 of them, or the HTTP status when it gives none.
    config = fake_config(base_url="http://127.0.0.1:8000").providers[0]
    meta = {
        "issuer": config.issuer,
        "authorization_endpoint": config.issuer + "/authorize",
        "token_endpoint": config.issuer + "/token",
        "jwks_uri": config.issuer + "/jwks",
    }

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            return httpx.Response(status, content=body)
        return httpx.Response(200, json=meta)

    async def exchange() -> str:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
            client = ProviderClient(config=config, http=http)
            return await client.exchange_code(code="c", redirect_uri="http://x/cb", verifier="v")

    with pytest.raises(LoginRejected) as refused:
        run_on_fresh_loop(exchange)
    assert refused.value.reason == reason
