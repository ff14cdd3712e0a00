"""Helpers for the device-lock tests: the app on http://localhost:<port> (WebAuthn needs a name),
Chromium's CDP virtual authenticator with PRF, and the lock's own steps."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import CDPSession, Page

from tests.browser.app_harness import Server, settled

SIGN_IN = "Logga in med e-legitimation"
PIN = "482913"


def on_localhost(server: Server) -> str:
    """The same server under the name "localhost" (it binds 127.0.0.1; both must work)."""
    return server.base_url.replace("127.0.0.1", "localhost")


def add_authenticator(page: Page, *, verified: bool = True) -> tuple[CDPSession, str]:
    """A platform authenticator with user verification and PRF (hmac-secret) for this page."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    options: dict[str, Any] = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": verified,
        "hasPrf": True,
        "automaticPresenceSimulation": True,
    }
    answer = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return cdp, str(answer["authenticatorId"])


def sign_in_at(page: Page, base_url: str, persona: str) -> None:
    """e-ID sign-in through the dev provider, from `base_url` (localhost or 127.0.0.1)."""
    page.goto(base_url + "/")
    settled(page)
    page.get_by_role("link", name=SIGN_IN).click()
    page.locator(f"button[name=persona][value='{persona}']").click()
    page.wait_for_url("**/#/", timeout=20_000)
    settled(page)


def to_set_up(page: Page) -> None:
    """From the offer on the family view to the set-up page (unless already there)."""
    if not page.url.endswith("#/skydd"):
        page.locator("[data-action=offer-setup]").click()
        settled(page)


def set_up_passkey(page: Page) -> None:
    to_set_up(page)
    page.locator("[data-action=setup-passkey]").click()
    page.wait_for_url("**/#/", timeout=20_000)
    settled(page)


def set_up_pin(
    page: Page,
    pin: str = PIN,
    *,
    label_new: str = "Välj en PIN-kod",
    label_again: str = "Skriv PIN-koden igen",
) -> None:
    to_set_up(page)
    page.get_by_label(label_new).fill(pin)
    page.get_by_label(label_again).fill(pin)
    page.locator("[data-action=setup-pin]").click()
    page.wait_for_url("**/#/", timeout=20_000)
    settled(page)


def lock(page: Page) -> None:
    page.get_by_role("button", name="Lås", exact=True).click()
    page.locator("[data-action=local-unlock]").wait_for(timeout=20_000)
    settled(page)


def unlock_with_pin(page: Page, pin: str = PIN) -> None:
    page.get_by_label("PIN-kod").fill(pin)
    page.locator("[data-action=local-unlock]").click()


def store_value(page: Page, key: str) -> Any:
    """One IndexedDB value as JSON-able data (CryptoKeys as {type, extractable})."""
    return page.evaluate(
        """async (key) => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const value = await new Promise((ok) => {
    const r = db.transaction("kv").objectStore("kv").get(key); r.onsuccess = () => ok(r.result); });
  db.close();
  const plain = (v) => v instanceof CryptoKey ? {type: v.type, extractable: v.extractable}
    : v && typeof v === "object"
    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;
  return plain(value);
}""",
        key,
    )


def put_store_value(page: Page, key: str, value: Any) -> None:
    page.evaluate(
        """async ([key, value]) => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  await new Promise((ok, ko) => { const tx = db.transaction("kv", "readwrite");
    tx.objectStore("kv").put(value, key); tx.oncomplete = ok; tx.onerror = ko; });
  db.close();
}""",
        [key, value],
    )
