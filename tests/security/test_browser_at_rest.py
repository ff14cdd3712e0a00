"""Nothing at rest: after signing in, reading every view and saving for offline, no name or
sentence of the reader's documentation is in Cache Storage, IndexedDB or Web Storage, and every
secret or private CryptoKey the app stored is non-extractable.

The needles come from the decrypted bundles themselves (every name and every sentence), so the
test follows the content instead of a hand-written list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.app_harness import go, settled
from tests.browser.lock_harness import add_authenticator, lock, set_up_passkey, set_up_pin
from tests.export import minimal
from tests.security.browser_site import child_routes, serving, sign_in, watch
from tests.security.built import BuiltSite, built_site

pytestmark = pytest.mark.browser
# Names no word of the app's own text contains, so a hit is a leak, not a coincidence.
NAMES = {minimal.CHILD: "Elsamaria Ekvallsdotter", minimal.GUARDIAN: "Veronika Vårdqvist"}
SKIPPED_KEYS = {"id", "key", "sha256", "path", "bundle", "plans", "kind", "type", "v", "html"}

SCAN_STORAGE = """async (needles) => {
  const hits = [];
  const check = (where, text) => {
    for (const n of needles) if (text.includes(n)) hits.push(`${where}: ${n}`);
  };
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const bytes = await (await cache.match(request)).arrayBuffer();
      check(`cache ${name} ${new URL(request.url).pathname}`, new TextDecoder().decode(bytes));
    }
  }
  for (const store of [localStorage, sessionStorage])
    for (let i = 0; i < store.length; i++)
      check("web storage", store.key(i) + store.getItem(store.key(i)));
  const keys = [];
  const walk = (where, value, depth) => {
    if (depth > 8 || value === null || value === undefined) return;
    if (typeof value === "string") check(where, value);
    else if (value instanceof CryptoKey)
      keys.push({where, type: value.type, extractable: value.extractable});
    else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value))
      check(where, new TextDecoder().decode(value));
    else if (typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        check(where, k);
        walk(`${where}.${k}`, v, depth + 1);
      }
  };
  let stores = 0;
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, ko) => {
      const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    for (const storeName of db.objectStoreNames) {
      stores += 1;
      const tx = db.transaction(storeName);
      const all = await new Promise((ok) => {
        const r = tx.objectStore(storeName).openCursor(); const out = [];
        r.onsuccess = () => { const c = r.result; if (!c) return ok(out);
          out.push([String(c.key), c.value]); c.continue(); }; });
      for (const [k, v] of all) {
        check(`idb ${info.name}/${storeName}`, k);
        walk(`idb ${k}`, v, 0);
      }
    }
    db.close();
  }
  return {hits, keys, stores, caches: (await caches.keys()).length};
}"""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "html" and isinstance(v, str):
                parser = _Text()
                parser.feed(v)
                yield "".join(parser.parts)
            elif k not in SKIPPED_KEYS:
                yield from _strings(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)
    elif isinstance(value, str):
        yield value


def needles(site: BuiltSite) -> list[str]:
    """Every name and every sentence (≥ 12 characters) of the guardian's documentation."""
    found = {minimal.CHILD_PNR, minimal.GUARDIAN_PNR, *NAMES.values()}
    for bundle in site.bundles(site.rid(minimal.GUARDIAN_PNR)):
        child = bundle.get("child") or {}
        found |= {v for k, v in child.items() if k.endswith("Name") and isinstance(v, str)}
        for text in _strings(bundle):
            found |= {s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 12}
    return sorted(found)


@pytest.fixture(scope="module")
def reading_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("at-rest")
    export = minimal.write_minimal_export(root / "export")
    register = minimal.register_data()
    for person in register["persons"]:
        person["givenName"], person["familyName"] = NAMES[person["id"]].split()
    minimal.write_register(export, register)
    return built_site(root, export)


@pytest.fixture(scope="module")
def reading_server(reading_site: BuiltSite) -> Iterator[str]:
    with serving(reading_site) as base_url:
        yield base_url


def _read_everything_and_save(page: Page, base_url: str) -> None:
    sign_in(page, base_url, minimal.GUARDIAN)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    page.locator("[data-action=save-offline]").click()
    page.wait_for_function("() => document.querySelector('.saved')?.textContent", timeout=20_000)
    for route in child_routes(page):
        go(page, route)
    page.wait_for_timeout(300)  # let the service worker finish writing what it caches


def test_needles_cover_names_and_sentences(reading_site: BuiltSite) -> None:
    found = needles(reading_site)
    assert {*NAMES.values(), "Idag mätte vi skolgården med måttband."} <= set(found)
    assert len(found) >= 10


