"""Client authentication at the token endpoint, as the key service sends it and the dev IdP
checks it: client_secret_basic, client_secret_post and private_key_jwt (either audience)."""

from __future__ import annotations

import base64
import json
from typing import Literal

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey
from pydantic import SecretStr

from site_builder.devidp.clients import DevClient, authenticate
from site_builder.keyservice.clientauth import ASSERTION_TYPE, client_auth
from site_builder.keyservice.config import Label, ProviderConfig

ISSUER = "http://127.0.0.1:9/dev-idp"
TOKEN_ENDPOINT = ISSUER + "/token"


def _provider(**values: object) -> ProviderConfig:
    fields: dict[str, object] = {"issuer": ISSUER, **values}
    return ProviderConfig(id="eid", label=Label(sv="e", en="e"), client_id="fp:client", **fields)


def test_basic_form_encodes_id_and_secret() -> None:
    config = _provider(client_secret=SecretStr("a:b%c"))
    form, headers = client_auth(config, token_endpoint=TOKEN_ENDPOINT)
    assert form == {}
    pair = base64.b64decode(headers["Authorization"].removeprefix("Basic ")).decode()
    assert pair == "fp%3Aclient:a%3Ab%25c"  # RFC 6749 2.3.1
    client = DevClient(
        "fp:client", ("http://127.0.0.1:9/auth/callback",), "guardian", secret="a:b%c"
    )
    found = authenticate(
        {client.client_id: client},
        form={},
        authorization=headers["Authorization"],
        token_endpoint=TOKEN_ENDPOINT,
        seen_assertions=set(),
    )
    assert found == client


def test_basic_encodes_a_slash_too() -> None:
    # quote()'s default keeps "/"; form-urlencoding (RFC 6749 2.3.1) does not.
    config = _provider(client_secret=SecretStr("a/b")).model_copy(update={"client_id": "fp/c"})
    _, headers = client_auth(config, token_endpoint=TOKEN_ENDPOINT)
    pair = base64.b64decode(headers["Authorization"].removeprefix("Basic ")).decode()
    assert pair == "fp%2Fc:a%2Fb"


def test_post_sends_id_and_secret_in_the_form() -> None:
    config = _provider(auth_method="client_secret_post", client_secret=SecretStr("s"))
    assert client_auth(config, token_endpoint=TOKEN_ENDPOINT) == (
        {"client_id": "fp:client", "client_secret": "s"},
        {},
    )


@pytest.mark.parametrize(
    ("audience", "expected"), [("token_endpoint", TOKEN_ENDPOINT), ("issuer", ISSUER)]
)
def test_private_key_jwt_assertion(
    audience: Literal["token_endpoint", "issuer"], expected: str
) -> None:
    key = ECKey.generate_key("P-256", parameters={"kid": "c1"})
    config = _provider(
        auth_method="private_key_jwt",
        private_key=SecretStr(key.as_pem(private=True).decode()),
        private_key_alg="ES256",
        assertion_audience=audience,
    )
    form, headers = client_auth(config, token_endpoint=TOKEN_ENDPOINT)
    assert headers == {} and form["client_assertion_type"] == ASSERTION_TYPE
    claims = jwt.decode(form["client_assertion"], key, algorithms=["ES256"]).claims
    assert claims["aud"] == expected
    assert claims["iss"] == claims["sub"] == "fp:client"
    assert claims["exp"] - claims["iat"] <= 60
    client = DevClient(
        "fp:client",
        ("http://127.0.0.1:9/auth/callback",),
        "guardian",
        public_key=dict(key.as_dict(private=False)),
    )
    seen: set[str] = set()

    def check() -> DevClient | None:
        return authenticate(
            {client.client_id: client},
            form=form,
            authorization=None,
            token_endpoint=TOKEN_ENDPOINT,
            seen_assertions=seen,
        )

    assert check() == client
    assert check() is None  # an assertion is single use (jti)


def test_dev_idp_refuses_an_assertion_for_another_audience() -> None:
    key = ECKey.generate_key("P-256")
    config = _provider(
        auth_method="private_key_jwt",
        private_key=SecretStr(key.as_pem(private=True).decode()),
        private_key_alg="ES256",
        issuer="https://elsewhere.example",
        assertion_audience="issuer",
    )
    form, _ = client_auth(config, token_endpoint="https://elsewhere.example/token")
    client = DevClient("fp:client", ("x",), "guardian", public_key=dict(key.as_dict(private=False)))
    found = authenticate(
        {client.client_id: client},
        form=form,
        authorization=None,
        token_endpoint=TOKEN_ENDPOINT,
        seen_assertions=set(),
    )
    assert found is None


@pytest.mark.parametrize("alg", ["ES256", "RS256"])
def test_a_jwk_or_pem_private_key_signs_with_its_kid(alg: str) -> None:
    """The key may be given as a JWK JSON string (its `kid` goes into the header, so the
    provider can pick the key) or PEM; RSA keys for RS256, EC keys for ES256."""
    from joserfc import jws
    from joserfc.jwk import RSAKey

    key = (
        ECKey.generate_key("P-256", parameters={"kid": "c1"})
        if alg == "ES256"
        else RSAKey.generate_key(2048, parameters={"kid": "c1"})
    )
    for text in (json.dumps(key.as_dict(private=True)), key.as_pem(private=True).decode()):
        config = _provider(
            auth_method="private_key_jwt", private_key=SecretStr(text), private_key_alg=alg
        )
        form, _ = client_auth(config, token_endpoint=TOKEN_ENDPOINT)
        header = jws.extract_compact(form["client_assertion"].encode()).protected
        assert header["alg"] == alg
        if text.startswith("{"):
            assert header["kid"] == "c1"
        assert jwt.decode(form["client_assertion"], key, algorithms=[alg]).claims["sub"]


def test_a_provider_built_without_its_secret_or_key_says_which_is_missing() -> None:
    # load_config refuses these; a ProviderConfig built in code (create_app) can still lack
    # them, and then the sign-in fails with this in the server's log, naming the provider.
    with pytest.raises(ValueError, match=r"^provider eid: no private key for private_key_jwt$"):
        client_auth(_provider(auth_method="private_key_jwt"), token_endpoint=TOKEN_ENDPOINT)
    with pytest.raises(ValueError, match=r"^provider eid: no client secret$"):
        client_auth(_provider(auth_method="client_secret_post"), token_endpoint=TOKEN_ENDPOINT)
