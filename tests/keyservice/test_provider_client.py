"""The OpenID Connect client on its own: what it sends to the token endpoint and how long it
waits, how it names each failure for the access log, and when it fetches the provider's keys
again (its clock is the test's, so an hour passes without waiting)."""

from __future__ import annotations

import base64
import hashlib
import string
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey
from pydantic import SecretStr

from site_builder.keyservice.config import ProviderConfig
from site_builder.keyservice.oidc import (
    LoginRejected,
    ProviderClient,
    ProviderUnavailable,
    pkce_pair,
)
from tests.fresh_loop import run_on_fresh_loop
from tests.keyservice.fakeidp import CLIENT_ID, CLIENT_SECRET, ISSUER, fake_config

TOKEN_ENDPOINT = ISSUER + "/token"
META = {
    "issuer": ISSUER,
    "authorization_endpoint": ISSUER + "/authorize",
    "token_endpoint": TOKEN_ENDPOINT,
    "jwks_uri": ISSUER + "/jwks",
}
KEY = ECKey.generate_key("P-256", parameters={"kid": "k1"})


def _config(**update: Any) -> ProviderConfig:
    return fake_config(base_url="http://127.0.0.1:8000").providers[0].model_copy(update=update)


class Provider:
    """Discovery, a JWKS and a token endpoint answering as the test says; keeps each request."""

    def __init__(self, *, token: httpx.Response | None = None, jwks: Any = None) -> None:
        self.token = token or httpx.Response(200, json={"id_token": "h.p.s"})
        self.jwks = jwks if jwks is not None else {"keys": [KEY.as_dict(private=False)]}
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if request.url.path == "/token":
            return self.token
        if request.url.path == "/jwks":
            return httpx.Response(200, json=self.jwks)
        return httpx.Response(200, json=META)

    def fetched(self, path: str) -> int:
        return sum(1 for r in self.sent if r.url.path == path)


def _with_client(
    provider: Provider | Callable[[httpx.Request], httpx.Response],
    use: Callable[[ProviderClient], Any],
    *,
    config: ProviderConfig | None = None,
    clock: Callable[[], float] | None = None,
) -> Any:
    async def run() -> Any:
        async with httpx.AsyncClient(transport=httpx.MockTransport(provider)) as http:
            client = ProviderClient(
                config=config or _config(), http=http, clock=clock or time.monotonic
            )
            return await use(client)

    return run_on_fresh_loop(run)


def _exchange(client: ProviderClient) -> Any:
    return client.exchange_code(
        code="the-code", redirect_uri="http://127.0.0.1:8000/auth/callback", verifier="the-v"
    )


def test_the_code_is_exchanged_with_rfc_6749_s_form_waiting_at_most_10_seconds() -> None:
    provider = Provider()
    assert _with_client(provider, _exchange) == "h.p.s"
    [sent] = [r for r in provider.sent if r.url.path == "/token"]
    assert sent.method == "POST"
    assert parse_qs(sent.content.decode()) == {
        "grant_type": ["authorization_code"],
        "code": ["the-code"],
        "redirect_uri": ["http://127.0.0.1:8000/auth/callback"],
        "code_verifier": ["the-v"],
    }
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert sent.headers["authorization"] == f"Basic {basic}"
    # The service's HTTP client keeps httpx's 5 s default; the token endpoint gets 10.
    assert sent.extensions["timeout"] == {
        "connect": 10.0,
        "read": 10.0,
        "write": 10.0,
        "pool": 10.0,
    }


def test_a_private_key_jwt_assertion_names_the_token_endpoint_as_its_audience() -> None:
    signer = ECKey.generate_key("P-256")
    config = _config(
        auth_method="private_key_jwt",
        client_secret=None,
        private_key=SecretStr(signer.as_pem(private=True).decode()),
        private_key_alg="ES256",
    )
    provider = Provider()
    _with_client(provider, _exchange, config=config)
    [sent] = [r for r in provider.sent if r.url.path == "/token"]
    assertion = parse_qs(sent.content.decode())["client_assertion"][0]
    assert jwt.decode(assertion, signer, algorithms=["ES256"]).claims["aud"] == TOKEN_ENDPOINT


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (httpx.Response(200, content=b"<html>ok</html>"), "token_response_bad_json"),
        (httpx.Response(200, json=["h.p.s"]), "token_response_bad_json"),
        (httpx.Response(200, json={"access_token": "at"}), "token_response_without_id_token"),
        (httpx.Response(200, json={"id_token": 5}), "token_response_without_id_token"),
    ],
)
def test_a_token_answer_without_an_id_token_is_named_for_the_access_log(
    answer: httpx.Response, reason: str
) -> None:
    with pytest.raises(LoginRejected) as refused:
        _with_client(Provider(token=answer), _exchange)
    assert refused.value.reason == reason


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_token_endpoint_server_error_is_unavailable_not_a_failed_sign_in(status: int) -> None:
    # `unavailable` tells the family to try again later; `failed` would say they did wrong.
    with pytest.raises(ProviderUnavailable):
        _with_client(Provider(token=httpx.Response(status, json={"error": "busy"})), _exchange)


