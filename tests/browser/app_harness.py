"""Helpers for the family app's browser tests (the fixtures are in tests/browser/conftest.py):
sign-in through the dev provider, waiting for a view, axe-core, screenshots, IndexedDB reads."""

from __future__ import annotations

import json
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import axe_playwright_python
from playwright.sync_api import Browser, BrowserContext, Page

from site_builder.fp1 import (
    MasterKey,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "example"
ARTIFACTS = ROOT / "test-artifacts"
AXE_SOURCE = (Path(axe_playwright_python.__file__).with_name("axe.min.js")).read_text("utf-8")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CASES: dict[str, Any] = json.loads((EXAMPLE / "CASES.json").read_text(encoding="utf-8"))


def _person_names() -> dict[str, str]:
    register = json.loads((EXAMPLE / "register.json").read_text(encoding="utf-8"))
    return {p["id"]: f"{p['givenName']} {p['familyName']}" for p in register["persons"]}


NAMES = _person_names()


@dataclass(frozen=True)
class ExampleSite:
    out: Path  # the `build/site` symlink the build swaps
    state: Path
    master: MasterKey
    env: dict[str, str]  # carries SITE_BUILDER_MASTER_KEY to `site-builder serve`

    @property
    def live(self) -> Path:
        return self.out.resolve()


@dataclass(frozen=True)
class Server:
    base_url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def family_context(
    browser: Browser, *, viewport: dict[str, int], locale: str = "sv-SE"
) -> BrowserContext:
    """A context as one family's device with its own client address: the key service limits
    requests per address, and uvicorn trusts X-Forwarded-For from loopback (as behind a proxy).
    `locale`: the browser's preferred language (navigator.languages)."""
    octets = ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))
    return browser.new_context(
        viewport=viewport,
        locale=locale,
        extra_http_headers={"X-Forwarded-For": f"10.{octets}"},
    )


def watch_errors(page: Page) -> list[str]:
    """Page errors and CSP reports (a CSP violation is a bug in the shell)."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def settled(page: Page) -> None:
    """Wait until the router has put the finished view of the current hash in <main>.

    A click on a link changes the hash at once but fires `hashchange` a task later, so "not busy"
    alone can still be the view being left (the cause of a flaky term-switching test).
    """
    page.wait_for_function(
        "() => { const main = document.querySelector('main');"
        " return !main.hasAttribute('aria-busy') && main.dataset.rendered === location.hash"
        " && document.querySelector('#top').children.length > 0; }",
        timeout=20_000,
    )


def sign_in(page: Page, server: Server, persona: str, *, student: bool = False) -> None:
    page.goto(server.base_url + "/")
    settled(page)
    label = "Elev? Logga in med skolkontot" if student else "Logga in med e-legitimation"
    page.get_by_role("link", name=label).click()
    page.locator(f"button[name=persona][value='{persona}']").click()
    page.wait_for_url("**/#/", timeout=20_000)
    settled(page)


def card_names(page: Page) -> list[str]:
    return [n.strip() for n in page.locator(".card h2").all_inner_texts()]


def child_href(page: Page, person_id: str) -> str:
    """The family page's link to a child, without its tab: `#/barn/<id>`."""
    href = page.locator(".card h2 a", has_text=NAMES[person_id]).get_attribute("href")
    assert href
    return href.rsplit("/", 1)[0]


def expected_children(person: str) -> list[str]:
    protected = CASES["protected_child"]
    return sorted(NAMES[c] for c in CASES["children_of"][person] if c != protected)


def assert_accessible(page: Page, view: str) -> None:
    """axe-core (bundled with axe-playwright-python, no network) finds no violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert problems == [], f"{view}: {problems}"


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"app-{name}.png", full_page=True)


def go(page: Page, hash_route: str) -> None:
    page.evaluate("(h) => { location.hash = h; }", hash_route)
    page.wait_for_function("(h) => location.hash === h", arg=hash_route)
    settled(page)


def open_store(page: Page) -> dict[str, Any]:
    """What the app keeps in IndexedDB (key → type summary), without creating the database."""
    return page.evaluate(
        """async () => {
  const dbs = await indexedDB.databases();
  if (!dbs.some((d) => d.name === "fp-app")) return {};
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const tx = db.transaction("kv");
  const keys = await new Promise((ok) => { const r = tx.objectStore("kv").getAllKeys();
    r.onsuccess = () => ok(r.result); });
  const out = {};
  for (const k of keys) {
    const v = await new Promise((ok) => { const r = tx.objectStore("kv").get(k);
      r.onsuccess = () => ok(r.result); });
    out[k] = v && v.keys ? Object.fromEntries(Object.entries(v.keys).map(([e, key]) =>
      [e, {extractable: key.extractable, type: key.type, usages: key.usages}])) : typeof v;
  }
  db.close();
  return out;
}"""
    )


def choose_language(page: Page, name: str) -> None:
    """Open the header's language picker and choose `name` (the language in its own script)."""
    page.locator("#top [data-action=language]").click()
    page.locator("#top .lang-list").get_by_role("button", name=name, exact=True).click()
    page.wait_for_function(
        "(n) => document.querySelector('#top [data-action=language]')?.textContent.endsWith(n)",
        arg=name,
    )
    settled(page)
