"""Faults on the way to the mail server and in the inputs: a clear message, nothing sent twice,
nothing lost, and the next run finishes the job."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from site_builder.notify.consent import CONSENT_FILE
from site_builder.notify.journal import JOURNAL_FILE
from tests.notify.conftest import Setup
from tests.notify.smtpd import smtp_server

READERS_OF_ALL = {  # every reader's address once every child's log changed
    *(
        f"{name}@post.example"
        for name in [
            "anna.ek",
            "johan.ek",
            "sara.berg",
            "omar.haddad",
            "lina.nystrom",
            "karin.holm",
            "peter.sundberg",
            "fatima.aberg",
            "jonas.sjo",
            "emma.kvist",
            "ali.dahl",
            "helena.falk",
            "daniel.wik",
        ]
    ),
    *(f"{name}@skola.exempelby.se" for name in ("astrid.berg", "oskar.falk", "nora.wik")),
}


def _recipients(setup: Setup) -> Counter[str]:
    return Counter(a for r in setup.smtp.handler.received for a in r.rcpt_tos)


def _all_consent(setup: Setup) -> None:
    setup.use_state("all")
    setup.consent_rids(setup.all_rids())


def test_killed_mid_batch_then_rerun_sends_each_mail_once(setup: Setup) -> None:
    _all_consent(setup)
    running: list[subprocess.Popen[str]] = []

    def kill_at_fifth(count: int) -> None:
        if count == 5:  # four mails delivered, the fifth between RCPT and DATA
            os.kill(running[0].pid, signal.SIGKILL)

    setup.smtp.handler.on_rcpt = kill_at_fifth
    running.append(setup.popen())
    running[0].communicate(timeout=60)
    assert running[0].returncode == -signal.SIGKILL
    assert len(setup.smtp.handler.received) == 4
    setup.smtp.handler.on_rcpt = None
    done = setup.notify()
    assert done.returncode == 0, done.stdout + done.stderr
    received = _recipients(setup)
    assert set(received) == READERS_OF_ALL
    assert max(received.values()) == 1, received
    assert "notified 12 by e-mail" in done.stdout  # 16 minus the 4 the killed run sent


def test_connection_closed_mid_batch_reconnects_and_resends_only_the_lost_mail(
    setup: Setup,
) -> None:
    _all_consent(setup)
    setup.smtp.handler.close_after = 3
    done = setup.notify()
    assert done.returncode == 0, done.stderr
    received = _recipients(setup)
    assert set(received) == READERS_OF_ALL and max(received.values()) == 1


def test_slow_server_times_out_and_the_mail_is_retried(setup: Setup) -> None:
    _all_consent(setup)
    setup.smtp.handler.delay = {2: 8.0}  # longer than timeout_seconds = 5
    done = setup.notify()
    assert done.returncode == 0, done.stderr
    received = _recipients(setup)
    assert set(received) == READERS_OF_ALL and max(received.values()) == 1


def test_server_down_stops_with_a_message_and_the_next_run_sends_all(
    setup: Setup, tmp_path: Path
) -> None:
    _all_consent(setup)
    # A port bound but not listening refuses connections, and no other server can take it
    # meanwhile (a neighbour of the SMTP port was once some other socket's).
    with socket.socket() as reserved:
        reserved.bind(("127.0.0.1", 0))
        port = reserved.getsockname()[1]
        text = setup.config.read_text().replace(f"port = {setup.smtp.port}", f"port = {port}")
        setup.config.write_text(text)
        down = setup.notify()
    assert down.returncode == 75, down.stdout + down.stderr
    assert f"the SMTP server at 127.0.0.1:{port} keeps failing" in down.stdout
    assert "run notify again" in down.stdout and "Traceback" not in down.stderr
    folder = tmp_path / "second"
    folder.mkdir()
    with smtp_server(folder, port=port) as server:
        setup.config.write_text(text.replace(str(setup.smtp.ca_file), str(server.ca_file)))
        up = setup.notify()
        assert up.returncode == 0, up.stdout + up.stderr
        received = Counter(a for r in server.handler.received for a in r.rcpt_tos)
    assert set(received) == READERS_OF_ALL and max(received.values()) == 1


def test_refused_recipients_permanent_is_reported_temporary_is_retried_next_run(
    setup: Setup,
) -> None:
    _all_consent(setup)
    handler = setup.smtp.handler
    handler.refuse = {
        "anna.ek@post.example": "550 5.1.1 <anna.ek@post.example>: no such user",
        "johan.ek@post.example": "450 4.2.1 mailbox busy",
    }
    first = setup.notify("--json")
    assert first.returncode == 75, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["sent"], summary["failed"], summary["postponed"]) == (14, 1, 1)
    assert any("refused for good — recipient refused: 550" in p for p in summary["problems"])
    assert "anna.ek" not in first.stdout + first.stderr  # the address is blanked out
    handler.refuse = {}
    second = setup.notify("--json")
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["sent"] == 1  # johan, once; anna is not retried
    received = _recipients(setup)
    assert set(received) == READERS_OF_ALL - {"anna.ek@post.example"}
    assert max(received.values()) == 1


def test_missing_or_malformed_address_is_named_and_sent_once_fixed(
    setup: Setup, tmp_path: Path
) -> None:
    _all_consent(setup)

    def damage(register: dict[str, Any]) -> None:
        persons = {p["id"]: p for p in register["persons"]}
        persons["p-vh-01"]["emails"] = [{"value": "anna.ek at post.example\r\nBcc: x@y.example"}]
        persons["p-vh-02"]["emails"] = []

    setup.edit_register(tmp_path, damage)
    first = setup.notify()
    assert first.returncode == 0, first.stderr
    assert "no address 2" in first.stdout, first.stdout
    assert "persons[0] (id p-vh-01).emails[0].value: not an e-mail address" in first.stdout
    assert "persons[1] (id p-vh-02): no emails[]" in first.stdout
    assert "anna.ek at" not in first.stdout + first.stderr
    assert set(_recipients(setup)) == READERS_OF_ALL - {
        "anna.ek@post.example",
        "johan.ek@post.example",
    }

    def repair(register: dict[str, Any]) -> None:
        persons = {p["id"]: p for p in register["persons"]}
        persons["p-vh-01"]["emails"] = [{"value": "anna.ek@post.example"}]
        persons["p-vh-02"]["emails"] = [{"value": "johan.ek@post.example"}]

    setup.edit_register(tmp_path, repair)
    second = setup.notify()
    assert second.returncode == 0, second.stderr
    received = _recipients(setup)
    assert set(received) == READERS_OF_ALL and max(received.values()) == 1


def test_corrupt_consent_database_is_a_clear_error_and_nothing_is_sent(setup: Setup) -> None:
    setup.use_state("one")
    (setup.state_dir / CONSENT_FILE).write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (setup.state_dir / (CONSENT_FILE + suffix)).unlink(missing_ok=True)
    done = setup.notify()
    assert done.returncode == 1
    assert "notify.sqlite: not a readable SQLite database" in done.stderr
    assert "Traceback" not in done.stderr
    assert setup.smtp.handler.received == []


def test_locked_journal_is_a_clear_error_then_the_next_run_sends(setup: Setup) -> None:
    setup.use_state("one")
    setup.consent("p-vh-01")
    holder = sqlite3.connect(setup.state_dir / JOURNAL_FILE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer (a second notify) holds the lock
    try:
        done = setup.notify()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    assert "the notify journal stayed locked" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert setup.smtp.handler.received == []
    again = setup.notify()
    assert again.returncode == 0, again.stderr
    assert [r.rcpt_tos for r in setup.smtp.handler.received] == [["anna.ek@post.example"]]


def test_wrong_password_stops_before_anything_is_marked(setup: Setup) -> None:
    setup.use_state("one")
    setup.consent("p-vh-01")
    env = {**setup.built.env, "NOTIFY_SMTP_PASSWORD": "wrong"}
    done = subprocess.run(
        [*setup.command()], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 75
    assert "refused the login of 'familjeportalen'" in done.stdout
    again = setup.notify()
    assert again.returncode == 0
    assert [r.rcpt_tos for r in setup.smtp.handler.received] == [["anna.ek@post.example"]]