def test_a_jwks_that_is_not_a_key_set_is_named_for_the_access_log() -> None:
    with pytest.raises(LoginRejected) as refused:
        _with_client(Provider(jwks={"keys": [{"kty": "none"}]}), lambda c: c.keys_for("k1"))
    assert refused.value.reason == "jwks_invalid"


def test_the_keys_are_fetched_again_after_an_hour_and_for_a_new_kid_at_most_once_a_minute() -> None:
    provider = Provider()
    now = [10_000.0]

    async def steps(client: ProviderClient) -> list[int]:
        counts = []

        async def at(seconds: float, kid: str | None) -> None:
            now[0] = 10_000.0 + seconds
            await client.keys_for(kid)
            counts.append(provider.fetched("/jwks"))

        await at(0, None)  # the first sign-in: fetched
        await at(1, "k1")  # its kid is known: cached
        await at(61, "k1")  # still known a minute later: cached
        await at(61, None)  # no kid: the cached set
        await at(70, "k2")  # a new kid (the provider rotated): fetched
        await at(100, "k3")  # another unknown kid within the minute: not fetched again
        await at(130, "k3")  # exactly a minute after the last fetch: not yet
        await at(130.5, "k3")  # past the minute: fetched
        await at(3730.5, "k1")  # an hour after the last fetch: kept exactly an hour
        await at(3731, "k1")  # past the hour: fetched, though the kid is known
        return counts

    counts = _with_client(provider, steps, clock=lambda: now[0])
    assert counts == [1, 1, 1, 1, 2, 2, 2, 3, 3, 4]


async def _authorize_url(client: ProviderClient) -> str:
    return await client.authorize_url(
        redirect_uri="http://127.0.0.1:8000/auth/callback", state="st", nonce="no", challenge="ch"
    )


def test_the_authorize_url_asks_for_a_code_with_pkce_for_this_client() -> None:
    config = _config(scopes=["openid", "profile"], acr_values=["loa3", "loa4"])

    authorize = _with_client(Provider(), _authorize_url, config=config)
    endpoint, query = authorize.split("?", 1)
    assert endpoint == ISSUER + "/authorize"
    assert parse_qs(query) == {
        "response_type": ["code"],
        "client_id": [CLIENT_ID],
        "redirect_uri": ["http://127.0.0.1:8000/auth/callback"],
        "scope": ["openid profile"],
        "state": ["st"],
        "nonce": ["no"],
        "code_challenge": ["ch"],
        "code_challenge_method": ["S256"],
        "prompt": ["login"],
        "acr_values": ["loa3 loa4"],
    }


def test_the_pkce_challenge_is_the_unpadded_base64url_sha256_of_the_verifier() -> None:
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    assert set(verifier) <= set(string.ascii_letters + string.digits + "-_")
    digest = hashlib.sha256(verifier.encode()).digest()
    assert challenge == base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert len(challenge) == 43


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (httpx.Response(404, text="not here"), "provider_http_404"),
        (httpx.Response(200, content=b"<html>"), "provider_bad_json"),
        (httpx.Response(200, json=["issuer"]), "provider_bad_json"),
        (httpx.Response(200, json={**META, "issuer": ISSUER + "/"}), "discovery_issuer_mismatch"),
    ],
)
def test_a_discovery_answer_that_cannot_be_used_is_named_for_the_access_log(
    answer: httpx.Response, reason: str
) -> None:
    with pytest.raises(LoginRejected) as refused:
        _with_client(lambda request: answer, lambda c: c.metadata())
    assert refused.value.reason == reason


@pytest.mark.parametrize("status", [500, 503])
def test_discovery_that_fails_on_the_server_is_unavailable(status: int) -> None:
    with pytest.raises(ProviderUnavailable):
        _with_client(lambda request: httpx.Response(status), lambda c: c.metadata())


def test_discovery_is_kept_an_hour_and_fetched_with_a_10_second_limit() -> None:
    provider = Provider()
    now = [5_000.0]

    async def steps(client: ProviderClient) -> list[int]:
        counts = []
        for seconds in (0, 3600, 3600.5, 7200.5, 7201):
            now[0] = 5_000.0 + seconds
            await client.metadata()
            counts.append(provider.fetched("/.well-known/openid-configuration"))
        return counts

    assert _with_client(provider, steps, clock=lambda: now[0]) == [1, 1, 2, 2, 3]
    timeouts = {str(r.extensions["timeout"]) for r in provider.sent}
    assert timeouts == {str({"connect": 10.0, "read": 10.0, "write": 10.0, "pool": 10.0})}


def test_acr_values_are_asked_for_only_when_configured_and_a_query_is_kept() -> None:
    # A provider whose authorize endpoint carries its own query (a tenant, say) keeps it.
    meta = {**META, "authorization_endpoint": ISSUER + "/authorize?tenant=skola"}
    config = _config(request_acr=False, acr_values=["loa3"])

    authorize = _with_client(
        lambda request: httpx.Response(200, json=meta), _authorize_url, config=config
    )
    assert authorize.startswith(ISSUER + "/authorize?tenant=skola&response_type=code&")
    query = parse_qs(authorize.split("?", 1)[1])
    assert query["tenant"] == ["skola"] and "acr_values" not in query