def test_nothing_readable_at_rest_and_keys_not_extractable(
    browser: Browser, reading_server: str, reading_site: BuiltSite
) -> None:
    context = browser.new_context()
    seen = watch(context, reading_server)
    try:
        page = context.new_page()
        _read_everything_and_save(page, reading_server)
        assert page.locator("main").inner_text()  # the documentation was on screen
        shown = page.locator("main").inner_text()
        words = needles(reading_site)
        assert any(w in shown for w in words)  # and the needles match what was shown
        result = page.evaluate(SCAN_STORAGE, words)
    finally:
        context.close()
    assert result["caches"] >= 1 and result["stores"] >= 1  # the scan saw the app's storage
    assert result["hits"] == []
    secret = [k for k in result["keys"] if k["type"] in {"secret", "private"}]
    assert secret, result["keys"]
    assert [k for k in secret if k["extractable"]] == []
    assert seen.page_errors == [] and seen.csp_violations == []


@pytest.mark.parametrize("kind", ["passkey", "pin"])
def test_locked_leaves_only_wrapped_keys_at_rest(
    browser: Browser, reading_server: str, reading_site: BuiltSite, kind: str
) -> None:
    """After "Lås" with a device lock: no CryptoKey at all (no reader key, no device private key,
    extractable or not) and no plaintext in IndexedDB, caches or Web Storage — only the key
    service's answer (wrapped to the device key) and the device key wrapped under the lock.
    Before the device lock the device's private key stayed usable at rest: this test fails."""
    base_url = (
        reading_server.replace("127.0.0.1", "localhost") if kind == "passkey" else reading_server
    )
    context = browser.new_context()
    seen = watch(context, base_url)
    try:
        page = context.new_page()
        if kind == "passkey":
            add_authenticator(page)
        _read_everything_and_save(page, base_url)
        go(page, "#/skydd")
        set_up_passkey(page) if kind == "passkey" else set_up_pin(page)
        lock(page)
        settled(page)
        result = page.evaluate(SCAN_STORAGE, needles(reading_site))
        stored = page.evaluate(
            """async () => { const db = await new Promise((ok) => {
              const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); });
              const get = (k) => new Promise((ok) => { const r = db.transaction("kv")
                .objectStore("kv").get(k); r.onsuccess = () => ok(r.result); });
              const [guard, answer] = [await get("guard"), await get("answer")];
              db.close();
              return {kind: guard?.kind, ct: typeof guard?.ct,
                      wrapped: answer?.keys?.map((k) => typeof k.wrapped.ct)}; }"""
        )
    finally:
        context.close()
    assert result["caches"] >= 1 and result["stores"] >= 1
    assert result["hits"] == []
    assert [k for k in result["keys"] if k["type"] != "public"] == []
    assert stored["kind"] == kind and stored["ct"] == "string"
    assert stored["wrapped"] and set(stored["wrapped"]) == {"string"}
    assert seen.page_errors == [] and seen.csp_violations == []


def test_nothing_readable_in_the_profile_on_disk(
    browser: Browser, reading_server: str, reading_site: BuiltSite, tmp_path: Path
) -> None:
    """The whole Chromium profile directory (HTTP cache, History, IndexedDB and Cache Storage
    files, session state) after reading and closing: no name or sentence in any file."""
    from tests.conftest import CHROMIUM_FLAGS, chromium_path

    profile = tmp_path / "profile"
    playwright = browser.browser_type
    context = playwright.launch_persistent_context(
        profile,
        executable_path=chromium_path(),
        args=CHROMIUM_FLAGS,
        headless=True,
        locale="sv-SE",  # as every test context (tests/conftest.py)
    )
    try:
        _read_everything_and_save(
            context.pages[0] if context.pages else context.new_page(), reading_server
        )
    finally:
        context.close()
    words = needles(reading_site)
    hits: dict[str, list[str]] = {}
    for path in profile.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        found = [w for w in words if w.encode() in data or w.encode("utf-16-le") in data]
        if found:
            hits[path.relative_to(profile).as_posix()] = found
    assert hits == {}


# ---- What the device lock covers besides the device key (issue #13 / #15 follow-up) ----------

DRAFT_BEFORE = "Utkast skrivet före låset 4417"
NOTE_AFTER = "Anteckning skriven med låset 8830"
READ_RECORDS = """async (prefix) => {
  const db = await new Promise((ok) => { const r = indexedDB.open("fp-app");
    r.onsuccess = () => ok(r.result); });
  const range = IDBKeyRange.bound(prefix, prefix + "\\uffff");
  const tx = db.transaction("kv");
  const values = await new Promise((ok) => { const r = tx.objectStore("kv").getAll(range);
    r.onsuccess = () => ok(r.result); });
  db.close();
  return values;
}"""


