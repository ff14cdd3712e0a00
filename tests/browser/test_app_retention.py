"""Retention (gallring) on the device: a month before a term's retention date the family page
says so and points to the archive; once `page.clock` is past it, the app has forgotten that
term's saved data — its keyring and the blobs only it named in Cache Storage, its record in
IndexedDB — while the newer term's stay, and the term is no longer listed."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from site_builder.fp1 import MasterKey
from tests.browser.app_harness import (
    CASES,
    EXAMPLE,
    PHONE,
    ExampleSite,
    assert_accessible,
    family_context,
    go,
    screenshot,
    settled,
    sign_in,
)
from tests.browser.conftest import run_cli, serving

pytestmark = pytest.mark.browser
SOON = date.today() + timedelta(days=10)  # within the month's warning, before the keys expire


def _two_terms_ending(tmp_path: Path) -> ExampleSite:
    """HT2026 kept until SOON, then VT2027 (one post rewritten) kept until 2028-06-30."""
    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    toml = export / "export.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text.replace('"2028-06-30"', f'"{SOON.isoformat()}"'), "utf-8")
    master = MasterKey.generate()
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": master.to_b64u()}
    site = ExampleSite(out=tmp_path / "site", state=tmp_path / "state", master=master, env=env)
    build = ["build", str(export), "--out", str(site.out), "--state-dir", str(site.state)]
    run_cli(*build, env=env)
    toml.write_text(text.replace('term = "HT2026"', 'term = "VT2027"'), "utf-8")
    post = export / "children/p-barn-01/larlogg/2026-09-04-01.md"
    post.write_text(post.read_text("utf-8").replace("Idag gick vi till", "Vårterminen:"), "utf-8")
    run_cli(*build, env=env)
    return site


CACHED = """async () => {
  const out = {};
  for (const name of ["fp-blobs", "fp-data"]) {
    const cache = await caches.open(name);
    out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname);
  }
  return out;
}"""

# Polled in the page (wait_for_function does not await an async predicate): up to 60 s.
VENDOR_STORED = """async () => {
  const want = ["/vendor/jspdf-4.2.1.umd.min.js", "/vendor/DejaVuSans-2.37.ttf",
    "/vendor/NotoSansEthiopic-20201225.ttf"];
  for (let i = 0; i < 600; i++) {
    const cache = await caches.open("fp-vendor");
    const paths = (await cache.keys()).map((r) => new URL(r.url).pathname);
    if (want.every((p) => paths.includes(p))) return true;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return false;
}"""

TERM_FILES = """async (seq) => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const value = await new Promise((ok) => {
    const r = db.transaction("kv").objectStore("kv").get("termFiles");
    r.onsuccess = () => ok(r.result); });
  db.close();
  return (value ?? {})[seq] ?? null;
}"""


def _save_offline(page: Page) -> None:
    page.locator("[data-action=save-offline]").click()
    page.wait_for_function(
        "() => !document.querySelector('[data-action=save-offline]').disabled", timeout=30_000
    )


def test_a_term_past_its_retention_date_is_forgotten_on_the_device(
    browser: Browser, tmp_path: Path
) -> None:
    site = _two_terms_ending(tmp_path)
    with serving(site) as server:
        context = family_context(browser, viewport=PHONE)
        try:
            page = context.new_page()
            sign_in(page, server, CASES["guardian_two_children"])
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            notice = page.locator("[data-fp-retention]")
            assert "HT2026" in notice.inner_text()
            assert notice.locator(f"time[datetime='{SOON.isoformat()}']").count() == 1
            assert "VT2027" not in notice.inner_text()
            # The notice has the worker store the archive's jsPDF and fonts now (online, no
            # Save-Data), so an archive made later offline still has its PDF.
            assert page.evaluate(VENDOR_STORED)
            assert_accessible(page, "family page with the retention notice")
            screenshot(page, "retention-notice-375")
            _save_offline(page)
            go(page, "#/term/1/")
            _save_offline(page)
            old: list[str] = page.evaluate(TERM_FILES, 1)
            new: list[str] = page.evaluate(TERM_FILES, 2)
            only_old = set(old) - set(new)
            before: dict[str, Any] = page.evaluate(CACHED)
            assert only_old and only_old <= set(before["fp-blobs"])
            assert any(p.startswith("/s/1/") for p in before["fp-data"])

            page.clock.install(time=datetime.combine(SOON + timedelta(days=2), datetime.min.time()))
            page.goto(server.base_url + "/#/")
            settled(page)
            after: dict[str, Any] = page.evaluate(CACHED)
            assert not only_old & set(after["fp-blobs"])  # the term's own blobs are gone
            assert set(new) <= set(after["fp-blobs"])  # the newer term's stay
            assert not any(p.startswith("/s/1/") for p in after["fp-data"])
            assert any(p.startswith("/s/2/") for p in after["fp-data"])
            assert page.evaluate(TERM_FILES, 1) is None  # its record in IndexedDB is gone
            assert page.evaluate(TERM_FILES, 2) == new
            assert page.locator("[data-fp-retention]").count() == 0
            assert page.locator("nav.terms").count() == 0  # one term left: no switcher
            assert page.locator(".card").count() == 2  # the newer term still reads
        finally:
            context.close()
