"""A new version of the app waits: the reader is told "Ny version — uppdatera" and the new service
worker takes over only when they click, never under them."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.app_harness import CASES, Server, assert_accessible, screenshot, settled, sign_in

pytestmark = pytest.mark.browser
AlteredSite = Callable[[Callable[[Path], None]], contextlib.AbstractContextManager[Server]]


def _shell_version(site: Path) -> str:
    found = re.search(r'const SHELL_VERSION = "([^"]+)";', (site / "sw.js").read_text("utf-8"))
    assert found, "the build did not fill in the shell version"
    return found.group(1)


def test_a_new_version_waits_until_the_reader_chooses_to_update(
    phone: BrowserContext, altered_site: AlteredSite
) -> None:
    served: list[Path] = []
    with altered_site(served.append) as server:
        site = served[0]
        page = phone.new_page()
        sign_in(page, server, CASES["guardian_two_children"])
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        old_version = _shell_version(site)
        old_cache = f"fp-shell-{old_version}"
        assert old_cache in page.evaluate("async () => await caches.keys()")

        # Publish a new shell version (what a rebuild with a changed theme does).
        new_version = "0" * len(old_version)
        sw = (site / "sw.js").read_text("utf-8")
        (site / "sw.js").write_text(sw.replace(old_version, new_version), "utf-8")
        page.reload()
        settled(page)

        banner = page.locator("#update")
        banner.get_by_role("button", name="Ny version — uppdatera").wait_for(timeout=20_000)
        # The reader still reads under the old version until they click.
        assert page.locator(".card").count() == 2
        keys = page.evaluate("async () => await caches.keys()")
        assert old_cache in keys
        assert page.evaluate(
            "async () => (await navigator.serviceWorker.getRegistration()).waiting !== null"
        )
        assert_accessible(page, "update banner")
        screenshot(page, "update-banner")

        with page.expect_event("load", timeout=20_000):
            banner.get_by_role("button", name="Ny version — uppdatera").click()
        settled(page)
        page.wait_for_function(
            "async (v) => (await caches.keys()).includes(`fp-shell-${v}`)", arg=new_version
        )
        keys = page.evaluate("async () => await caches.keys()")
        assert f"fp-shell-{new_version}" in keys and old_cache not in keys
        assert page.locator("#update").is_hidden()
        assert page.locator(".card").count() == 2
