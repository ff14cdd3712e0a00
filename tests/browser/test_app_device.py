"""What stays on the device: offline reading with the server stopped, "Lås" and "Glöm den här
enheten", through the real build and server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.app_harness import (
    CASES,
    Server,
    card_names,
    expected_children,
    go,
    open_store,
    screenshot,
    settled,
    sign_in,
    watch_errors,
)

pytestmark = pytest.mark.browser
SIGN_IN = "Logga in med e-legitimation"

ORIGIN_STORAGE = """async () => ({
  databases: (await indexedDB.databases()).map((d) => d.name),
  caches: await caches.keys(),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
})"""


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)


def save_for_offline(page: Page) -> None:
    page.get_by_role("button", name="Spara för offline").click()
    status = page.locator(".offline [role=status]")
    status.filter(has_text=re.compile(r"Sparat: (\d+) av \1 filer")).wait_for(timeout=20_000)
    assert "kunde inte" not in status.inner_text()
    assert page.locator(".offline progress").evaluate("(p) => p.value === p.max && p.max > 0")


def child_hrefs(page: Page) -> list[str]:
    return page.locator(".card h2 a").evaluate_all("(as) => as.map((a) => a.hash)")


def test_documentation_reads_offline_after_the_server_stops(
    phone: BrowserContext, own_server: Server
) -> None:
    page = phone.new_page()
    errors = watch_errors(page)
    guardian = CASES["guardian_two_children"]
    sign_in(page, own_server, guardian)
    wait_for_service_worker(page)
    save_for_offline(page)
    cached = page.evaluate("async () => await caches.keys()")
    assert any(name.startswith("fp-shell-") for name in cached) and "fp-blobs" in cached

    own_server.stop()
    page.reload()
    settled(page)
    assert sorted(card_names(page)) == expected_children(guardian)
    for href in child_hrefs(page):
        go(page, href)
        assert page.locator(".timeline .entry").count() > 0
        images = page.locator("main img[data-fp-blob]").evaluate_all(
            "(imgs) => imgs.map((i) => i.src.startsWith('blob:') && i.naturalWidth > 0)"
        )
        assert all(images)
    assert page.locator("main h1").inner_text() != "Inte sparat på den här enheten"
    screenshot(page, "offline-child")
    assert errors == []


def test_lock_asks_for_sign_in_again(phone: BrowserContext, app_server: Server) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["guardian_two_children"])
    first_child = child_hrefs(page)[0]
    assert "session" in open_store(page)

    page.get_by_role("button", name="Lås").click()
    # No device lock set up: the app says first that reading again needs e-ID and the network.
    page.locator("[data-action=lock-anyway]").wait_for()
    settled(page)
    assert "logga in med e-legitimation igen" in page.locator("main").inner_text()
    assert "session" in open_store(page)  # nothing happened yet
    page.locator("[data-action=lock-anyway]").click()
    page.get_by_role("link", name=SIGN_IN).wait_for()
    settled(page)
    assert page.locator("main [role=status]").inner_text() == (
        "Appen är låst. Logga in igen för att läsa."
    )
    assert page.get_by_role("button", name="Lås").count() == 0
    assert "session" not in open_store(page)
    assert page.locator(".card").count() == 0

    # No way round it: a child's address and a reload both land on the sign-in page.
    go(page, first_child)
    assert page.get_by_role("link", name=SIGN_IN).is_visible()
    assert page.locator(".timeline").count() == 0
    page.reload()
    settled(page)
    assert page.get_by_role("link", name=SIGN_IN).is_visible()


def test_forget_this_device_leaves_nothing_of_ours(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["guardian_two_children"])
    wait_for_service_worker(page)
    save_for_offline(page)
    before = page.evaluate(ORIGIN_STORAGE)
    assert before["databases"] == ["fp-app"] and before["caches"] and before["workers"] == 1

    go(page, "#/glom")
    screenshot(page, "forget")
    page.get_by_role("button", name="Ja, glöm den här enheten").click()
    page.wait_for_url("**/#/glomd", timeout=20_000)
    settled(page)
    assert page.locator("main h1").inner_text() == "Enheten är glömd"
    screenshot(page, "forgotten")
    assert page.evaluate(ORIGIN_STORAGE) == {"databases": [], "caches": [], "workers": 0}


def test_the_device_key_is_made_at_the_sign_in_click(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    page.goto(app_server.base_url + "/")
    settled(page)
    assert open_store(page) == {}  # looking at the start page leaves nothing behind
    page.get_by_role("link", name=SIGN_IN).click()
    page.locator("button[name=persona]").first.wait_for()  # the dev e-ID, same origin
    assert open_store(page) == {"device": "object"}  # a key pair, and no reader keys yet
    private = page.evaluate(
        """async () => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const pair = await new Promise((ok) => {
    const r = db.transaction("kv").objectStore("kv").get("device");
    r.onsuccess = () => ok(r.result); });
  db.close();
  const k = pair.privateKey;
  const { name, namedCurve: curve } = k.algorithm;
  return {type: k.type, extractable: k.extractable, name, curve};
}"""
    )
    # Extractable for the e-ID round trip only: a device lock must be able to wrap it (WebCrypto
    # wrapKey); once the keys have arrived it is non-extractable at rest (test_browser_at_rest).
    assert private == {"type": "private", "extractable": True, "name": "ECDH", "curve": "P-256"}
