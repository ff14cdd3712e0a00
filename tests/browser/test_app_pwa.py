"""The app as an installable, accessible PWA through the real build and server: installability,
sign-in error pages, help and the remembered language, the idle lock, the altered-copy screen,
and axe-core on each of those views."""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, Request, Route

from site_builder.fp1 import keyring_blob_id, open_json, reader_id, reader_key, subject_for_pnr
from tests.browser.app_harness import (
    CASES,
    EXAMPLE,
    PHONE,
    ExampleSite,
    Server,
    assert_accessible,
    choose_language,
    go,
    open_store,
    screenshot,
    settled,
    sign_in,
)
from tests.conftest import CHROMIUM_FLAGS, chromium_path

pytestmark = pytest.mark.browser
GUARDIAN = CASES["guardian_two_children"]
SIGN_IN = "Logga in med e-legitimation"
AlteredSite = Callable[[Callable[[Path], None]], contextlib.AbstractContextManager[Server]]


@pytest.fixture
def family(browser: Browser) -> Iterator[BrowserContext]:
    """A phone-sized context with its own client address: the key service limits requests per
    address, and uvicorn trusts X-Forwarded-For from loopback as it would behind a proxy."""
    address = ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))
    context = browser.new_context(
        viewport=PHONE, extra_http_headers={"X-Forwarded-For": f"10.{address}"}
    )
    yield context
    context.close()


def _child_bundle_path(site: ExampleSite, person: str) -> str:
    """The site path of `person`'s first child bundle, read from their keyring in Python."""
    register = json.loads((EXAMPLE / "register.json").read_text(encoding="utf-8"))
    civic = next(p for p in register["persons"] if p["id"] == person)["civicNo"]["value"]
    latest = json.loads((site.live / "latest.json").read_text(encoding="utf-8"))
    rid = reader_id(site.master, subject_for_pnr(civic))
    key = reader_key(site.master, epoch=latest["epoch"], rid=rid)
    data = (site.live / "s" / str(latest["seq"]) / "k" / f"{rid}.bin").read_bytes()
    ring = open_json(data, key=key, kind="keyring", blob_id=keyring_blob_id(rid, latest["seq"]))
    return str(next(b["path"] for b in ring["blobs"] if b["kind"] == "child"))


