"""The pages around the documentation: start, help, sign-in errors, forget, language switch and
installability — locked and unlocked, at phone and desktop size, with axe-core on each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright

from tests.browser.app_harness import (
    CASES,
    ExampleSite,
    Server,
    assert_accessible,
    go,
    screenshot,
    settled,
    sign_in,
    watch_errors,
)
from tests.conftest import CHROMIUM_FLAGS, chromium_path

pytestmark = pytest.mark.browser
LOCKED_VIEWS = {
    "start": "#/",
    "help": "#/hjalp",
    "error-expired": "#/error/expired",
    "error-failed": "#/error/failed",
    "error-unavailable": "#/error/unavailable",
    "forget": "#/glom",
    "not-found": "#/nowhere",
}


@pytest.fixture
def example_site_config(example_site: ExampleSite) -> dict[str, object]:
    """The published config.json, as the build wrote it."""
    config: dict[str, object] = json.loads((example_site.live / "config.json").read_text("utf-8"))
    return config


def open_start(page: Page, server: Server) -> None:
    page.goto(server.base_url + "/")
    settled(page)


def test_every_locked_view_is_accessible(sized: BrowserContext, app_server: Server) -> None:
    page = sized.new_page()
    errors = watch_errors(page)
    phone_size = page.viewport_size == {"width": 390, "height": 844}
    open_start(page, app_server)
    assert page.get_by_role("link", name="Logga in med e-legitimation").is_visible()
    assert page.get_by_role("link", name="Elev? Logga in med skolkontot").is_visible()
    for name, route in LOCKED_VIEWS.items():
        go(page, route)
        assert page.locator("main h1").count() == 1, name
        assert_accessible(page, f"locked {name}")
        if phone_size:
            screenshot(page, f"locked-{name}")
    # Nothing is stored for a visitor who never signs in.
    assert page.evaluate("async () => (await indexedDB.databases()).length") == 0
    assert errors == []


def test_help_shows_the_municipality_faq_and_service_links(
    phone: BrowserContext, app_server: Server, example_site_config: dict[str, object]
) -> None:
    page = phone.new_page()
    open_start(page, app_server)
    go(page, "#/hjalp")
    text = page.locator("main").inner_text()
    faq = example_site_config["faq"]
    links = example_site_config["service_links"]
    assert isinstance(faq, list) and faq and isinstance(links, list) and links
    for entry in faq:
        assert entry["question"] in text
    for link in links:
        assert page.locator(f"main a[href='{link['url']}']").count() == 1


def test_cancelled_sign_in_explains_and_offers_a_retry(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    open_start(page, app_server)
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    page.locator("button[name=persona][value='__cancel__']").click()
    page.wait_for_url("**/#/error/cancelled", timeout=20_000)
    settled(page)
    assert page.locator("main [data-error=cancelled]").is_visible()
    assert_accessible(page, "error cancelled")
    screenshot(page, "locked-error-cancelled")
    page.get_by_role("link", name="Försök igen").click()
    settled(page)
    assert page.get_by_role("link", name="Logga in med e-legitimation").is_visible()


def test_language_switch_is_remembered_and_sets_lang_and_dir(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["guardian_two_children"])
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Lock").wait_for()
    settled(page)
    assert page.locator("main h1").inner_text() == "Family"
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "en",
        "ltr",
    ]
    assert_accessible(page, "family in English")
    screenshot(page, "family-en")
    page.reload()
    settled(page)
    assert page.locator("main h1").inner_text() == "Family"
    go(page, "#/hjalp")
    assert_accessible(page, "help unlocked in English")
    page.get_by_role("button", name="Svenska").click()
    page.get_by_role("button", name="Lås").wait_for()


def test_chromium_reports_no_installability_errors(
    playwright: Playwright, app_server: Server, tmp_path: Path
) -> None:
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=CHROMIUM_FLAGS,
        headless=True,
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        open_start(page, app_server)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
        cdp = context.new_cdp_session(page)
        answer = cdp.send("Page.getInstallabilityErrors")
        assert answer["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
    finally:
        context.close()
