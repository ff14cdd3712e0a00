"""`build --watch --notify-config`: a saved correction is published, and the guardians who
turned notices on get their mail from the running watcher — through a real SMTP server."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from site_builder.fp1 import MasterKey
from site_builder.notify.consent import CONSENT_FILE, ConsentStore
from tests.notify.conftest import EXAMPLE, rid_of
from tests.notify.smtpd import PASSWORD, smtp_server
from tests.serve_cli import SITE_BUILDER


def _wait_for(predicate: Callable[[], bool], log: Path, *, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(log.read_text(encoding="utf-8"))


def test_watch_notifies_after_a_publish_that_changed_a_keyring(tmp_path: Path) -> None:
    export = Path(shutil.copytree(EXAMPLE, tmp_path / "export"))
    state = tmp_path / "state"
    master = MasterKey.generate()
    env = {
        **os.environ,
        "SITE_BUILDER_MASTER_KEY": master.to_b64u(),
        "NOTIFY_SMTP_PASSWORD": PASSWORD,
    }
    log = tmp_path / "watch.log"
    with smtp_server(tmp_path) as smtp:
        config = tmp_path / "notify.toml"
        config.write_text(smtp.config_toml(base_url="https://skola.exempelby.example"))
        args = [str(export), "--out", str(tmp_path / "site"), "--state-dir", str(state)]
        args += ["--watch", "--quiet-ms", "50", "--jobs", "1", "--notify-config", str(config)]
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [SITE_BUILDER, "build", *args], stdout=sink, stderr=sink, env=env
            )
        try:
            _wait_for(lambda: "notify: first run" in log.read_text(encoding="utf-8"), log)
            store = ConsentStore.open(state / CONSENT_FILE)
            store.set_email(rid_of(master, "p-vh-01"), on=True)
            store.close()
            post = next((export / "children" / "p-barn-01" / "larlogg").iterdir())
            post.write_text(post.read_text(encoding="utf-8") + "\nRättelse.\n", encoding="utf-8")
            _wait_for(lambda: len(smtp.handler.received) == 1, log)
            _wait_for(lambda: "notify: notified 1 by e-mail" in log.read_text("utf-8"), log)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert smtp.handler.received[0].rcpt_tos == ["anna.ek@post.example"]
