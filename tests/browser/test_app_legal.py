"""The pages the law asks for — the accessibility statement, the privacy notice and the storage
page — through the real build and server: signed out and offline at 320 px in Swedish and
English, linked from every page's footer, from help and from the manifest's shortcuts, with
axe-core on each; the statement lists the export's known shortcomings, and the storage page
lists exactly the IndexedDB keys the app writes."""

from __future__ import annotations

import json
import tomllib
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.app_harness import (
    CASES,
    DESKTOP,
    EXAMPLE,
    Server,
    assert_accessible,
    choose_language,
    family_context,
    go,
    open_store,
    screenshot,
    settled,
    sign_in,
    watch_errors,
)
from tests.browser.lock_harness import PIN, set_up_pin

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 640}
EXPORT: dict[str, Any] = tomllib.loads((EXAMPLE / "export.toml").read_text(encoding="utf-8"))
PAGES = {
    "sv": {
        "#/tillganglighet": ("Tillgänglighet", "Tillgänglighetsredogörelse"),
        "#/integritet": ("Integritet", "Integritet och personuppgifter"),
        "#/lagring": ("Lagring på enheten", "Lagring på din enhet"),
    },
    "en": {
        "#/tillganglighet": ("Accessibility", "Accessibility statement"),
        "#/integritet": ("Privacy", "Privacy and personal data"),
        "#/lagring": ("Storage on this device", "Storage on your device"),
    },
}


def _text(value: str | dict[str, str], lang: str) -> str:
    return value if isinstance(value, str) else value.get(lang, value["sv"])


def _heading(page: Page) -> str:
    return page.locator("main h1").inner_text().replace("\u00ad", "")  # soft hyphens


def _footer_links(page: Page) -> list[str]:
    return page.locator("footer nav a").evaluate_all("(as) => as.map((a) => a.hash)")


def _fits(page: Page) -> bool:
    """No sideways scrolling: WCAG 1.4.10 reflow at 320 CSS px."""
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"))


def _check_statement(page: Page, lang: str) -> None:
    a11y = EXPORT["accessibility"]
    items = page.locator(".known-issues li")
    issues = items.all_inner_texts()
    expected = [_text(issue["description"], lang) for issue in a11y["known_issues"]]
    assert len(issues) == len(expected) == 2
    for i, (shown, description, issue) in enumerate(
        zip(issues, expected, a11y["known_issues"], strict=True)
    ):
        assert description in shown and issue["wcag"] in shown
        # Dates in the reader's language (Intl), machine-readable in <time datetime>.
        assert items.nth(i).locator(f"time[datetime='{issue['fix_by']}']").count() == 1
    main = page.locator("main")
    assert main.locator(f"a[href='mailto:{a11y['contact_email']}']").count() == 1
    assert main.locator(f"a[href='{a11y['digg_url']}']").count() == 1
    assert main.locator("[data-compliance=partial]").count() == 1
    text = main.inner_text()
    for day in (a11y["reviewed"], a11y["assessed"]):
        assert main.locator(f"time[datetime='{day}']").count() >= 1
    assert "axe-core" in text and "Exempelby kommun" in text


def _check_privacy(page: Page, lang: str) -> None:
    privacy = EXPORT["privacy"]
    main = page.locator("main")
    text = main.inner_text()
    for field in ("controller", "purpose", "legal_basis", "retention_policy"):
        assert _text(privacy[field], lang) in text, field
    assert main.locator(f"a[href='mailto:{privacy['dpo_email']}']").count() == 1
    assert main.locator(f"a[href='mailto:{privacy['controller_email']}']").count() == 1
    assert main.locator(f"a[href='{privacy['imy_url']}']").count() == 1
    # The date in the reader's language (Intl), machine-readable in <time datetime>.
    assert main.locator(f"time[datetime='{EXPORT['retention_until']}']").count() == 1
    assert str(privacy["log_retention_days"]) in text


def _check_storage(page: Page, lang: str) -> None:
    keys = page.locator("[data-store-key]").evaluate_all(
        "(ls) => ls.map((l) => l.dataset.storeKey)"
    )
    assert {"device", "session", "lang", "fp-blobs"} <= set(keys)
    banner = "samtyckesruta" if lang == "sv" else "consent banner"
    assert banner in page.locator("main").inner_text()


