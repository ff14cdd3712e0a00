"""Fixtures for `site-builder notify`: the example built three times under one fresh master key
(before; one child's log changed; every child's log changed), each build's state kept, so a test
can show notify "what the build did" by putting that state in place."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from site_builder.fp1 import MasterKey, reader_id, subject_for_eppn, subject_for_pnr
from site_builder.notify.consent import CONSENT_FILE, ConsentStore
from site_builder.pipeline.state.build_state import STATE_FILE, load_state
from tests.keyservice.harness import Harness, live_harness
from tests.notify.smtpd import PASSWORD, SmtpServer, smtp_server
from tests.serve_cli import ROOT, SITE_BUILDER

EXAMPLE = ROOT / "content" / "example"
CHANGED_CHILD = "p-barn-01"  # guardians p-vh-01 and p-vh-02


def _append(log: Path, text: str) -> None:
    log.write_text(log.read_text(encoding="utf-8") + text, encoding="utf-8")


@dataclass(frozen=True)
class Built:
    export: Path
    site: Path  # the last build's site (the `--out` symlink)
    master: MasterKey
    env: dict[str, str]
    states: dict[str, bytes]  # "before" / "one" / "all" → state.bin


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("notify-build")
    export = root / "export"
    shutil.copytree(EXAMPLE, export)
    master = MasterKey.generate()
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": master.to_b64u()}
    env["NOTIFY_SMTP_PASSWORD"] = PASSWORD
    state = root / "state"
    states: dict[str, bytes] = {}

    def build(name: str) -> None:
        done = subprocess.run(
            [
                SITE_BUILDER,
                "build",
                str(export),
                "--out",
                str(root / "site"),
                "--state-dir",
                str(state),
                "--full",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        states[name] = (state / STATE_FILE).read_bytes()

    build("before")
    _append(next((export / "children" / CHANGED_CHILD / "larlogg").iterdir()), "\n\nTillägg.\n")
    build("one")
    for child in sorted((export / "children").iterdir()):
        for log in sorted(child.rglob("*.md"))[:1]:
            _append(log, "\n\nÄnnu ett tillägg.\n")
    build("all")
    return Built(export=export, site=root / "site", master=master, env=env, states=states)


@dataclass
class Setup:
    built: Built
    state_dir: Path
    config: Path
    smtp: SmtpServer
    own_export: Path | None = None

    @property
    def export(self) -> Path:
        return self.own_export or self.built.export

    def edit_register(self, folder: Path, edit: Callable[[dict[str, Any]], None]) -> None:
        """From now on notify reads a copy of the export whose register `edit` changed."""
        copy = folder / "export-copy"
        if self.own_export is None:
            shutil.copytree(self.built.export, copy)
            self.own_export = copy
        register = json.loads((copy / "register.json").read_text(encoding="utf-8"))
        edit(register)
        (copy / "register.json").write_text(json.dumps(register), encoding="utf-8")

    def all_rids(self) -> list[str]:
        return sorted(load_state(self.state_dir, keys=[self.built.master]).keyrings)

    def consent_rids(self, rids: list[str]) -> None:
        store = ConsentStore.open(self.state_dir / CONSENT_FILE)
        for rid in rids:
            store.set_email(rid, on=True)
        store.close()

    def use_state(self, name: str) -> None:
        (self.state_dir / STATE_FILE).write_bytes(self.built.states[name])

    def consent(self, *persons: str) -> list[str]:
        store = ConsentStore.open(self.state_dir / CONSENT_FILE)
        rids = [rid_of(self.built.master, p) for p in persons]
        for rid in rids:
            store.set_email(rid, on=True)
        store.close()
        return rids

    def command(self, *args: str) -> list[str]:
        return [
            SITE_BUILDER,
            "notify",
            str(self.export),
            "--config",
            str(self.config),
            "--state-dir",
            str(self.state_dir),
            *args,
        ]

    def notify(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.built.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(*args),
            env=self.built.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


PNR = {
    "p-vh-01": "198403129821",
    "p-vh-02": "198207059810",
    "p-vh-03": "198509219849",
    "p-vh-06": "198904309880",
    "p-vh-07": "198306039820",
    "p-vh-10": "198602279849",
}


def rid_of(master: MasterKey, person: str) -> str:
    if person == "p-barn-11":
        return reader_id(master, subject_for_eppn("astrid.berg@skola.exempelby.se"))
    return reader_id(master, subject_for_pnr(PNR[person]))


@pytest.fixture
def setup(built: Built, tmp_path: Path) -> Iterator[Setup]:
    """A fresh state dir holding the "before" state, notified once (the baseline run), and a
    real SMTP server with STARTTLS and AUTH; notify.toml points at it."""
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    with smtp_server(tmp_path) as smtp:
        config = tmp_path / "notify.toml"
        config.write_text(smtp.config_toml(base_url="https://skola.exempelby.example"))
        s = Setup(built=built, state_dir=state_dir, config=config, smtp=smtp)
        s.use_state("before")
        done = s.notify()
        assert done.returncode == 0, done.stderr
        assert "first run" in done.stdout
        yield s


# The consent API's tests (test_consent_api.py, test_consent_answers.py): a live key service
# with its consent database.
@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "notify.sqlite"


@pytest.fixture
def harness(tmp_path: Path, db: Path) -> Iterator[Harness]:
    with live_harness(tmp_path, MasterKey.generate(), notify_db=db) as built:
        yield built
