"""Configurations that would work badly are refused at start with the field and the fix; a
provider that is briefly down does not stop `serve`, it is retried in the background."""

from __future__ import annotations

import asyncio
import io
import os
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from joserfc.jwk import ECKey

from site_builder.cli import main
from site_builder.keyservice.config import ConfigError, load_config
from site_builder.keyservice.discovery import (
    DiscoveryProblem,
    check_at_start,
    check_provider,
    keep_trying,
)
from site_builder.keyservice.oidc import ProviderClient
from tests.fresh_loop import run_on_fresh_loop
from tests.keyservice.fakeidp import FakeProvider, fake_config
from tests.keyservice.processes import (
    SECRET_ENV,
    Deployment,
    live_provider,
    serve_instance,
    write_config,
)
from tests.keyservice.site import GUARDIAN_PNR

PROVIDER = (
    '[[providers]]\nid = "eid"\nlabel = {sv = "E-legitimation", en = "e-ID"}\n'
    'client_id = "x"\nclient_secret_env = "S"\n'
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keyservice.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_http_issuer_with_an_https_site_is_refused(tmp_path: Path) -> None:
    toml = _write(
        tmp_path,
        f'base_url = "https://skola.example.se"\n{PROVIDER}issuer = "http://idp.example.se"\n',
    )
    with pytest.raises(ConfigError, match=r"providers\[0\] \(eid\)\.issuer must be https://"):
        load_config(toml, env={"S": "secret"})
    # On a loopback demo (http base_url) an http provider is fine.
    toml.write_text(toml.read_text().replace("https://skola.example.se", "http://127.0.0.1:8000"))
    assert load_config(toml, env={"S": "secret"}).providers[0].issuer == "http://idp.example.se"


def test_guardian_provider_without_acr_values_is_refused(tmp_path: Path) -> None:
    base = f'base_url = "https://skola.example.se"\n{PROVIDER}issuer = "https://idp.example.se"\n'
    toml = _write(tmp_path, base + "acr_values = []\n")
    with pytest.raises(ConfigError, match=r"acr_values is empty: a guardian provider"):
        load_config(toml, env={"S": "secret"})
    student = _write(tmp_path, base + 'audience = "student"\nacr_values = []\n')
    assert load_config(student, env={"S": "secret"}).providers[0].acr_values == []


def test_private_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "client.pem"
    key_file.write_bytes(ECKey.generate_key("P-256").as_pem(private=True))
    os.chmod(key_file, 0o644)
    toml = _write(
        tmp_path,
        'base_url = "https://s.example.se"\n[[providers]]\nid = "eid"\n'
        'label = {sv = "E", en = "E"}\nissuer = "https://idp.example.se"\nclient_id = "x"\n'
        'auth_method = "private_key_jwt"\nprivate_key_alg = "ES256"\n'
        f'private_key_file = "{key_file}"\n',
    )
    with pytest.raises(ConfigError, match=r"readable by others \(mode 644\); run: chmod 600"):
        load_config(toml, env={})
    os.chmod(key_file, 0o600)
    assert load_config(toml, env={}).providers[0].private_key is not None


def test_redis_store_needs_a_url(tmp_path: Path) -> None:
    base = f'base_url = "https://s.example.se"\n{PROVIDER}issuer = "https://idp.example.se"\n'
    toml = _write(tmp_path, base + '[store]\nkind = "redis"\n')
    with pytest.raises(ConfigError, match=r"store: .*needs url"):
        load_config(toml, env={"S": "s"})
    toml = _write(tmp_path, base + '[store]\nkind = "redis"\nurl_env = "REDIS_URL"\n')
    with pytest.raises(ConfigError, match=r"store.url_env: export REDIS_URL"):
        load_config(toml, env={"S": "s"})
    loaded = load_config(toml, env={"S": "s", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert loaded.store.url == "redis://127.0.0.1:6379/0"


def _check_https_site_against(**discovery: str | None) -> None:
    """`serve`'s start check of an https site's provider whose discovery document is the
    provider's usual one with `discovery`'s fields changed (None: left out)."""
    config = fake_config(base_url="https://skola.example.se").providers[0]
    document = {
        "issuer": config.issuer,
        "authorization_endpoint": config.issuer + "/authorize",
        "token_endpoint": config.issuer + "/token",
        "jwks_uri": config.issuer + "/jwks",
    }
    document |= discovery
    answer = {name: value for name, value in document.items() if value is not None}

    async def check() -> None:
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
        async with httpx.AsyncClient(transport=transport) as http:
            await check_provider(ProviderClient(config=config, http=http, https_only=True))

    run_on_fresh_loop(check)


def test_http_endpoints_in_discovery_are_refused_for_an_https_site() -> None:
    with pytest.raises(DiscoveryProblem, match=r"discovery_insecure_token_endpoint"):
        # secret and code in clear
        _check_https_site_against(token_endpoint="http://idp.test/token")


def _client(issuer: str, http: httpx.AsyncClient, *, provider_id: str = "eid") -> ProviderClient:
    """A client for a fake provider on loopback, as `serve` builds one for a provider entry."""
    config = fake_config(base_url="http://127.0.0.1:1").providers[0]
    return ProviderClient(
        config=config.model_copy(update={"id": provider_id, "issuer": issuer}), http=http
    )


class _RecordedWaits:
    """keep_trying's `sleep`: records each wait instead of sleeping, and brings the provider
    back after `down_for` waits."""

    def __init__(self, fake: FakeProvider, *, down_for: int) -> None:
        self.fake, self.down_for, self.seconds = fake, down_for, list[float]()

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)
        if len(self.seconds) == self.down_for:
            self.fake.down = False
        await asyncio.sleep(0)


def test_a_provider_that_is_down_is_retried_with_back_off_until_discovery_works() -> None:
    fake = FakeProvider(pnr=GUARDIAN_PNR, down=True)
    waits = _RecordedWaits(fake, down_for=7)
    stream = io.StringIO()
    with live_provider(fake) as issuer:

        async def retry_then_sign_in() -> str:
            async with httpx.AsyncClient() as http:
                client = _client(issuer, http)
                await keep_trying(client, stream=stream, sleep=waits)
                fake.down = True  # discovery was kept: a sign-in needs no new fetch
                return str((await client.metadata())["authorization_endpoint"])

        authorize = run_on_fresh_loop(retry_then_sign_in)
    # 2 s doubling, capped at a minute: a provider down for long is asked once a minute.
    assert waits.seconds == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    assert stream.getvalue() == "note: provider eid reachable; discovery checked\n"
    assert authorize == issuer + "/authorize"


def test_a_provider_that_comes_back_with_a_wrong_issuer_stops_the_retries_with_the_fix() -> None:
    fake = FakeProvider(pnr=GUARDIAN_PNR, down=True)
    waits = _RecordedWaits(fake, down_for=1)
    stream = io.StringIO()
    with live_provider(fake) as issuer:
        fake.discovered_issuer = issuer + "/"

        async def retry() -> None:
            async with httpx.AsyncClient() as http:
                await keep_trying(_client(issuer, http), stream=stream, sleep=waits)

        run_on_fresh_loop(retry)
    assert waits.seconds == [2.0]  # one wait while down; the wrong answer is not retried
    line = stream.getvalue()
    assert line.startswith(f"error: providers[eid].issuer is '{issuer}' but ")
    assert "(discovery_issuer_mismatch); set issuer to exactly" in line
    assert line.count("\n") == 1 and line.endswith("\n")


def test_check_at_start_names_each_provider_that_did_not_answer() -> None:
    up, down = FakeProvider(pnr=GUARDIAN_PNR), FakeProvider(pnr=GUARDIAN_PNR, down=True)
    with live_provider(up) as up_issuer, live_provider(down) as down_issuer:

        async def check(*ids: str) -> list[str]:
            issuers = {"eid": up_issuer, "bankid": down_issuer, "freja": down_issuer}
            async with httpx.AsyncClient() as http:
                return await check_at_start([_client(issuers[i], http, provider_id=i) for i in ids])

        assert run_on_fresh_loop(lambda: check("eid")) == []
        assert run_on_fresh_loop(lambda: check("bankid", "eid", "freja")) == ["bankid", "freja"]


def test_discovery_without_a_jwks_uri_is_refused_at_start() -> None:
    # Found by the operator when `serve` starts, not at the first guardian's callback.
    with pytest.raises(
        DiscoveryProblem, match=r"^providers\[eid\]: .*\(discovery_missing_jwks_uri\)"
    ):
        _check_https_site_against(jwks_uri=None)


def test_serve_stops_on_an_issuer_mismatch_and_names_the_fix(tmp_path: Path) -> None:
    deployment = Deployment.create(tmp_path)
    fake = FakeProvider(pnr=GUARDIAN_PNR)
    with live_provider(fake) as issuer:
        fake.discovered_issuer = issuer + "/"  # the classic trailing-slash typo
        config = write_config(
            tmp_path / "k.toml", base_url="http://127.0.0.1:1", issuer=issuer,
            access_log=tmp_path / "log.jsonl",
        )  # fmt: skip
        result = CliRunner().invoke(
            main,
            ["serve", "--config", str(config), "--state-dir", str(deployment.state_dir)],
            env={SECRET_ENV: "s"},
        )
    assert result.exit_code == 1
    assert "providers[eid].issuer is" in result.output
    assert "discovery_issuer_mismatch" in result.output and "set issuer to exactly" in result.output
    assert "Traceback" not in result.output


def test_serve_starts_while_the_provider_is_down_and_retries(tmp_path: Path) -> None:
    deployment = Deployment.create(tmp_path)
    fake = FakeProvider(pnr=GUARDIAN_PNR, down=True)
    with live_provider(fake) as issuer:
        config = write_config(
            tmp_path / "k.toml", base_url="http://127.0.0.1:1", issuer=issuer,
            access_log=tmp_path / "log.jsonl",
        )  # fmt: skip
        with serve_instance(deployment, config=config) as instance:
            assert "provider eid did not answer discovery" in instance.log_text()
            login = httpx.get(instance.base_url + "/auth/login", params={"provider": "eid"})
            assert login.headers["location"] == "/#/error/unavailable"
            fake.down = False
            deadline = time.monotonic() + 15
            while "provider eid reachable" not in instance.log_text():
                assert time.monotonic() < deadline, instance.log_text()
                time.sleep(0.2)
            login = httpx.get(instance.base_url + "/auth/login", params={"provider": "eid"})
            assert login.headers["location"].startswith(issuer + "/authorize?")
