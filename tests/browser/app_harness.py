"""The family app end to end: the real `site-builder build` of content/example and the real server
(create_app with the dev e-ID provider under uvicorn on 127.0.0.1:<ephemeral>).

Fixtures here are imported by tests/browser/test_app_*.py; the example is built once per session.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from site_builder.fp1 import MasterKey
from site_builder.keyservice.accesslog import AccessLog
from site_builder.serve import create_app
from tests.keyservice.liveserver import loopback_socket, running

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

    @property
    def live(self) -> Path:
        return self.out.resolve()


@dataclass(frozen=True)
class Server:
    base_url: str


def _cli(*args: str) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("site-builder")), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> ExampleSite:
    """`site-builder keys init` and `site-builder build content/example`, once per session."""
    root = tmp_path_factory.mktemp("app")
    state = root / "state"
    _cli("keys", "init", "--state-dir", str(state))
    _cli("build", str(EXAMPLE), "--out", str(root / "site"), "--state-dir", str(state))
    master = MasterKey.load(state / "keys" / "master.key")
    return ExampleSite(out=root / "site", state=state, master=master)


@contextlib.contextmanager
def serving(site: ExampleSite, log_dir: Path) -> Iterator[Server]:
    sock, base_url = loopback_socket()
    with (log_dir / "access.jsonl").open("a", encoding="utf-8") as log:
        app = create_app(
            site_dir=site.out,
            master=site.master,
            dev_idp_register=EXAMPLE,
            base_url=base_url,
            access_log=AccessLog(log),
        )
        with running(app, sock):
            yield Server(base_url=base_url)


@pytest.fixture(scope="session")
def app_server(
    example_site: ExampleSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with serving(example_site, tmp_path_factory.mktemp("log")) as server:
        yield server


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    yield context
    context.close()


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
    """Wait until the router has put a finished view in <main>."""
    page.wait_for_function(
        "() => !document.querySelector('main').hasAttribute('aria-busy')"
        " && document.querySelector('#top').children.length > 0",
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
