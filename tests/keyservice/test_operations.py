"""Operating the key service: a log line when a sign-in starts, the access log following
logrotate, and prompt=login towards the provider (off only where configured)."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from site_builder.fp1 import MasterKey
from site_builder.keyservice.accesslog import AccessLog
from site_builder.keyservice.oidc import ProviderClient
from tests.fresh_loop import run_on_fresh_loop
from tests.keyservice.fakeidp import FakeProvider, fake_config
from tests.keyservice.harness import live_harness
from tests.keyservice.site import GUARDIAN_PNR


def test_a_sign_in_start_is_logged_without_personal_data(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master) as harness:
        harness.login()
    assert harness.records()[-1] == {
        "time": harness.records()[-1]["time"],
        "event": "login_start",
        "rid": None,
        "provider": "eid",
        "acr": None,
        "outcome": "ok",
        "reason": None,
    }


def test_prompt_login_is_sent_unless_a_provider_turns_it_off(tmp_path: Path) -> None:
    fake = FakeProvider(pnr=GUARDIAN_PNR)
    provider = fake_config(base_url="http://127.0.0.1:8000").providers[0]

    async def query(prompt_login: bool) -> dict[str, list[str]]:
        config = provider.model_copy(update={"prompt_login": prompt_login})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=fake.app())) as http:
            url = await ProviderClient(config=config, http=http).authorize_url(
                redirect_uri="http://127.0.0.1:8000/auth/callback",
                state="s",
                nonce="n",
                challenge="c",
            )
        return parse_qs(urlsplit(url).query)

    assert run_on_fresh_loop(lambda: query(True))["prompt"] == ["login"]
    assert "prompt" not in run_on_fresh_loop(lambda: query(False))


def test_the_access_log_follows_logrotate(tmp_path: Path) -> None:
    path = tmp_path / "log" / "access.jsonl"
    log = AccessLog.open(path)
    log.write(event="unlock", outcome="ok", rid="a" * 26)
    os.rename(path, path.with_suffix(".jsonl.1"))  # logrotate's default: move, then `create`
    path.touch()
    log.write(event="unlock", outcome="ok", rid="b" * 26)

    def rids(p: Path) -> list[str]:
        return [json.loads(line)["rid"][0] for line in p.read_text().splitlines()]

    assert rids(path) == ["b"]
    path.unlink()  # or the file deleted outright
    log.write(event="unlock", outcome="ok", rid="c" * 26)
    log.stream.close()
    assert rids(path.with_suffix(".jsonl.1")) == ["a"]
    assert rids(path) == ["c"]


def test_the_access_log_goes_to_stderr_unless_a_file_is_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    AccessLog.open(None).write(event="login", outcome="rejected", reason="wrong_iss")
    [line] = capsys.readouterr().err.splitlines()
    assert json.loads(line)["reason"] == "wrong_iss"


def test_the_access_log_file_is_kept_across_restarts_in_a_folder_made_on_first_start(
    tmp_path: Path,
) -> None:
    path = tmp_path / "var" / "log" / "site-builder" / "access.jsonl"  # none of them exists yet
    for rid in ("a" * 26, "b" * 26):  # two starts of the service: the folder is there the second
        log = AccessLog.open(path)
        log.write(event="unlock", outcome="ok", rid=rid)
        log.stream.close()
    assert [json.loads(line)["rid"][0] for line in path.read_text().splitlines()] == ["a", "b"]


def test_access_log_lines_are_the_documented_ascii_json(tmp_path: Path) -> None:
    # deploy.md shows operators the lines they will grep and parse: the same keys in the same
    # order, compact, the time in UTC; text from a provider (acr) is escaped to ASCII.
    deploy = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
    documented = [x for x in deploy.read_text().splitlines() if x.startswith('{"time":')]
    assert len(documented) >= 3
    path = tmp_path / "access.jsonl"
    log = AccessLog.open(path)
    for line in documented:
        shown = json.loads(line)
        log.write(
            event=shown["event"],
            outcome=shown["outcome"],
            provider=shown["provider"],
            rid=shown["rid"],
            acr=shown["acr"],
            reason=shown["reason"],
        )
    log.write(event="login", outcome="ok", provider="eid", acr="nivå 3\n")
    log.stream.close()
    written = path.read_bytes().decode("ascii").splitlines()
    for doc, line in zip(documented, written, strict=False):
        time = json.loads(line)["time"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", time)
        assert abs(datetime.fromisoformat(time) - datetime.now(UTC)) < timedelta(minutes=1)
        assert line.replace(time, json.loads(doc)["time"]) == doc
    assert json.loads(written[-1])["acr"] == "nivå 3\n"
