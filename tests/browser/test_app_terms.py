"""The term switcher: after a new term is published, the family reads the new term by default
and the earlier term's snapshot, unchanged, one click away."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from site_builder.fp1 import MasterKey
from tests.browser.app_harness import (
    CASES,
    DESKTOP,
    EXAMPLE,
    NAMES,
    ExampleSite,
    assert_accessible,
    family_context,
    go,
    settled,
    sign_in,
)
from tests.browser.conftest import run_cli, serving

pytestmark = pytest.mark.browser
POST = "children/p-barn-01/larlogg/2026-09-04-01.md"
OLD_TEXT = "Idag gick vi till"
NEW_TEXT = "Vårterminens första dag i skogen"


def _two_terms(tmp_path: Path) -> ExampleSite:
    """content/example built as HT2026, then as VT2027 with one post rewritten."""
    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    master = MasterKey.generate()
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": master.to_b64u()}
    site = ExampleSite(out=tmp_path / "site", state=tmp_path / "state", master=master, env=env)
    build = ["build", str(export), "--out", str(site.out), "--state-dir", str(site.state)]
    run_cli(*build, env=env)
    toml = export / "export.toml"
    toml.write_text(toml.read_text("utf-8").replace('term = "HT2026"', 'term = "VT2027"'), "utf-8")
    post = export / POST
    post.write_text(post.read_text("utf-8").replace(OLD_TEXT, NEW_TEXT), "utf-8")
    run_cli(*build, env=env)
    return site


def _open_child(page: Page, name: str) -> None:
    page.locator(".card h2 a", has_text=name).click()
    page.wait_for_url("**/barn/**")
    settled(page)


def test_the_family_switches_between_terms(browser: Browser, tmp_path: Path) -> None:
    site = _two_terms(tmp_path)
    with serving(site) as server:
        context = family_context(browser, viewport=DESKTOP)
        try:
            page = context.new_page()
            sign_in(page, server, CASES["guardian_two_children"])
            terms = page.locator("nav.terms a")
            assert terms.all_inner_texts() == ["VT2027", "HT2026"]
            assert terms.first.get_attribute("aria-current") == "page"
            assert_accessible(page, "family with two terms")

            _open_child(page, NAMES["p-barn-01"])
            assert NEW_TEXT in page.locator("main").inner_text()

            go(page, "#/")
            page.locator("nav.terms a", has_text="HT2026").click()
            page.wait_for_url("**/#/term/*/")
            settled(page)
            current = page.locator("nav.terms a[aria-current=page]")
            assert current.inner_text() == "HT2026"
            _open_child(page, NAMES["p-barn-01"])
            assert "/term/" in page.url
            text = page.locator("main").inner_text()
            assert OLD_TEXT in text and NEW_TEXT not in text and "HT2026" in text
        finally:
            context.close()
