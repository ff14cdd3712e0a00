"""Key rotation with a signed-in browser (issue 18): whatever the order of `keys rotate`, the
key service's restart and the build, the family is asked for ONE new sign-in with a clear
message — never "Vi hittar ingen dokumentation för dig" — and then reads as before."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from tests.browser.app_harness import (
    CASES,
    assert_accessible,
    card_names,
    screenshot,
    settled,
    sign_in,
)
from tests.browser.deployment import Deployment

ROTATED = "Kommunen har bytt nycklar – logga in igen."
NO_DOC = "Vi hittar ingen dokumentation för dig"


def _reload(page: Page) -> str:
    page.reload()
    settled(page)
    return page.locator("main").inner_text()


def test_restart_with_both_keys_then_build(phone: BrowserContext, tmp_path: Path) -> None:
    """The documented order: rotate, restart the service (new + retired key), build."""
    site = Deployment(tmp_path)
    guardian = CASES["guardian_two_children"]
    page = phone.new_page()
    with site.serving() as server:
        sign_in(page, server, guardian)
        before = card_names(page)
    site.rotate()
    with site.serving() as server:
        assert card_names(page) == before and NO_DOC not in _reload(page)
        assert card_names(page) == before  # the site is still the old generation: reads on
        site.build()  # goes live while the service runs: it follows with the new key
        text = _reload(page)
        assert ROTATED in text
        screenshot(page, "rotated-phone")
        assert_accessible(page, "rotated")
        sign_in(page, server, guardian)
        assert card_names(page) == before
        assert ROTATED not in _reload(page)


def test_build_first_then_restart(phone: BrowserContext, tmp_path: Path) -> None:
    """The other order: rotate and build while the old service runs, restart it afterwards."""
    site = Deployment(tmp_path)
    guardian = CASES["guardian_two_children"]
    page = phone.new_page()
    with site.serving() as server:
        sign_in(page, server, guardian)
        before = card_names(page)
        site.rotate()
        site.build()
        assert ROTATED in _reload(page)  # the device notices at once, even before the restart
    with site.serving() as server:  # restarted with the new key: one sign-in and it reads
        sign_in(page, server, guardian)
        assert card_names(page) == before
        text = _reload(page)
        assert ROTATED not in text and NO_DOC not in text and card_names(page) == before
