"""Operator mistakes in keyservice.toml are named at start; `serve` wires the app it runs."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from site_builder.cli import main
from site_builder.fp1 import MasterKey, b64u_encode
from site_builder.keyservice.config import ConfigError, load_config
from site_builder.keyservice.idtoken import Expected, verify_id_token
from site_builder.keyservice.oidc import LoginRejected
from site_builder.serve import create_app
from tests.fresh_loop import run_on_fresh_loop
from tests.keyservice.site import write_register

PROVIDER = (
    '[[providers]]\nid = "eid"\nlabel = {sv = "E-legitimation", en = "e-ID"}\n'
    'issuer = "https://idp.example.se"\nclient_id = "x"\n'
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keyservice.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("http://skola.example.se", "must be https"),
        ("https://skola.example.se/app", "origin only"),
        ("https://skola.example.se/?x=1", "origin only"),
        ("https://admin:pw@skola.example.se", "origin only"),
    ],
)
def test_base_url_must_be_an_https_origin(tmp_path: Path, base_url: str, message: str) -> None:
    toml = _write(tmp_path, f'base_url = "{base_url}"\n{PROVIDER}client_secret_env = "S"\n')
    with pytest.raises(ConfigError, match=rf"base_url: .*{message}"):
        load_config(toml, env={"S": "secret"})


def test_loopback_http_base_url_is_accepted(tmp_path: Path) -> None:
    toml = _write(
        tmp_path, f'base_url = "http://127.0.0.1:8000/"\n{PROVIDER}client_secret_env = "S"\n'
    )
    assert load_config(toml, env={"S": "secret"}).base_url == "http://127.0.0.1:8000"


def test_base_url_is_kept_as_browsers_write_the_origin(tmp_path: Path) -> None:
    """Scheme and host in lower case: an https deployment written "HTTPS://Skola…" is still
    one (Secure cookies, https-only provider endpoints, its exact Origin and callback URL)."""
    toml = _write(
        tmp_path,
        f'base_url = "HTTPS://Skola.Example.SE:8443/"\n{PROVIDER}client_secret_env = "S"\n',
    )
    assert load_config(toml, env={"S": "secret"}).base_url == "https://skola.example.se:8443"


def test_private_key_problems_are_named_at_load(tmp_path: Path) -> None:
    jwt_provider = PROVIDER + 'auth_method = "private_key_jwt"\nprivate_key_alg = "ES256"\n'
    missing = _write(
        tmp_path,
        f'base_url = "https://s.example.se"\n{jwt_provider}'
        f'private_key_file = "{tmp_path / "absent.pem"}"\n',
    )
    with pytest.raises(ConfigError, match=r"providers\[eid\]\.private_key_file: cannot read"):
        load_config(missing, env={})
    with_env = _write(
        tmp_path, f'base_url = "https://s.example.se"\n{jwt_provider}private_key_env = "K"\n'
    )
    public_pem = ECKey.generate_key("P-256").as_pem(private=False).decode()
    with pytest.raises(ConfigError, match=r"providers\[eid\]: private key: a public key"):
        load_config(with_env, env={"K": public_pem})
    with pytest.raises(ConfigError, match=r"providers\[eid\]: private key: not a private EC"):
        load_config(with_env, env={"K": "-----BEGIN GARBAGE-----"})
    private_pem = ECKey.generate_key("P-256").as_pem(private=True).decode()
    assert load_config(with_env, env={"K": private_pem}).providers[0].private_key is not None


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_each_client_secret_method_reads_its_secret_from_the_named_variable(
    tmp_path: Path, method: str
) -> None:
    toml = _write(
        tmp_path,
        f'base_url = "https://s.example.se"\n{PROVIDER}auth_method = "{method}"\n'
        'client_secret_env = "S"\n',
    )
    provider = load_config(toml, env={"S": "the-secret"}).providers[0]
    assert provider.client_secret is not None
    assert provider.client_secret.get_secret_value() == "the-secret"
    assert provider.private_key is None
    with pytest.raises(ConfigError, match=r"providers\[eid\]: set client_secret_env and export"):
        load_config(toml, env={})


def test_a_private_key_variable_that_is_not_exported_falls_back_to_the_file(
    tmp_path: Path,
) -> None:
    jwt_provider = PROVIDER + 'auth_method = "private_key_jwt"\nprivate_key_alg = "ES256"\n'
    key_file = tmp_path / "client.pem"
    pem = ECKey.generate_key("P-256").as_pem(private=True).decode()
    key_file.write_text(pem)
    key_file.chmod(0o600)
    both = _write(
        tmp_path,
        f'base_url = "https://s.example.se"\n{jwt_provider}private_key_env = "K"\n'
        f'private_key_file = "{key_file}"\n',
    )
    provider = load_config(both, env={}).providers[0]
    assert provider.private_key is not None and provider.private_key.get_secret_value() == pem
    env_only = _write(
        tmp_path, f'base_url = "https://s.example.se"\n{jwt_provider}private_key_env = "K"\n'
    )
    with pytest.raises(
        ConfigError, match=r"providers\[eid\]: private_key_jwt needs private_key_env or "
    ):
        load_config(env_only, env={})


def test_a_client_secret_method_does_not_check_a_private_key_it_never_uses(
    tmp_path: Path,
) -> None:
    # Left over from private_key_jwt (an EC key, while private_key_alg says RS256): the
    # client_secret_basic sign-in never signs with it, so the service starts.
    leftover = ECKey.generate_key("P-256").as_pem(private=True).decode().replace("\n", "\\n")
    toml = _write(
        tmp_path,
        f'base_url = "https://s.example.se"\n{PROVIDER}client_secret_env = "S"\n'
        f'private_key = "{leftover}"\n',
    )
    provider = load_config(toml, env={"S": "the-secret"}).providers[0]
    assert provider.auth_method == "client_secret_basic" and provider.private_key is not None


def test_encryption_key_under_the_token_kid_is_not_used_to_verify() -> None:
    key = ECKey.generate_key("P-256", parameters={"kid": "k1", "use": "enc"})
    now = int(time.time())
    claims = {"iss": "https://idp", "aud": "c", "sub": "s", "iat": now, "exp": now + 60}
    # The same key material, unmarked, signs; the provider publishes it marked `use: enc`.
    signer = ECKey.import_key({k: v for k, v in key.as_dict(private=True).items() if k != "use"})
    token = jwt.encode({"alg": "ES256", "kid": "k1"}, {**claims, "nonce": "n"}, signer)
    expected = Expected(
        issuer="https://idp", client_id="c", nonce="n", algorithms=("ES256",), acr_values=()
    )

    async def keys_for(kid: str | None) -> KeySet:
        return KeySet.import_key_set({"keys": [dict(key.as_dict(private=False))]})

    with pytest.raises(LoginRejected, match="unknown_kid"):
        run_on_fresh_loop(
            lambda: verify_id_token(token, expected=expected, keys_for=keys_for, now=now)
        )


def test_hsts_only_on_an_https_origin(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "latest.json").write_text("{}")
    master = MasterKey.generate()
    for base_url, hsts in (("https://skola.example.se", True), ("http://127.0.0.1:8000", False)):
        app = create_app(site_dir=site, master=master, base_url=base_url)

        async def fetch(app: Any = app, origin: str = base_url) -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=origin) as client:
                return await client.get("/latest.json")

        answer = run_on_fresh_loop(fetch)
        assert answer.status_code == 200
        assert ("strict-transport-security" in answer.headers) is hsts


def test_serve_command_builds_the_app_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = write_register(tmp_path / "export").parent
    ran: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        ran.update(options, app=app)

    monkeypatch.setattr("uvicorn.run", fake_run)
    env = {"SITE_BUILDER_MASTER_KEY": MasterKey.generate().to_b64u()}
    args = ["serve", "--out", str(tmp_path / "site"), "--dev-idp", str(export)]
    result = CliRunner().invoke(main, [*args, "--host", "[::1]", "--port", "8123"], env=env)
    assert result.exit_code == 0, result.output
    assert ran["host"] == "::1" and ran["port"] == 8123
    assert ran["access_log"] is False  # no URLs or addresses in uvicorn's log

    async def discovery() -> dict[str, Any]:
        transport = httpx.ASGITransport(app=ran["app"])
        async with httpx.AsyncClient(transport=transport, base_url="http://[::1]:8123") as client:
            answer = await client.get("/dev-idp/.well-known/openid-configuration")
            providers = await client.get("/auth/providers")
        assert [p["id"] for p in providers.json()["providers"]] == ["eid", "skola"]
        value: dict[str, Any] = answer.json()
        return value

    assert run_on_fresh_loop(discovery)["issuer"] == "http://[::1]:8123/dev-idp"


def test_serve_without_master_key_says_what_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--state-dir", str(tmp_path)], env={"SITE_BUILDER_MASTER_KEY": ""}
    )
    assert result.exit_code == 1
    assert "site-builder keys init" in result.output
    assert "Traceback" not in result.output


def test_serve_refuses_dev_idp_together_with_a_config(tmp_path: Path) -> None:
    export = write_register(tmp_path / "export").parent
    toml = _write(tmp_path, f'base_url = "https://s.example.se"\n{PROVIDER}')
    result = CliRunner().invoke(
        main, ["serve", "--dev-idp", str(export), "--config", str(toml)], env={}
    )
    assert result.exit_code == 1
    assert "leave out --config" in result.output


def _verified(token: str, keys: list[dict[str, Any]], now: int) -> dict[str, Any]:
    expected = Expected(
        issuer="https://idp", client_id="c", nonce="n", algorithms=("ES256",), acr_values=()
    )

    async def keys_for(kid: str | None) -> KeySet:
        return KeySet.import_key_set({"keys": keys})

    return run_on_fresh_loop(
        lambda: verify_id_token(token, expected=expected, keys_for=keys_for, now=now)
    )


def _reason(token: str, keys: list[dict[str, Any]], now: int) -> str:
    with pytest.raises(LoginRejected) as refused:
        _verified(token, keys, now)
    return str(refused.value)


def test_the_verifying_key_is_chosen_by_kid_use_and_alg_and_each_refusal_says_why() -> None:
    from joserfc.jwk import RSAKey

    k1 = ECKey.generate_key("P-256", parameters={"kid": "k1"})
    k2 = ECKey.generate_key("P-256", parameters={"kid": "k2"})
    pub1, pub2 = dict(k1.as_dict(private=False)), dict(k2.as_dict(private=False))
    now = int(time.time())
    claims = {
        "iss": "https://idp",
        "aud": "c",
        "sub": "s",
        "iat": now,
        "exp": now + 60,
        "nonce": "n",
    }
    no_kid = jwt.encode({"alg": "ES256"}, claims, k1)
    with_kid = jwt.encode({"alg": "ES256", "kid": "k1"}, claims, k1)
    assert _verified(no_kid, [pub1], now)["sub"] == "s"  # one key, no kid: that key
    assert _reason(no_kid, [pub1, pub2], now) == "unknown_kid"  # which one? refused
    assert _verified(with_kid, [pub2, pub1], now)["sub"] == "s"  # the kid picks it
    assert _verified(with_kid, [{**pub1, "use": "sig", "alg": "ES256"}], now)["sub"] == "s"
    assert _reason(with_kid, [{**pub1, "alg": "ES384"}], now) == "unknown_kid"
    assert _reason(jwt.encode({"alg": "ES256", "kid": "k1"}, claims, k2), [pub1], now) == (
        "bad_signature"
    )
    _, payload, signature = with_kid.split(".")
    numeric_kid = b64u_encode(json.dumps({"alg": "ES256", "kid": 5}).encode())
    assert _reason(f"{numeric_kid}.{payload}.{signature}", [pub1], now) == "kid_invalid"
    rsa = RSAKey.generate_key(2048, parameters={"kid": "r1"})
    rs256 = jwt.encode({"alg": "RS256", "kid": "r1"}, claims, rsa)  # asymmetric, not allowed here
    assert _reason(rs256, [dict(rsa.as_dict(private=False))], now) == "alg_not_allowed"


# joserfc warns as it imports an RSA key under 2048 bits; here the small key is the point.
@pytest.mark.filterwarnings("ignore:Key size should be")
def test_a_jwks_key_too_small_for_the_token_alg_is_a_bad_signature_not_a_crash() -> None:
    # A broken or hostile provider publishes a 512-bit RSA key; a PS512 token cannot even be
    # checked against it (the hash does not fit: the crypto library raises ValueError, not a
    # JOSE error). The sign-in is refused with the access log's `bad_signature`, never a 500.
    now = int(time.time())
    claims = {"iss": "https://idp", "aud": "c", "sub": "s", "iat": now, "exp": now + 60}
    modulus = (1 << 511) | (1 << 300) | 1
    small = {"kty": "RSA", "kid": "r1", "e": "AQAB", "n": b64u_encode(modulus.to_bytes(64, "big"))}
    header = b64u_encode(json.dumps({"alg": "PS512", "kid": "r1"}).encode())
    payload = b64u_encode(json.dumps({**claims, "nonce": "n"}).encode())
    token = f"{header}.{payload}.{b64u_encode(bytes(64))}"
    expected = Expected(
        issuer="https://idp", client_id="c", nonce="n", algorithms=("PS512",), acr_values=()
    )

    async def keys_for(kid: str | None) -> KeySet:
        return KeySet.import_key_set({"keys": [small]})

    with pytest.raises(LoginRejected) as refused:
        run_on_fresh_loop(
            lambda: verify_id_token(token, expected=expected, keys_for=keys_for, now=now)
        )
    assert refused.value.reason == "bad_signature" and str(refused.value) == "bad_signature"
