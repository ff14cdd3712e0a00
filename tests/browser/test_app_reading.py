"""Reading through the real build and server: each access case of content/example, at phone and
desktop size, with axe-core on every view and a screenshot of each view at phone size."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser.app_harness import (
    CASES,
    DESKTOP,
    NAMES,
    PHONE,
    Server,
    assert_accessible,
    card_names,
    expected_children,
    family_context,
    go,
    open_store,
    screenshot,
    settled,
    sign_in,
    watch_errors,
)

pytestmark = pytest.mark.browser
TABS = ["larlogg", "iup", "omdomen", "planeringar", "samtal", "kontakt"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_guardian_with_two_children_reads_both(
    browser: Browser, app_server: Server, size: str
) -> None:
    context = family_context(browser, viewport=PHONE if size == "phone" else DESKTOP)
    page = context.new_page()
    errors = watch_errors(page)
    try:
        guardian = CASES["guardian_two_children"]
        sign_in(page, app_server, guardian)
        assert page.locator("main h1").inner_text() == "Familjen"
        assert sorted(card_names(page)) == expected_children(guardian)
        assert len(card_names(page)) == 2
        boxes = [c.bounding_box() for c in page.locator(".card").all()]
        assert all(boxes)
        if size == "desktop":  # siblings side by side
            assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] != boxes[1]["x"]
        assert_accessible(page, f"family ({size})")
        if size == "phone":
            screenshot(page, "family")
        # The reader keys are non-extractable CryptoKeys in IndexedDB; nothing decrypted is kept.
        stored = open_store(page)
        assert stored["session"] and all(
            k == {"extractable": False, "type": "secret", "usages": ["decrypt"]}
            for k in stored["session"].values()
        )
        known = {"device", "session", "answer", "activity", "highestSeq", "revs", "seen", "lang"}
        known |= {"retention", "termFiles"}  # dates and blob paths per term (retention.js)
        assert set(stored) <= known
        hrefs = page.locator(".card h2 a").evaluate_all("(as) => as.map((a) => a.hash)")
        for n, href in enumerate(hrefs):
            go(page, href)
            # Each child's own tabs: a preschool has no IUP or Omdömen (issue #14).
            tabs = [
                t.rsplit("/", 1)[1]
                for t in page.locator(".tabs a").evaluate_all("(as) => as.map((a) => a.hash)")
            ]
            assert set(tabs) <= set(TABS) and tabs[-1] == "kontakt" and "larlogg" in tabs
            for tab in tabs:
                go(page, href.rsplit("/", 1)[0] + "/" + tab)
                assert page.locator("main h2#tab-title").count() == 1
                assert (
                    page.locator(".tabs a[aria-current=page]")
                    .get_attribute("href")
                    .endswith("/" + tab)
                )
                assert_accessible(page, f"child {n} {tab} ({size})")
                if size == "phone":
                    screenshot(page, f"child{n}-{tab}")
            go(page, href)
            assert page.locator(".timeline .entry").count() > 0
        # Attachments: at least one image in a Lärlogg decrypts and renders via an object URL.
        images = []
        for href in hrefs:
            go(page, href)
            images += page.locator("main img[data-fp-blob]").evaluate_all(
                "(imgs) => imgs.map((i) => [i.src.slice(0, 5), i.complete && i.naturalWidth > 0])"
            )
        assert images and all(i == ["blob:", True] for i in images)
        assert errors == []
    finally:
        context.close()


def test_second_household_guardian_sees_exactly_the_register(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    guardian = CASES["second_household_guardian"]
    sign_in(page, app_server, guardian)
    assert sorted(card_names(page)) == expected_children(guardian)
    assert len(card_names(page)) == 1


def test_parent_without_custody_sees_no_documentation(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["no_custody_parent"])
    assert page.locator("main h1").inner_text() == "Vi hittar ingen dokumentation för dig"
    assert page.locator(".card").count() == 0
    assert page.get_by_role("button", name="Lås").is_visible()
    assert_accessible(page, "no documentation")
    screenshot(page, "no-documentation")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_student_sees_only_their_own_documentation(
    browser: Browser, app_server: Server, size: str
) -> None:
    context = family_context(browser, viewport=PHONE if size == "phone" else DESKTOP)
    try:
        page = context.new_page()
        student = CASES["student"]
        sign_in(page, app_server, student, student=True)
        # Straight to their own documentation (issue #14): no one-card family page.
        page.wait_for_url("**/barn/**/larlogg")
        settled(page)
        assert page.locator("main h1").inner_text() == NAMES[student]
        assert page.locator(".card").count() == 0 and page.locator(".back").count() == 0
        assert_accessible(page, f"student ({size})")
        if size == "phone":
            screenshot(page, "student")
    finally:
        context.close()