CHECKS = {"#/tillganglighet": _check_statement, "#/integritet": _check_privacy}
CHECKS["#/lagring"] = _check_storage


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_legal_pages_open_signed_out_and_offline_at_320px(
    browser: Browser, own_server: Server, lang: str
) -> None:
    context = family_context(browser, viewport=NARROW)
    try:
        page = context.new_page()
        errors = watch_errors(page)
        # English on localhost, Swedish on 127.0.0.1: the app must work on both.
        base = own_server.base_url.replace("127.0.0.1", "localhost") if lang == "en" else ""
        page.goto((base or own_server.base_url) + "/")
        settled(page)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
        if lang == "en":
            choose_language(page, "English")
            page.get_by_role("link", name="Sign in with e-ID").wait_for()
        own_server.stop()  # no server at all, and the browser offline too
        context.set_offline(True)
        page.reload()
        settled(page)
        for route, (link, title) in PAGES[lang].items():
            page.locator("footer nav").get_by_role("link", name=link, exact=True).click()
            page.wait_for_function("(h) => location.hash === h", arg=route)
            settled(page)
            assert _heading(page) == title
            assert page.locator("main .notice").count() == 0  # the municipality's facts loaded
            CHECKS[route](page, lang)
            assert _fits(page), route
            assert_accessible(page, f"{route} ({lang}, 320 px, offline)")
            screenshot(page, f"legal-{route[2:]}-{lang}-320-offline")
        if lang == "sv":  # a visitor who only reads these pages leaves no database behind
            assert page.evaluate("async () => (await indexedDB.databases()).length") == 0
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize(("width", "scheme"), [(375, "light"), (DESKTOP["width"], "dark")])
def test_the_legal_pages_at_phone_and_desktop_width(
    browser: Browser, app_server: Server, width: int, scheme: Literal["light", "dark"]
) -> None:
    viewport = {"width": width, "height": 800}
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # no sign-in here
    try:
        page = context.new_page()
        page.goto(app_server.base_url + "/")
        settled(page)
        for lang in ("sv", "en"):
            if lang == "en":
                choose_language(page, "English")
                page.wait_for_function("() => document.documentElement.lang === 'en'")
            for route, (_, title) in PAGES[lang].items():
                go(page, route)
                assert _heading(page) == title
                CHECKS[route](page, lang)
                assert_accessible(page, f"{route} ({lang}, {width} px, {scheme})")
                screenshot(page, f"legal-{route[2:]}-{lang}-{width}-{scheme}")
    finally:
        context.close()


def test_every_page_links_to_the_legal_pages(browser: Browser, app_server: Server) -> None:
    context = family_context(browser, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(app_server.base_url + "/")
        settled(page)
        expected = list(PAGES["sv"])
        signed_out = ["#/", "#/hjalp", "#/error/failed", "#/glom", "#/nowhere", *expected]
        for route in signed_out:
            go(page, route)
            assert _footer_links(page) == expected, route
        go(page, "#/hjalp")
        help_links = page.locator("main .legal-links a").evaluate_all(
            "(as) => as.map((a) => a.hash)"
        )
        assert help_links == expected
        sign_in(page, app_server, CASES["guardian_two_children"])
        child = page.locator(".card h2 a").first.evaluate("(a) => a.hash")
        for route in ["#/", child, child.replace("larlogg", "omdomen"), "#/hjalp"]:
            go(page, route)
            assert _footer_links(page) == expected, route
    finally:
        context.close()


def test_the_manifest_shortcuts_open_the_legal_pages(browser: Browser, app_server: Server) -> None:
    context = family_context(browser, viewport=NARROW)
    try:
        page = context.new_page()
        response = page.request.get(app_server.base_url + "/manifest.webmanifest")
        shortcuts = json.loads(response.text())["shortcuts"]
        assert [s["url"] for s in shortcuts] == [f"/{route}" for route in PAGES["sv"]]
        for shortcut, (_, title) in zip(shortcuts, PAGES["sv"].values(), strict=True):
            page.goto(app_server.base_url + shortcut["url"])
            settled(page)
            assert _heading(page) == title
    finally:
        context.close()


def test_the_storage_page_lists_exactly_what_the_app_stores(
    browser: Browser, app_server: Server
) -> None:
    context = family_context(browser, viewport=DESKTOP)
    try:
        page = context.new_page()
        sign_in(page, app_server, CASES["guardian_two_children"])
        go(page, page.locator(".card h2 a").first.evaluate("(a) => a.hash"))  # marks entries seen
        choose_language(page, "English")  # remembers the language
        page.get_by_role("link", name="Back to family").wait_for()
        go(page, "#/lagring")
        listed = page.locator("[data-store-key]").evaluate_all(
            "(ls) => ls.map((l) => l.dataset.storeKey)"
        )
        stored = set(open_store(page))
        described = {key for key in listed if not key.startswith("fp-")}
        assert stored <= described, f"stored but not described: {stored - described}"
        caches = page.evaluate("async () => await caches.keys()")
        assert all(any(c.startswith(k.rstrip("…")) for k in listed) for c in caches), caches
        # A device lock (docs/app.md) writes the rest: set one up, lock and unlock.
        go(page, "#/skydd")
        set_up_pin(page, label_new="Choose a PIN", label_again="Type the PIN again")
        page.get_by_role("button", name="Lock", exact=True).click()
        page.get_by_label("PIN").fill(PIN)
        page.locator("[data-action=local-unlock]").click()
        page.locator(".card").first.wait_for(timeout=20_000)
        with_lock = set(open_store(page))
        assert with_lock <= described, f"stored but not described: {with_lock - described}"
        # The talk's drafts and outbox are checked by test_app_talk_reply.py.
        talk = {"draftKey", "draft:…", "outbox", "sent:…"}
        assert stored | with_lock == described - talk, (
            f"described, never stored: {described - talk - stored - with_lock}"
        )
    finally:
        context.close()
