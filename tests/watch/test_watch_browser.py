"""The live preview in Chromium: a signed-in page shows an edited post without a manual reload,
and a broken post shows the overlay (file and line) until it is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.app_harness import (
    CASES,
    DESKTOP,
    NAMES,
    Server,
    assert_accessible,
    family_context,
    settled,
    sign_in,
    watch_errors,
)
from tests.watch.harness import POST, scratch_export, watching

pytestmark = pytest.mark.browser
OVERLAY = "#fp-preview-problems"


def _shows(page: Page, text: str) -> None:
    page.wait_for_function(
        "(t) => document.querySelector('main')?.innerText.includes(t)", arg=text, timeout=20_000
    )


def test_the_open_page_follows_edits_and_shows_problems_until_fixed(
    browser: Browser, tmp_path: Path
) -> None:
    guardian = CASES["guardian_two_children"]
    child = "p-barn-07"
    assert child in CASES["children_of"][guardian]
    with watching(tmp_path, export=scratch_export(tmp_path)) as watcher:
        context = family_context(browser, viewport=DESKTOP)
        page = context.new_page()
        errors = watch_errors(page)
        try:
            sign_in(page, Server(base_url=watcher.base_url, process=watcher.process), guardian)
            page.get_by_role("link", name=NAMES[child]).first.click()
            settled(page)
            _shows(page, "Ekbacken")
            assert "Ekbacken i regnet" not in page.locator("main").inner_text()

            # Edit: the page reloads by itself (a marker set on this page is gone) and shows it.
            page.evaluate("() => { window.beforeTheEdit = true; }")
            watcher.edit(POST, lambda text: text.replace("Ekbacken", "Ekbacken i regnet"))
            _shows(page, "Ekbacken i regnet")
            assert page.evaluate("() => window.beforeTheEdit") is None

            # Break the front matter: the overlay names the file and the line, accessibly.
            watcher.edit(POST, lambda text: text.replace('date: "2026-09-04"', "date: [2026-09"))
            overlay = page.locator(OVERLAY)
            overlay.wait_for(state="visible", timeout=20_000)
            assert overlay.get_attribute("role") == "alert"
            text = overlay.inner_text()
            assert POST.as_posix() in text and "line " in text and "Åtgärd:" in text
            assert_accessible(page, "preview overlay")
            _shows(page, "Ekbacken i regnet")  # the last good build stays readable

            # Fixing it clears the overlay without a reload.
            watcher.edit(POST, lambda text: text.replace("date: [2026-09", 'date: "2026-09-04"'))
            overlay.wait_for(state="detached", timeout=20_000)

            # Dismissible: "Stäng" hides it until the problems change.
            watcher.edit(POST, lambda text: text.replace('date: "2026-09-04"', "date: nej"))
            overlay.wait_for(state="visible", timeout=20_000)
            page.get_by_role("button", name="Stäng").click()
            assert page.locator(OVERLAY).count() == 0
            watcher.edit(POST, lambda text: text.replace("date: nej", 'date: "2026-09-04"'))
            watcher.wait_idle(after=watcher.status()["builds"])
            assert watcher.status()["problems"] == []

            # The preview's worker keeps no app cache: a rebuild is never hidden behind one.
            caches = page.evaluate("async () => await caches.keys()")
            assert not [name for name in caches if name.startswith("fp-shell")]
            assert errors == []
        finally:
            context.close()
