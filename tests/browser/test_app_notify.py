"""The consent toggle (#20) in Chromium: a guardian turns e-mail notices on and off in Hjälp; the
key service stores only the rid (checked in its SQLite file); Swedish and English, 375 px,
320 px and desktop, axe clean, and a clear line when the service cannot be reached."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from site_builder.fp1 import reader_id, subject_for_pnr
from site_builder.notify.consent import CONSENT_FILE
from tests.browser.app_harness import (
    CASES,
    DESKTOP,
    EXAMPLE,
    ExampleSite,
    Server,
    assert_accessible,
    choose_language,
    family_context,
    go,
    screenshot,
    settled,
    sign_in,
    watch_errors,
)

pytestmark = pytest.mark.browser
GUARDIAN = CASES["guardian_two_children"]
EMAIL_LABEL = "Meddela mig via e-post när något nytt publiceras"


def _rid(site: ExampleSite) -> str:
    register = json.loads((EXAMPLE / "register.json").read_text(encoding="utf-8"))
    person = next(p for p in register["persons"] if p["id"] == GUARDIAN)
    return reader_id(site.master, subject_for_pnr(person["civicNo"]["value"]))


def _stored(state: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(state / CONSENT_FILE) as db:
        return db.execute("SELECT rid, email FROM consent").fetchall()


def _toggle(page: Page) -> None:
    box = page.get_by_label(EMAIL_LABEL)
    before = box.is_checked()
    box.click()
    page.wait_for_function(
        "(was) => { const b = document.querySelector('[data-notify=notify-email]');"
        " return b && !b.disabled && b.checked !== was"
        " && document.querySelector('[data-notify-status]').textContent !== ''; }",
        arg=before,
    )


def test_consent_on_and_off_stores_only_the_rid(
    browser: Browser, own_server: Server, example_site: ExampleSite
) -> None:
    rid = _rid(example_site)
    context = family_context(browser, viewport={"width": 375, "height": 812})
    page = context.new_page()
    errors = watch_errors(page)
    sign_in(page, own_server, GUARDIAN)
    go(page, "#/hjalp")
    box = page.get_by_label(EMAIL_LABEL)
    assert box.is_visible() and not box.is_checked()
    assert_accessible(page, "help with notices, off")
    _toggle(page)
    assert box.is_checked()
    assert "Titta i skräpposten" in page.locator("[data-notify-status]").inner_text()
    assert (rid, 1) in _stored(example_site.state)
    screenshot(page, "notify-on-375")
    page.reload()  # the choice comes back from the key service, not from the page
    settled(page)
    go(page, "#/hjalp")
    assert page.get_by_label(EMAIL_LABEL).is_checked()
    assert_accessible(page, "help with notices, on")
    # Headless Chromium has no push service: the push toggle says so and stays off
    push = page.get_by_label("Visa en notis på den här enheten när något nytt publiceras")
    push.click()
    page.wait_for_function(
        "() => document.querySelector('[data-notify-status]').textContent.startsWith('Notiser')"
    )
    assert not push.is_checked()
    assert page.get_by_label(EMAIL_LABEL).is_checked()
    page.set_viewport_size({"width": 320, "height": 700})
    screenshot(page, "notify-on-320")
    _toggle(page)
    assert not page.get_by_label(EMAIL_LABEL).is_checked()
    assert all(r[0] != rid for r in _stored(example_site.state))
    page.set_viewport_size(DESKTOP)
    choose_language(page, "English")
    settled(page)
    english = page.get_by_label("E-mail me when something new is published")
    english.wait_for()  # the view renders again in English
    assert not english.is_checked()
    assert_accessible(page, "help with notices, English")
    screenshot(page, "notify-en-desktop")
    own_server.stop()  # offline: the setting cannot be read, and the page says so
    page.reload()
    settled(page)
    go(page, "#/hjalp")
    assert page.get_by_text(
        "The notification setting can be changed when you are online."
    ).is_visible()
    screenshot(page, "notify-offline")
    assert errors == [] or all("notify" in e or "Failed to fetch" in e for e in errors), errors
    context.close()
