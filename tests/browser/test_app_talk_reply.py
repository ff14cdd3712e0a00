"""The development talk end to end (issue #15), at phone size, through the real build, server,
key service and `site-builder inbox`: a guardian and the student answer, drafts stay encrypted
on the device and survive an offline reload, the reply queued offline is sent when the network is
back, inbox decrypts both into the replies folder, and the next build shows the receipt."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from site_builder.fp1 import MasterKey
from tests.browser.app_harness import (
    CASES,
    EXAMPLE,
    PHONE,
    ROOT,
    Server,
    assert_accessible,
    child_href,
    choose_language,
    family_context,
    go,
    open_store,
    screenshot,
    settled,
    sign_in,
)
from tests.serve_cli import SITE_BUILDER, site_builder_serve

pytestmark = pytest.mark.browser

STUDENT = CASES["student"]  # p-barn-11, year 8, reads from year 7
GUARDIAN = next(g for g, kids in CASES["children_of"].items() if STUDENT in kids)
GUARDIAN_ANSWER = "Vi vill prata om läxorna hemma 7341"
GUARDIAN_NOTE = "Privat anteckning: fråga om matten 9902"
STUDENT_ANSWER = "Jag är stolt över min engelska 5528"


@dataclass
class TalkSite:
    export: Path
    state: Path
    out: Path
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [SITE_BUILDER, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def build(self) -> None:
        done = self.cli(
            "build", str(self.export), "--out", str(self.out), "--state-dir", str(self.state)
        )
        assert done.returncode == 0, done.stderr


def make_talk_site(tmp_path: Path, *, days: int, extra: str = "") -> TalkSite:
    """The example export with the student's talk moved `days` from today, the school units'
    keys made by `keys school`, and a first build."""
    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    talk = export / "children" / STUDENT / "utvecklingssamtal.md"
    upcoming = (date.today() + timedelta(days=days)).isoformat()
    talk.write_text(
        re.sub(r'date: "[0-9-]+"', f'date: "{upcoming}"' + extra, talk.read_text("utf-8"), count=1),
        encoding="utf-8",
    )
    master = MasterKey.generate()
    site = TalkSite(
        export=export,
        state=tmp_path / "state",
        out=tmp_path / "site",
        env={**os.environ, "SITE_BUILDER_MASTER_KEY": master.to_b64u()},
    )
    made = site.cli("keys", "school", "--export", str(export), "--state-dir", str(site.state))
    assert made.returncode == 0, made.stderr
    site.build()
    return site


@pytest.fixture
def talk_site(tmp_path: Path) -> TalkSite:
    return make_talk_site(tmp_path, days=30)


@pytest.fixture
def server(talk_site: TalkSite) -> Iterator[Server]:
    with site_builder_serve(
        out=talk_site.out, state_dir=talk_site.state, export=talk_site.export, env=talk_site.env
    ) as (base_url, process):
        yield Server(base_url=base_url, process=process)


SCAN_STORAGE = """async () => {
  const texts = [JSON.stringify(localStorage), JSON.stringify(sessionStorage)];
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("fp-app");
    r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const tx = db.transaction("kv");
  const all = await new Promise((ok) => { const r = tx.objectStore("kv").getAll();
    r.onsuccess = () => ok(r.result); });
  const keys = await new Promise((ok) => { const r = tx.objectStore("kv").getAllKeys();
    r.onsuccess = () => ok(r.result); });
  texts.push(JSON.stringify(keys), JSON.stringify(all));
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const req of await cache.keys()) {
      const res = await cache.match(req);
      texts.push(new TextDecoder("latin1").decode(await res.arrayBuffer()));
    }
  }
  const draftKey = all[keys.indexOf("draftKey")];
  return {text: texts.join("\\n"), draftKey: draftKey ? {extractable: draftKey.extractable,
    usages: draftKey.usages} : null};
}"""


def _open_talk(page: Page, person: str | None) -> None:
    if person is not None:
        go(page, child_href(page, person) + "/samtal")
    else:
        go(page, page.evaluate("() => location.hash").rsplit("/", 1)[0] + "/samtal")
    page.locator(".talk-answers").wait_for()


def _answer(page: Page, text: str) -> None:
    page.locator("#q0").fill(text)
    page.wait_for_function(
        "() => document.querySelector('.talk-answers').dataset.draft === 'saved'"
    )


def _guardian_answers_offline_then_sends(context: BrowserContext, server: Server) -> Page:
    page = context.new_page()
    sign_in(page, server, GUARDIAN)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    _open_talk(page, STUDENT)
    assert page.locator(".talk-status").inner_text() == (
        "Samtalet är inte hållet än – förbered gärna era svar."
    )
    ics = page.get_by_role("link", name="Lägg till i kalendern (.ics)")
    assert ics.get_attribute("download") == "utvecklingssamtal.ics"
    with page.expect_download() as download:
        ics.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "LOCATION:Ekskolan\\, klassrum 8C" in text
    _answer(page, GUARDIAN_ANSWER)
    page.locator("#notes").fill(GUARDIAN_NOTE)
    page.wait_for_function(
        "() => document.querySelector('.talk-answers').dataset.draft === 'saved'"
    )
    stored = page.evaluate(SCAN_STORAGE)
    assert GUARDIAN_ANSWER not in stored["text"] and GUARDIAN_NOTE not in stored["text"]
    assert stored["draftKey"] == {"extractable": False, "usages": ["encrypt", "decrypt"]}
    # Offline: reload, the drafts are still there (decrypted on the device).
    context.set_offline(True)
    page.reload()
    settled(page)
    page.locator(".talk-answers").wait_for()
    assert page.locator("#q0").input_value() == GUARDIAN_ANSWER
    assert page.locator("#notes").input_value() == GUARDIAN_NOTE
    page.get_by_role("button", name="Skicka till skolan").click()
    page.wait_for_function(
        "() => document.querySelector('.talk-answers').dataset.sent === 'queued'"
    )
    assert "Väntar på nät" in page.locator(".sent").inner_text()
    assert GUARDIAN_ANSWER not in page.evaluate(SCAN_STORAGE)["text"]  # the outbox is sealed
    assert_accessible(page, "talk answers offline")
    screenshot(page, "talk-queued-offline")
    # The storage page describes every key the talk wrote (one per reader, child and talk).
    written = {k if ":" not in k else k.split(":")[0] + ":…" for k in open_store(page)}
    go(page, "#/lagring")
    listed = set(
        page.locator("[data-store-key]").evaluate_all("(ls) => ls.map((l) => l.dataset.storeKey)")
    )
    assert {"draftKey", "draft:…", "outbox"} <= written <= listed, written - listed
    page.go_back()
    settled(page)
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => document.querySelector('.talk-answers').dataset.sent === 'sent'", timeout=20_000
    )
    assert re.match(r"Skickat \d", page.locator(".sent").inner_text())
    screenshot(page, "talk-sent")
    return page


def test_guardian_and_student_reply_inbox_decrypts_and_the_rebuild_shows_the_receipt(
    browser: Browser, talk_site: TalkSite, server: Server
) -> None:
    guardian = family_context(browser, viewport=PHONE)
    student = family_context(browser, viewport=PHONE)
    try:
        page = _guardian_answers_offline_then_sends(guardian, server)
        kid = student.new_page()
        sign_in(kid, server, STUDENT, student=True)
        kid.wait_for_url("**/barn/**/larlogg")
        _open_talk(kid, None)
        assert kid.locator("label[for=q0]").count() == 1
        _answer(kid, STUDENT_ANSWER)
        kid.get_by_role("button", name="Skicka till skolan").click()
        kid.wait_for_function(
            "() => document.querySelector('.talk-answers').dataset.sent === 'sent'",
            timeout=20_000,
        )
        # The spool holds two sealed replies and no answer's text.
        spool = talk_site.state / "spool"
        files = [p for p in spool.rglob("*.json")]
        assert len(files) == 2
        raw = b"".join(p.read_bytes() for p in spool.rglob("*") if p.is_file())
        for text in (GUARDIAN_ANSWER, STUDENT_ANSWER, GUARDIAN_NOTE, "läxorna", "engelska"):
            assert text.encode() not in raw
        # inbox: both decrypted into the replies folder (outside the export); the note never.
        done = talk_site.cli("inbox", str(talk_site.export), "--state-dir", str(talk_site.state))
        assert done.returncode == 0, done.stderr
        assert "2 new replies" in done.stdout
        replies = talk_site.state / "replies"
        written = {p: p.read_bytes() for p in replies.rglob("*") if p.is_file()}
        text = b"".join(written.values()).decode()
        assert GUARDIAN_ANSWER in text and STUDENT_ANSWER in text and GUARDIAN_NOTE not in text
        assert sorted(p.name.split("-")[3] for p in replies.glob(f"{STUDENT}/*.md")) == [
            "guardian",
            "student",
        ]
        again = talk_site.cli("inbox", str(talk_site.export), "--state-dir", str(talk_site.state))
        assert again.returncode == 0 and "0 new replies" in again.stdout
        assert {p: p.read_bytes() for p in replies.rglob("*") if p.is_file()} == written
        # The next build tells the family the school has them.
        talk_site.build()
        page.reload()
        settled(page)
        page.locator(".receipt").wait_for(timeout=20_000)
        assert page.locator(".receipt").inner_text() == "Skolan har tagit emot era svar."
        assert_accessible(page, "talk with receipt")
        screenshot(page, "talk-received")
    finally:
        guardian.close()
        student.close()


def test_a_held_talk_shows_what_was_agreed_first_and_offers_no_sending(
    browser: Browser, tmp_path: Path
) -> None:
    site = make_talk_site(
        tmp_path, days=-3, extra='\nagreements: ["Astrid läser 15 minuter varje kväll."]'
    )
    context = family_context(browser, viewport=PHONE)
    try:
        with site_builder_serve(
            out=site.out, state_dir=site.state, export=site.export, env=site.env
        ) as (base_url, process):
            page = context.new_page()
            sign_in(page, Server(base_url=base_url, process=process), GUARDIAN)
            _open_talk(page, STUDENT)
            talk = page.locator(".talk")
            assert talk.locator(".talk-status").inner_text() == "Samtalet är hållet."
            first = talk.locator(":scope > *").nth(1)
            assert first.locator("h3").inner_text() == "Det här kom vi överens om"
            assert first.locator("li").all_inner_texts() == ["Astrid läser 15 minuter varje kväll."]
            assert page.get_by_role("button", name="Skicka till skolan").count() == 0
            assert page.get_by_role("link", name="Lägg till i kalendern (.ics)").count() == 0
            assert page.locator("#notes").is_visible()  # notes still work after the talk
            assert_accessible(page, "held talk")
            screenshot(page, "talk-held")
            # The print pack: IUP, the latest omdömen, the answers in full, room for notes.
            assert not page.locator(".print-pack").is_visible()  # on paper only
            page.locator("#q0").fill("Ett långt svar för utskriften. " * 12)
            page.emulate_media(media="print")
            page.evaluate("() => dispatchEvent(new Event('beforeprint'))")
            pack = page.locator(".print-pack")
            assert pack.is_visible() and not page.locator("#q0").is_visible()
            assert [h.strip() for h in pack.locator(":scope > h3").all_inner_texts()] == [
                "IUP",
                "De senaste omdömena",
                "Anteckningar under samtalet",
            ]
            assert page.locator(".print-answer").first.inner_text().startswith("Ett långt svar")
            page.pdf(path=str(ROOT / "test-artifacts" / "talk-print-pack.pdf"), format="A4")
            screenshot(page, "talk-print")
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_talk_in_english_fits_320px_and_desktop(
    browser: Browser, tmp_path: Path, width: int
) -> None:
    site = make_talk_site(tmp_path, days=10)
    context = family_context(browser, viewport={"width": width, "height": 800})
    try:
        with site_builder_serve(
            out=site.out, state_dir=site.state, export=site.export, env=site.env
        ) as (base_url, process):
            page = context.new_page()
            sign_in(page, Server(base_url=base_url, process=process), GUARDIAN)
            choose_language(page, "English")
            _open_talk(page, STUDENT)
            assert page.locator(".talk-status").inner_text() == (
                "The talk has not taken place yet – prepare your answers."
            )
            assert page.get_by_role("button", name="Send to the school").is_visible()
            assert page.get_by_role("link", name="Add to calendar (.ics)").is_visible()
            assert page.get_by_label("My notes").is_visible()
            assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
            assert_accessible(page, f"talk in English at {width}px")
            screenshot(page, f"talk-en-{width}")
    finally:
        context.close()
