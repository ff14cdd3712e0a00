"""ID-token claims and the subject they name, function by function: the edges the end-to-end
forgery matrix (test_login_checks.py) does not reach — odd `aud` shapes, an `azp` beside one
audience, a multi-valued or later identity claim, and the student's eduPersonPrincipalName."""

from __future__ import annotations

import time
from typing import Any

import pytest

from site_builder.fp1 import subject_for_eppn, subject_for_pnr
from site_builder.keyservice.config import (
    SWEDISH_COORDINATION_CLAIM,
    SWEDISH_PNR_CLAIM,
    Label,
    ProviderConfig,
)
from site_builder.keyservice.identity import subject_from_claims
from site_builder.keyservice.idtoken import Expected, check_claims
from site_builder.keyservice.oidc import LoginRejected

EXPECTED = Expected(
    issuer="https://idp.test", client_id="fp", nonce="n1", algorithms=("ES256",), acr_values=()
)


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": "https://idp.test", "aud": "fp", "exp": now + 300, "iat": now, "nonce": "n1",
        "sub": "s",
    }  # fmt: skip
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _reason(claims: dict[str, Any]) -> str | None:
    try:
        check_claims(claims, expected=EXPECTED, now=time.time())
    except LoginRejected as exc:
        return exc.reason
    return None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({}, None),
        ({"aud": ["fp"]}, None),
        ({"aud": ["fp", "other"], "azp": "fp"}, None),
        ({"aud": "fp", "azp": "fp"}, None),
        ({"aud": 7}, "wrong_aud"),  # neither a string nor a list
        ({"aud": {"fp": 1}}, "wrong_aud"),
        ({"aud": "fp", "azp": "other"}, "wrong_azp"),  # azp present: it must be us
        ({"aud": ["fp", "other"], "azp": "other"}, "wrong_azp"),
        ({"exp": "soon"}, "missing_exp_or_iat"),
        ({"sub": 5}, "missing_sub"),
    ],
)
def test_claim_edges(changes: dict[str, Any], reason: str | None) -> None:
    assert _reason(_claims(**changes)) == reason


def _provider(**changes: Any) -> ProviderConfig:
    base: dict[str, Any] = {
        "id": "p", "label": Label(sv="P", en="P"), "issuer": "https://idp.test",
        "client_id": "fp", "client_secret": "x",
    }  # fmt: skip
    return ProviderConfig(**{**base, **changes})


PNR = "198001012380"


def test_the_first_identity_claim_present_decides() -> None:
    provider = _provider()
    assert subject_from_claims({SWEDISH_PNR_CLAIM: PNR}, provider=provider) == subject_for_pnr(PNR)
    # The first one missing or blank: the next configured claim is used, not given up on.
    for first in ({}, {SWEDISH_PNR_CLAIM: "  "}, {SWEDISH_PNR_CLAIM: 5}):
        claims = {**first, SWEDISH_COORDINATION_CLAIM: f" {PNR} "}
        assert subject_from_claims(claims, provider=provider) == subject_for_pnr(PNR)
    with pytest.raises(LoginRejected, match="identity_claim_missing"):
        subject_from_claims({"sub": "x"}, provider=provider)
    with pytest.raises(LoginRejected, match="identity_claim_malformed:personalIdentityNumber"):
        subject_from_claims({SWEDISH_PNR_CLAIM: "12345"}, provider=provider)
    # The log reason names the claim by its last path segment, cut at 40 characters.
    long_name = "https://claims.example/" + "x" * 45
    with pytest.raises(LoginRejected) as refused:
        subject_from_claims({long_name: "12345"}, provider=_provider(identity_claims=[long_name]))
    assert str(refused.value) == "identity_claim_malformed:" + "x" * 40


def test_a_students_multi_valued_eppn_names_the_student() -> None:
    provider = _provider(subject_kind="eppn", identity_claims=["eduPersonPrincipalName"])
    eppn = "Dani.Dahl@elev.ekskolan.example"
    expected = subject_for_eppn(eppn)
    assert subject_from_claims({"eduPersonPrincipalName": eppn}, provider=provider) == expected
    many = {"eduPersonPrincipalName": [eppn, "other@elev.example"]}
    assert subject_from_claims(many, provider=provider) == expected
    with pytest.raises(LoginRejected, match="identity_claim_missing"):
        subject_from_claims({"eduPersonPrincipalName": []}, provider=provider)
    with pytest.raises(LoginRejected, match="identity_claim_malformed"):
        subject_from_claims({"eduPersonPrincipalName": "no-at-sign"}, provider=provider)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("a.b", "id_token_not_jws"),
        ("!!.b.c", "id_token_bad_header"),
        ("WzFd.b.c", "id_token_bad_header"),
    ],
)
def test_a_token_that_is_no_jws_is_refused_with_its_exact_reason(token: str, reason: str) -> None:
    """The reason is what the access log records for an operator: exactly this code."""
    from site_builder.keyservice.idtoken import _header

    with pytest.raises(LoginRejected) as refused:
        _header(token)
    assert str(refused.value) == reason
