"""A family's documentation on a phone and offline (issue #14), through the real build and
server: tables at 320 px break no word and show a scroll cue, an attachment missing offline is
marked while the text shows, images open large and files say type and size, and the family page
says what is saved and asks the browser to keep it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.app_harness import (
    CASES,
    PHONE,
    Server,
    assert_accessible,
    child_href,
    choose_language,
    family_context,
    go,
    screenshot,
    settled,
    sign_in,
    watch_errors,
)

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 700}


@pytest.fixture
def narrow(browser: Browser) -> Iterator[BrowserContext]:
    context = family_context(browser, viewport=NARROW)
    yield context
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A phone with its own client address (the key service limits sign-ins per address)."""
    context = family_context(browser, viewport=PHONE)
    yield context
    context.close()


def _broken_words(page: Page) -> list[str]:
    """Words in table cells whose glyphs sit on more than one line (a break inside a word)."""
    return page.evaluate(
        """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("main td, main th, main caption")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""
    )


def test_tables_at_320_px_break_no_word_and_show_a_scroll_cue(
    narrow: BrowserContext, app_server: Server
) -> None:
    page = narrow.new_page()
    errors = watch_errors(page)
    sign_in(page, app_server, CASES["guardian_two_children"])
    checked = 0
    for child in ("p-barn-07", "p-barn-01"):
        go(page, "#/")
        href = child_href(page, child)
        for tab in ("planeringar", "larlogg", "samtal", "kontakt"):
            go(page, href + "/" + tab)
            checked += page.locator("main td").count()
            assert _broken_words(page) == [], (child, tab)
            assert_accessible(page, f"{child} {tab} at 320 px")
            if child == "p-barn-07":
                screenshot(page, f"320-{tab}")
    assert checked > 5
    go(page, "#/")
    go(page, child_href(page, "p-barn-07") + "/planeringar")
    box = page.locator(".fp-table-scroll").first
    assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")  # 5B's matrix is wide
    assert page.locator(".fp-table-hint").first.is_visible()
    assert "Svep i sidled" in page.locator(".fp-table-hint").first.inner_text()
    # And at 375 px (a common phone), in English too.
    page.set_viewport_size({"width": 375, "height": 800})
    choose_language(page, "English")
    page.get_by_role("heading", name="Plans", level=2).wait_for()
    settled(page)
    assert _broken_words(page) == []
    screenshot(page, "375-en-planeringar")
    assert errors == []


def test_offline_a_missing_attachment_is_marked_and_the_text_still_shows(
    browser: Browser, app_server: Server
) -> None:
    context = family_context(browser, viewport=PHONE)
    try:
        page = context.new_page()
        sign_in(page, app_server, CASES["guardian_two_children"])
        href = child_href(page, CASES["preschool_child"])
        # The family's bundles are open; the photo in Alva's first post was never fetched.
        context.set_offline(True)
        page.evaluate("() => window.dispatchEvent(new Event('offline'))")
        go(page, href + "/larlogg")
        assert page.locator("h2#tab-title").inner_text() == "Lärlogg"
        entry = page.locator(".entry", has_text="Höstpromenad till Ekbacken")
        assert "Idag gick vi till" in entry.inner_text()  # the text is there
        missing = entry.locator(".fp-missing")
        assert missing.count() == 1
        assert "Löv och kottar på en filt" in missing.inner_text()
        assert "Dagens fynd från Ekbacken" in entry.inner_text()  # the caption stays
        assert page.locator(".entry").count() >= 3
        assert page.locator(".offline-badge").inner_text() == "Utan nät"
        assert_accessible(page, "offline with a missing attachment")
        screenshot(page, "offline-missing-attachment")
    finally:
        context.close()


def test_images_open_large_and_files_say_type_and_size(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["guardian_two_children"])
    go(page, child_href(page, CASES["preschool_child"]) + "/larlogg")
    zoom = page.locator("figure a.fp-zoom").first
    assert zoom.get_attribute("href", timeout=5000).startswith("blob:")
    assert zoom.get_attribute("target") == "_blank"
    save = page.locator("figure .fp-save").first
    assert save.get_attribute("download") and save.get_attribute("href").startswith("blob:")
    # Hugo's reading log is a PDF attachment: its link says type and size.
    go(page, "#/")
    go(page, child_href(page, "p-barn-07") + "/larlogg")
    links = page.locator("p.fp-file a").all_inner_texts()
    assert links
    for text in links:
        assert re.search(r"\(PDF, \d+ kB\)$", text), text


def test_the_family_page_says_what_is_saved_and_asks_to_keep_it(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["guardian_two_children"])
    status = page.locator(".offline [role=status]")
    status.filter(
        has_text=re.compile(r"Sparat för offline: \d+ av \d+ filer|Inget är sparat")
    ).wait_for()
    page.evaluate(
        "() => { window.__persistAsked = 0; const real = navigator.storage.persist.bind("
        "navigator.storage); navigator.storage.persist = () => { window.__persistAsked += 1;"
        " return real(); }; }"
    )
    page.locator("[data-action=save-offline]").click()
    status.filter(has_text=re.compile(r"Sparat: (\d+) av \1 filer")).wait_for()
    kept = page.locator(".offline .meta").inner_text()
    assert kept.startswith(("Webbläsaren behåller", "Webbläsaren kan ta bort"))
    assert page.evaluate("() => window.__persistAsked") == 1
    page.reload()
    settled(page)
    assert page.locator(".offline [role=status]").inner_text().startswith("Allt är sparat")
