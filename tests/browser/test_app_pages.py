"""Every view a locked visitor can reach (start, help, sign-in errors, forget, not found) at the
phone and the desktop size, with axe-core on each. test_app_pwa.py covers the flows behind them."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.app_harness import (
    Server,
    assert_accessible,
    go,
    screenshot,
    settled,
    watch_errors,
)

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
