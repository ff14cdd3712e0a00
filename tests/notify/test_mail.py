"""`site-builder notify` against a real SMTP server (aiosmtpd, STARTTLS + AUTH) on loopback:
who is mailed, what the mail holds, and that nothing is sent twice."""

from __future__ import annotations

import json
import re

import httpx

from tests.browser.app_harness import NAMES
from tests.notify.conftest import Setup
from tests.serve_cli import site_builder_serve

APP = "https://skola.exempelby.example"


def _body(setup: Setup, index: int) -> str:
    part = setup.smtp.handler.received[index].message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_only_consenting_readers_whose_documentation_changed_get_one_mail(setup: Setup) -> None:
    # p-vh-01 and p-vh-02 are p-barn-01's guardians (changed); p-vh-03's children did not change
    setup.consent("p-vh-01", "p-vh-03")
    setup.use_state("one")
    done = setup.notify()
    assert done.returncode == 0, done.stderr
    received = setup.smtp.handler.received
    assert [r.rcpt_tos for r in received] == [["anna.ek@post.example"]]
    assert "notified 1 by e-mail; skipped without consent 1" in done.stdout
    again = setup.notify()  # nothing new: nothing sent
    assert again.returncode == 0, again.stderr
    assert len(received) == 1
    assert "notified 0 by e-mail" in again.stdout


def test_the_mail_has_no_personal_data_and_one_click_unsubscribe(setup: Setup) -> None:
    setup.consent("p-vh-01")
    setup.use_state("one")
    assert setup.notify().returncode == 0
    (mail,) = setup.smtp.handler.received
    msg = mail.message
    assert mail.mail_from == "familjeportalen@exempelby.example"
    assert msg["To"] == "anna.ek@post.example"
    assert msg["Subject"] == "Det finns ny dokumentation i Familjeportalen"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https://\S+)>", str(msg["List-Unsubscribe"]))
    assert link and link[1].startswith(APP + "/auth/unsubscribe?t=")
    assert msg["Auto-Submitted"] == "auto-generated"
    assert re.fullmatch(r"<fp-[0-9a-f]{32}@exempelby\.example>", str(msg["Message-ID"]))
    body = _body(setup, 0)
    assert "Exempelby kommun" in body and "Det finns ny dokumentation" in body
    assert APP + "/" in body and link[1] in body
    # The unsubscribe token is random base64url: it may spell "Ek" by chance, so it is left out.
    text = str(msg["Subject"]) + body.replace(link[1], "<unsubscribe link>")
    for person, name in NAMES.items():  # no child's or guardian's name, no register id
        for part in name.split():
            assert part not in text, f"{part} ({person}) in the mail"
        assert person not in text
    assert "anna.ek" not in body
    assert "Höstens" not in text and "Tillägg" not in text  # no content


def test_dry_run_names_rids_only_and_sends_nothing(setup: Setup) -> None:
    rids = setup.consent("p-vh-01")
    setup.use_state("one")
    done = setup.notify("--dry-run")
    assert done.returncode == 0, done.stderr
    assert setup.smtp.handler.received == []
    assert f"reader {rids[0]}: would send one e-mail" in done.stderr
    assert "@" not in done.stderr + done.stdout
    real = setup.notify("--json")  # the dry run planned nothing: the real run still sends
    assert json.loads(real.stdout)["sent"] == 1
    assert len(setup.smtp.handler.received) == 1


def test_one_click_unsubscribe_end_to_end(setup: Setup) -> None:
    """The mail's List-Unsubscribe link, POSTed the way a mail provider does (RFC 8058), to
    the real `site-builder serve`; the next change mails nobody."""
    with site_builder_serve(
        out=setup.built.site, state_dir=setup.state_dir, export=setup.export, env=setup.built.env
    ) as (base_url, _):
        setup.config.write_text(setup.config.read_text().replace(APP, base_url))
        setup.consent("p-vh-01")
        setup.use_state("one")
        assert setup.notify().returncode == 0
        (mail,) = setup.smtp.handler.received
        link = str(mail.message["List-Unsubscribe"]).strip("<>")
        assert link.startswith(base_url + "/auth/unsubscribe?t=")
        answer = httpx.post(
            link,
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 200 and "Klart" in answer.text
        setup.use_state("all")
        done = setup.notify()
    assert done.returncode == 0, done.stderr
    assert len(setup.smtp.handler.received) == 1
    assert "notified 0 by e-mail; skipped without consent 18" in done.stdout  # 18 rids
