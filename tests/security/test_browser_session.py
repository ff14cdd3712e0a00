"""An installed device (service worker on) and the session's end, in Chromium with the real app
and server: a correction shows after a reload, never a stale keyring from the worker's cache; the
app forgets the reader keys at the session's `expires`, not a moment later."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.app_harness import go, open_store, settled
from tests.export import minimal
from tests.export.edit import replace_in
from tests.security.browser_site import serving, sign_in
from tests.security.built import BuiltSite, built_site
from tests.security.test_browser_at_rest import reading_site  # the benign export, built once

__all__ = ["reading_site"]
pytestmark = pytest.mark.browser
SIGN_IN = "Logga in med e-legitimation"
IDLE_MESSAGE = "inte använts på ett tag"


def _larlogg(site: BuiltSite) -> str:
    child = site.keyring(site.rid(minimal.GUARDIAN_PNR))["children"][0]["id"]
    return f"#/barn/{child}/larlogg"


def test_an_installed_device_shows_a_correction_after_reload(
    browser: Browser, tmp_path: Path
) -> None:
    export = minimal.write_minimal_export(tmp_path / "export")
    site = built_site(tmp_path, export)
    rid, seq = site.rid(minimal.GUARDIAN_PNR), site.latest()["seq"]
    keyring = f"/s/{seq}/k/{rid}.bin"
    with serving(site) as base_url:
        context = browser.new_context()  # service workers allowed: an installed app
        try:
            page = context.new_page()
            sign_in(page, base_url, minimal.GUARDIAN)
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            page.reload()  # now every fetch of the app goes through the worker
            settled(page)
            go(page, _larlogg(site))
            assert "med måttband" in page.locator("main").inner_text()
            replace_in(export / minimal.POST, "med måttband", "med tumstock")
            site.build()
            assert site.latest()["seq"] == seq and site.keyring(rid)["rev"] == 1
            served = []
            page.on(
                "response",
                lambda r: served.append(r.from_service_worker) if r.url.endswith(keyring) else None,
            )
            page.reload()
            settled(page)
            go(page, _larlogg(site))
            assert "med tumstock" in page.locator("main").inner_text()
            assert "med måttband" not in page.locator("main").inner_text()
            assert served and all(served)  # the keyring came through the worker
        finally:
            context.close()


def _session_expires(page: Page) -> datetime:
    iso = page.evaluate(
        """async () => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const session = await new Promise((ok) => {
    const r = db.transaction("kv").objectStore("kv").get("session");
    r.onsuccess = () => ok(r.result); });
  db.close();
  return session.expires;
}"""
    )
    return datetime.fromisoformat(str(iso))


def _jump(page: Page, when: datetime) -> None:
    page.clock.set_system_time(when)
    page.keyboard.press("Shift")


def test_the_app_forgets_the_session_at_its_expiry(
    browser: Browser, reading_site: BuiltSite
) -> None:
    with serving(reading_site) as base_url:
        context = browser.new_context(service_workers="block")
        try:
            page = context.new_page()
            page.clock.install()
            sign_in(page, base_url, minimal.GUARDIAN)
            expires = _session_expires(page)
            assert expires - datetime.now(expires.tzinfo) > timedelta(days=29)
            # The jump runs no timer, and a key press right after it tells the idle lock (which
            # would also lock, 15 s later, seeing a month without input) that someone is here.
            _jump(page, expires - timedelta(minutes=1))
            go(page, _larlogg(reading_site))
            assert page.locator("main .timeline").count() == 1
            assert "session" in open_store(page)
            _jump(page, expires + timedelta(seconds=1))
            go(page, "#/")
            main = page.locator("main")
            assert main.get_by_role("link", name=SIGN_IN).count() == 1  # at once, no waiting
            assert page.locator("main .card, main .timeline").count() == 0
            assert IDLE_MESSAGE not in main.inner_text()  # the expiry locked it, not the idle lock
            assert "session" not in open_store(page)
        finally:
            context.close()
