"""Restore from a backup older than the live site (issue 18), with a browser that had seen the
later snapshot: `restore --live` continues the sequence, so the app shows no tamper alarm, reads
the current term with its keys as they were, and the backup's earlier term stays readable."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from tests.browser.app_harness import CASES, card_names, screenshot, settled, sign_in
from tests.browser.conftest import run_cli
from tests.browser.deployment import ENV, Deployment

ALTERED = "Den här kopian har ändrats"


def _term(page: Page, term: str) -> list[str]:
    page.locator("nav.terms a", has_text=term).click()
    page.wait_for_url("**/#/term/*/" if term == "HT2026" else "**/#/")
    settled(page)
    assert ALTERED not in page.locator("main").inner_text()
    return card_names(page)


def test_restore_from_an_older_backup_raises_no_alarm(
    phone: BrowserContext, tmp_path: Path
) -> None:
    site = Deployment(tmp_path / "machine")  # snapshot 1, HT2026
    archive = tmp_path / "offsite" / "backup.tar.gz"
    run_cli("backup", str(archive), "--out", str(site.out), "--state-dir", str(site.state), env=ENV)
    site.set_toml('term = "HT2026"', 'term = "VT2027"\npublished = "2027-01-10"')
    site.build()  # 2
    site.set_toml('published = "2027-01-10"', 'published = "2027-01-11"')
    site.build()  # 3: the browser sees this one
    guardian = CASES["guardian_two_children"]
    page = phone.new_page()
    with site.serving() as server:
        sign_in(page, server, guardian)
        current = card_names(page)
        earlier = _term(page, "HT2026")
        _term(page, "VT2027")
    cdn_copy = tmp_path / "cdn-latest.json"  # what the public URL still answers
    shutil.copy(site.out / "latest.json", cdn_copy)
    for entry in (tmp_path / "machine").iterdir():  # the machine is lost, all but the export
        if entry.name == "export":
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()

    args = ["--out", str(site.out), "--state-dir", str(site.state)]
    run_cli("restore", str(archive), *args, "--live", str(cdn_copy), env=ENV)
    site.build()
    with site.serving() as server:
        page.reload()
        settled(page)
        text = page.locator("main").inner_text()
        screenshot(page, "restored-phone")
        assert ALTERED not in text
        assert card_names(page) == current  # the keys on the device still read
        assert _term(page, "HT2026") == earlier