def test_a_tampered_blob_shows_the_altered_copy_screen(
    family: BrowserContext, example_site: ExampleSite, altered_site: AlteredSite
) -> None:
    bundle = _child_bundle_path(example_site, GUARDIAN)

    def flip_one_byte(site: Path) -> None:
        data = bytearray((site / bundle).read_bytes())
        data[len(data) // 2] ^= 0x01
        (site / bundle).write_bytes(bytes(data))

    with altered_site(flip_one_byte) as server:
        page = family.new_page()
        sign_in(page, server, GUARDIAN)
        assert page.locator("main h1").inner_text() == "Den här kopian har ändrats"
        # Never partial content: not one card, entry or fragment of the family is shown.
        assert page.locator(".card, .timeline, .fp-fragment, img").count() == 0
        assert_accessible(page, "altered copy")
        screenshot(page, "altered")


@pytest.mark.parametrize("code", ["cancelled", "expired", "failed", "unavailable"])
def test_sign_in_error_pages_say_what_to_do(
    family: BrowserContext, app_server: Server, code: str
) -> None:
    page = family.new_page()
    page.goto(f"{app_server.base_url}/#/error/{code}")
    settled(page)
    assert page.locator("main h1").inner_text() == "Inloggningen gick inte"
    assert page.locator(f"[data-error={code}]").is_visible()
    assert page.get_by_role("link", name="Försök igen").is_visible()
    assert_accessible(page, f"error {code}")
    screenshot(page, f"error-{code}")


def test_cancel_at_the_provider_lands_on_the_cancelled_page(
    family: BrowserContext, app_server: Server
) -> None:
    page = family.new_page()
    page.goto(app_server.base_url + "/")
    settled(page)
    page.get_by_role("link", name=SIGN_IN).click()
    page.locator("button[name=persona][value=__cancel__]").click()
    page.wait_for_url("**/#/error/cancelled")
    settled(page)
    assert page.locator("[data-error=cancelled]").is_visible()


def test_start_help_and_the_language_switch_is_remembered(
    family: BrowserContext, app_server: Server
) -> None:
    page = family.new_page()
    page.goto(app_server.base_url + "/")
    settled(page)
    assert page.get_by_role("link", name=SIGN_IN).is_visible()
    assert page.get_by_role("link", name="Elev? Logga in med skolkontot").is_visible()
    # A visitor who never signs in leaves no database behind.
    assert page.evaluate("async () => (await indexedDB.databases()).length") == 0
    assert_accessible(page, "start")
    screenshot(page, "start")
    go(page, "#/hjalp")
    assert "Varför loggar jag in med e-legitimation?" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Ändra kontaktuppgifter").is_visible()
    assert_accessible(page, "help")
    screenshot(page, "help")
    choose_language(page, "English")
    page.get_by_role("heading", name="Help", level=1).wait_for()
    page.reload()
    settled(page)
    root = page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
    assert root == ["en", "ltr"]
    go(page, "#/")
    assert page.get_by_role("link", name="Sign in with e-ID").is_visible()
    assert_accessible(page, "start (English)")
    go(page, "#/nowhere")
    assert page.locator("main h1").inner_text() == "Page not found"
    assert_accessible(page, "not found")


def test_idle_lock_after_the_configured_minutes(
    family: BrowserContext, app_server: Server, example_site: ExampleSite
) -> None:
    config = json.loads((example_site.live / "config.json").read_text(encoding="utf-8"))
    minutes = int(config["auto_lock_minutes"])
    page = family.new_page()
    page.clock.install()
    sign_in(page, app_server, GUARDIAN)
    page.clock.run_for((minutes - 1) * 60_000)
    assert page.locator(".card").count() == 2
    page.clock.run_for(2 * 60_000)
    page.get_by_role("link", name=SIGN_IN).wait_for()
    assert "inte använts på ett tag" in page.locator("main").inner_text()
    assert "session" not in open_store(page)


def test_installability_errors_are_empty(
    playwright: Playwright, app_server: Server, tmp_path: Path
) -> None:
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=CHROMIUM_FLAGS,
        headless=True,
        viewport=PHONE,
        locale="sv-SE",  # as every test context (tests/conftest.py)
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(app_server.base_url + "/")
        settled(page)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert '"display": "standalone"' in manifest["data"]
    finally:
        context.close()


def test_a_shell_file_dropped_once_during_install_is_fetched_again(
    family: BrowserContext, app_server: Server
) -> None:
    # A phone's network drops one request: the install tries that file again instead of
    # failing, and the worker takes over on this visit (not some visit later).
    dropped: list[str] = []

    def drop_first(route: Route, request: Request) -> None:
        if request.service_worker is not None and not dropped:
            dropped.append(request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    family.route("**/*.css", drop_first)
    page = family.new_page()
    page.goto(app_server.base_url + "/")
    settled(page)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    assert dropped, "the worker's precache never asked for the stylesheet"
    shell = page.evaluate(
        "async () => { const name = (await caches.keys()).find((n) => n.startsWith('fp-shell-'));"
        " return (await (await caches.open(name)).keys()).map((r) => r.url); }"
    )
    assert dropped[0] in shell


def test_a_new_version_waits_until_the_reader_updates(
    family: BrowserContext, altered_site: AlteredSite, tmp_path: Path
) -> None:
    with altered_site(lambda site: None) as server:
        site = tmp_path / "altered-site"
        old = json.loads((site / "latest.json").read_text(encoding="utf-8"))["shell"]
        page = family.new_page()
        page.goto(server.base_url + "/")
        settled(page)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        # A new build: another shell version in sw.js (the browser compares it byte for byte).
        source = (site / "sw.js").read_text(encoding="utf-8")
        (site / "sw.js").write_text(source.replace(old, "nextversion0000"), encoding="utf-8")
        # The archive's jsPDF and fonts are named by version, stored when first used and kept:
        # were the new worker to fetch this one again, its cache would hold these bytes instead.
        vendor = next((site / "vendor").glob("jspdf-*.js"))
        page.evaluate(
            "(url) => fetch(url).then((r) => r.text()).then(() => true)", f"/vendor/{vendor.name}"
        )
        # Stored behind the answer: polled in the page (wait_for_function does not await).
        stored = page.evaluate(
            "async (url) => { for (let i = 0; i < 300; i++) {"
            " if (await (await caches.open('fp-vendor')).match(url)) return true;"
            " await new Promise((ok) => setTimeout(ok, 100)); } return false; }",
            f"/vendor/{vendor.name}",
        )
        assert stored
        vendor.write_text("// not fetched again\n", encoding="utf-8")
        page.reload()
        settled(page)
        update = page.get_by_role("button", name="Ny version — uppdatera")
        update.wait_for(timeout=20_000)
        # Not swapped under the reader: the old worker still controls the page.
        caches_now = page.evaluate("async () => await caches.keys()")
        assert f"fp-shell-{old}" in caches_now and "fp-shell-nextversion0000" in caches_now
        assert page.evaluate("async () => !!(await navigator.serviceWorker.ready).waiting")
        kept_js = "async (url) => (await (await caches.open('fp-vendor')).match(url)).text()"
        kept = page.evaluate(kept_js, f"/vendor/{vendor.name}")
        assert kept.startswith("/** @license") and "jsPDF" in kept[:200]
        # ... and the new shell's own cache holds none of them.
        shell_paths = page.evaluate(
            "async () => (await (await caches.open('fp-shell-nextversion0000')).keys())"
            ".map((r) => new URL(r.url).pathname)"
        )
        assert shell_paths and not any(p.startswith("/vendor/") for p in shell_paths)
        assert_accessible(page, "update banner")
        screenshot(page, "update-banner")
        with page.expect_navigation():
            update.click()
        settled(page)
        assert page.locator("#update").is_hidden()
        # The old shell's cache is dropped when the new worker activates: polled in the page
        # (wait_for_function takes an async function's promise as true at once).
        dropped = page.evaluate(
            "async (name) => { for (let i = 0; i < 300; i++) {"
            " if (!(await caches.keys()).includes(name)) return true;"
            " await new Promise((ok) => setTimeout(ok, 100)); } return false; }",
            f"fp-shell-{old}",
        )
        assert dropped
        # Still there once the new version is active (its worker keeps what its shell names).
        kept = page.evaluate(kept_js, f"/vendor/{vendor.name}")
        assert kept.startswith("/** @license") and "jsPDF" in kept[:200]


SEEN = """async (forget) => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const store = db.transaction("kv", "readwrite").objectStore("kv");
  const seen = await new Promise((ok) => { const r = store.get("seen");
    r.onsuccess = () => ok(r.result); });
  if (forget) {
    const [child] = Object.keys(seen).sort();
    seen[child] = seen[child].slice(1);  // as if the newest entry came after the last visit
    await new Promise((ok) => { const r = store.put(seen, "seen"); r.onsuccess = ok; });
  }
  db.close();
  return seen;
}"""


def test_new_since_the_last_visit(family: BrowserContext, app_server: Server) -> None:
    page = family.new_page()
    sign_in(page, app_server, GUARDIAN)
    assert page.locator(".card .badge").count() == 0  # the first visit is the baseline
    seen = page.evaluate(SEEN, False)
    assert len(seen) == 2 and all(seen.values())
    page.evaluate(SEEN, True)
    page.reload()
    settled(page)
    badge = page.locator(".card .badge")
    assert badge.all_inner_texts() == ["1 nytt inlägg sedan ditt senaste besök"]
    badge.locator("xpath=ancestor::li[contains(@class, 'card')]//h2//a").click()
    settled(page)
    assert page.locator(".entry").first.locator(".badge").inner_text().strip() == "Nytt"
    assert page.locator(".entry .badge").count() == 1
    go(page, "#/")
    assert page.locator(".card .badge").count() == 0  # read once, no longer new


def test_dark_mode_views_are_accessible(browser: Browser, app_server: Server) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme="dark")
    try:
        page = context.new_page()
        sign_in(page, app_server, GUARDIAN)
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 20, 23)"  # the dark palette is in use
        assert_accessible(page, "family (dark)")
        screenshot(page, "family-dark")
        for tab in ["larlogg", "omdomen", "planeringar"]:
            hrefs = page.locator(".card h2 a").evaluate_all("(as) => as.map((a) => a.hash)")
            go(page, hrefs[-1].rsplit("/", 1)[0] + "/" + tab)
            assert_accessible(page, f"{tab} (dark)")
            go(page, "#/")
    finally:
        context.close()