@pytest.fixture(scope="module")
def talk_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.browser.test_app_talk_reply import make_talk_site

    return make_talk_site(tmp_path_factory.mktemp("locked-talk"), days=30)


@pytest.fixture(scope="module")
def talk_server(talk_site: Any) -> Iterator[str]:
    from tests.serve_cli import site_builder_serve

    with site_builder_serve(
        out=talk_site.out, state_dir=talk_site.state, export=talk_site.export, env=talk_site.env
    ) as (base_url, _):
        yield base_url


def _open_talk(page: Page) -> None:
    from tests.browser.app_harness import child_href
    from tests.browser.test_app_talk_reply import STUDENT

    go(page, child_href(page, STUDENT) + "/samtal")
    page.locator(".talk-answers").wait_for()


def _saved(page: Page) -> None:
    page.wait_for_function(
        "() => document.querySelector('.talk-answers').dataset.draft === 'saved'"
    )


@pytest.mark.parametrize("kind", ["passkey", "pin"])
def test_locked_no_draft_opens_and_no_capability_is_readable(
    browser: Browser, talk_server: str, kind: str
) -> None:
    """With a device lock and the app locked: the talk's drafts (one written before the lock was
    set up, one after) are at rest only under the lock key, so no CryptoKey that could open them
    is left (no `draftKey`); the key service's reply capability and notify token are nowhere in
    IndexedDB, caches or Web Storage; a reply queued offline is not sent while locked, even online.
    Unlocking (offline) brings the drafts back, and the queued reply goes once unlocked.
    Before lockcover.js the `draftKey` and the answer's `reply`/`notify` stayed: this test fails."""
    from tests.browser.app_harness import family_context
    from tests.browser.lock_harness import sign_in_at, store_value, unlock_with_pin
    from tests.browser.test_app_talk_reply import GUARDIAN

    base_url = talk_server.replace("127.0.0.1", "localhost") if kind == "passkey" else talk_server
    context = family_context(browser, viewport={"width": 1280, "height": 900})
    seen = watch(context, base_url)
    try:
        page = context.new_page()
        if kind == "passkey":
            add_authenticator(page)
        sign_in_at(page, base_url, GUARDIAN)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
        _open_talk(page)
        page.locator("#q0").fill(DRAFT_BEFORE)
        _saved(page)
        assert store_value(page, "draftKey") == {"type": "secret", "extractable": False}
        go(page, "#/skydd")
        set_up_passkey(page) if kind == "passkey" else set_up_pin(page)
        page.locator("[data-action=save-offline]").click()  # the offline unlock reads from it
        page.wait_for_function(
            "() => document.querySelector('.offline p.meta')?.textContent", timeout=60_000
        )
        unlocked = store_value(page, "session")
        reply, notify = unlocked["reply"], unlocked["notify"]
        assert isinstance(reply, str) and len(reply) > 20
        assert isinstance(notify, str) and len(notify) > 20
        _open_talk(page)
        assert page.locator("#q0").input_value() == DRAFT_BEFORE  # moved under the lock
        page.locator("#notes").fill(NOTE_AFTER)
        _saved(page)
        context.set_offline(True)
        page.get_by_role("button", name="Skicka till skolan").click()
        page.wait_for_function(
            "() => document.querySelector('.talk-answers').dataset.sent === 'queued'"
        )
        lock(page)
        # Online again while locked: the queued reply has no capability to go with.
        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(500)
        result = page.evaluate(SCAN_STORAGE, [DRAFT_BEFORE, NOTE_AFTER, reply, notify])
        drafts = page.evaluate(READ_RECORDS, "draft:")
        outbox = store_value(page, "outbox")
        sent = page.evaluate(READ_RECORDS, "sent:")
        # Unlock offline: the drafts are back; online, the reply goes.
        context.set_offline(True)
        if kind == "passkey":
            page.locator("[data-action=local-unlock]").click()
        else:
            unlock_with_pin(page)
        page.locator(".talk-answers").wait_for(timeout=20_000)
        back = (page.locator("#q0").input_value(), page.locator("#notes").input_value())
        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        page.wait_for_function(
            "() => document.querySelector('.talk-answers').dataset.sent === 'sent'",
            timeout=20_000,
        )
    finally:
        context.close()
    assert result["hits"] == []  # no draft text, no reply capability, no notify token
    assert [k for k in result["keys"] if k["type"] != "public"] == []  # nothing opens a draft
    assert len(drafts) == 1 and drafts[0]["lock"] == 1 and set(drafts[0]) == {"iv", "ct", "lock"}
    assert outbox and all("cap" not in body for body in outbox.values())
    assert sent == []  # not sent while locked
    assert back == (DRAFT_BEFORE, NOTE_AFTER)
    assert seen.page_errors == [] and seen.csp_violations == []
