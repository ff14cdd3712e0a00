"""The device lock end to end (docs/app.md "Device lock"): a passkey (Chromium's virtual
authenticator with PRF) or a PIN unlocks offline; the app opens locked after the grace; the lock
screen says why and returns to the page; wrong PINs wipe; expiry wipes; cancelled prompts and a
passkey that does not fit say what to do. The app runs on http://localhost:<port>."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.app_harness import (
    CASES,
    NAMES,
    PHONE,
    Server,
    assert_accessible,
    card_names,
    choose_language,
    expected_children,
    family_context,
    go,
    open_store,
    screenshot,
    settled,
    watch_errors,
)
from tests.browser.lock_harness import (
    PIN,
    SIGN_IN,
    add_authenticator,
    lock,
    on_localhost,
    put_store_value,
    set_up_passkey,
    set_up_pin,
    sign_in_at,
    store_value,
    unlock_with_pin,
)

pytestmark = pytest.mark.browser
# Every test has a server of its own (own_server): the key service allows a reader 10 unlocks a
# minute, and these tests sign the same guardian in again and again.
GUARDIAN = CASES["guardian_two_children"]


@pytest.fixture
def device(browser: Browser) -> Iterator[BrowserContext]:
    context = family_context(browser, viewport=PHONE)
    yield context
    context.close()


def child_hrefs(page: Page) -> list[str]:
    return page.locator(".card h2 a").evaluate_all("(as) => as.map((a) => a.hash)")


def names_in_dom(page: Page) -> list[str]:
    text = page.evaluate("() => document.documentElement.outerHTML")
    return [name for name in NAMES.values() if name.split()[0] in text]


def save_for_offline(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    page.get_by_role("button", name="Spara för offline").click()
    status = page.locator(".offline [role=status]")
    status.filter(has_text=re.compile(r"Sparat: (\d+) av \1 filer")).wait_for(timeout=20_000)


def test_passkey_unlocks_offline_and_returns_to_the_child_page(
    device: BrowserContext, own_server: Server
) -> None:
    page = device.new_page()
    errors = watch_errors(page)
    add_authenticator(page)
    sign_in_at(page, on_localhost(own_server), GUARDIAN)
    assert page.locator("[data-action=offer-setup]").is_visible()  # offered after the sign-in
    set_up_passkey(page)
    guard = store_value(page, "guard")
    assert guard["kind"] == "passkey" and guard["ct"] and guard["salt"]
    assert store_value(page, "device") is None  # the private key is at rest only wrapped
    save_for_offline(page)
    child = child_hrefs(page)[0]
    go(page, child)
    lock(page)
    assert page.url.endswith(child)  # the lock screen stands on the page the reader was on
    reason = page.locator("[data-reason]")
    assert reason.get_attribute("data-reason") == "manual"
    assert reason.inner_text() == "Du låste appen."
    assert names_in_dom(page) == []
    assert "session" not in open_store(page)
    screenshot(page, "lock-passkey")
    assert_accessible(page, "lock screen (passkey)")

    own_server.stop()
    device.set_offline(True)
    page.get_by_role("button", name="Lås upp").click()
    page.locator(".timeline .entry").first.wait_for(timeout=20_000)
    settled(page)
    assert page.url.endswith(child)
    assert page.locator(".timeline .entry").count() > 0
    go(page, "#/")
    assert sorted(card_names(page)) == expected_children(GUARDIAN)
    assert errors == []


def test_reopened_after_three_hours_is_locked_until_unlocked(
    device: BrowserContext, own_server: Server
) -> None:
    page = device.new_page()
    page.clock.install(time=time.time())
    add_authenticator(page)
    base = on_localhost(own_server)
    sign_in_at(page, base, GUARDIAN)
    set_up_passkey(page)
    assert card_names(page)

    page.goto("about:blank")  # the app is closed …
    page.clock.set_system_time(time.time() + 3 * 3600)
    page.goto(base + "/")  # … and opened three hours later
    page.locator("[data-action=local-unlock]").wait_for(timeout=20_000)
    settled(page)
    assert names_in_dom(page) == []
    assert page.locator("[data-reason]").get_attribute("data-reason") == "reopened"
    assert "session" not in open_store(page)
    page.get_by_role("button", name="Lås upp").click()
    page.locator(".card").first.wait_for(timeout=20_000)
    assert sorted(card_names(page)) == expected_children(GUARDIAN)


def test_reopened_within_the_grace_stays_unlocked(
    device: BrowserContext, own_server: Server
) -> None:
    page = device.new_page()
    page.clock.install(time=time.time())
    add_authenticator(page)
    base = on_localhost(own_server)
    sign_in_at(page, base, GUARDIAN)
    set_up_passkey(page)
    page.goto("about:blank")
    page.clock.set_system_time(time.time() + 60)
    page.goto(base + "/")
    page.locator(".card").first.wait_for(timeout=20_000)
    assert sorted(card_names(page)) == expected_children(GUARDIAN)

    # Help: the lock is shown, and removing it means "Lås" needs e-ID again.
    go(page, "#/hjalp")
    assert page.locator("[data-lock]").get_attribute("data-lock") == "passkey"
    page.locator("[data-action=remove-lock]").click()
    page.locator("[data-lock=none]").wait_for(timeout=20_000)
    assert store_value(page, "guard") is None


def test_pin_wrong_attempts_then_wipe(device: BrowserContext, own_server: Server) -> None:
    page = device.new_page()
    errors = watch_errors(page)
    sign_in_at(page, own_server.base_url, GUARDIAN)  # 127.0.0.1: no passkey offered, PIN is
    page.locator("[data-action=offer-setup]").click()
    settled(page)
    assert page.locator("[data-action=setup-passkey]").count() == 0
    screenshot(page, "lock-setup-pin")
    assert_accessible(page, "set-up (PIN)")
    set_up_pin(page)
    lock(page)
    screenshot(page, "lock-pin")
    assert_accessible(page, "lock screen (PIN)")

    unlock_with_pin(page, "111111")
    alert = page.locator("main [role=alert]")
    alert.filter(has_text="Fel PIN-kod. 4 försök kvar").wait_for(timeout=20_000)
    assert names_in_dom(page) == []
    unlock_with_pin(page, "12")  # too short: said, and not counted
    alert.filter(has_text="minst 6 siffror").wait_for(timeout=20_000)
    assert store_value(page, "guard")["failures"] == 1
    unlock_with_pin(page, PIN)  # the right PIN resets the count
    page.locator(".card").first.wait_for(timeout=20_000)
    assert store_value(page, "guard")["failures"] == 0

    lock(page)
    for left in (4, 3, 2, 1):
        unlock_with_pin(page, "000000")
        alert.filter(has_text=f"{left} försök kvar").wait_for(timeout=20_000)
    unlock_with_pin(page, "000000")
    page.locator("section.start").wait_for(timeout=20_000)
    settled(page)
    assert "för många gånger" in page.locator("main [role=status]").inner_text()
    stored = open_store(page)
    assert not {"guard", "answer", "session", "device"} & set(stored), stored
    assert errors == []


def test_cancelled_prompt_says_what_to_do(device: BrowserContext, own_server: Server) -> None:
    page = device.new_page()
    cdp, authenticator = add_authenticator(page)
    sign_in_at(page, on_localhost(own_server), GUARDIAN)
    set_up_passkey(page)
    lock(page)
    # The person does not confirm (no fingerprint): the authenticator refuses.
    cdp.send(
        "WebAuthn.setUserVerified", {"authenticatorId": authenticator, "isUserVerified": False}
    )
    page.get_by_role("button", name="Lås upp").click()
    alert = page.locator("main [role=alert]")
    alert.filter(has_text="avbröts").wait_for(timeout=30_000)
    assert page.get_by_role("link", name=SIGN_IN).is_visible()  # the way forward
    assert names_in_dom(page) == []
    assert store_value(page, "guard") is not None  # nothing wiped
    assert "session" not in open_store(page)
    screenshot(page, "lock-cancelled")


def test_a_removed_passkey_says_what_to_do(device: BrowserContext, own_server: Server) -> None:
    page = device.new_page()
    cdp, authenticator = add_authenticator(page)
    sign_in_at(page, on_localhost(own_server), GUARDIAN)
    set_up_passkey(page)
    lock(page)
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    page.get_by_role("button", name="Lås upp").click()
    page.locator("main [role=alert]").filter(has_text="avbröts").wait_for(timeout=30_000)
    assert names_in_dom(page) == []
    assert page.get_by_role("link", name=SIGN_IN).is_visible()


def test_a_passkey_whose_prf_does_not_fit(device: BrowserContext, own_server: Server) -> None:
    page = device.new_page()
    add_authenticator(page)
    sign_in_at(page, on_localhost(own_server), GUARDIAN)
    set_up_passkey(page)
    lock(page)
    guard = store_value(page, "guard")
    put_store_value(page, "guard", {**guard, "salt": "A" * 43})  # another PRF output
    page.get_by_role("button", name="Lås upp").click()
    page.locator("main [role=alert]").filter(has_text="passar inte").wait_for(timeout=30_000)
    assert names_in_dom(page) == []
    assert "session" not in open_store(page)
    assert page.get_by_role("link", name=SIGN_IN).is_visible()


def test_expiry_deletes_the_wrapped_keys(device: BrowserContext, own_server: Server) -> None:
    page = device.new_page()
    page.clock.install(time=time.time())
    sign_in_at(page, own_server.base_url, GUARDIAN)
    set_up_pin(page)
    lock(page)
    page.goto("about:blank")
    page.clock.set_system_time(time.time() + 31 * 24 * 3600)
    page.goto(own_server.base_url + "/")
    page.locator("section.start").wait_for(timeout=20_000)
    settled(page)
    assert "gått ut" in page.locator("main [role=status]").inner_text()
    assert not {"guard", "answer", "session"} & set(open_store(page))


def test_evicted_storage_falls_back_to_e_id(device: BrowserContext, own_server: Server) -> None:
    page = device.new_page()
    sign_in_at(page, own_server.base_url, GUARDIAN)
    set_up_pin(page)
    lock(page)
    page.evaluate(  # what the browser does when it evicts the origin's storage
        """() => new Promise((ok) => { const r = indexedDB.deleteDatabase("fp-app");
             r.onsuccess = ok; r.onerror = ok; r.onblocked = ok; })"""
    )
    unlock_with_pin(page)
    page.locator("section.start").wait_for(timeout=20_000)
    settled(page)
    assert "finns inte längre" in page.locator("main [role=status]").inner_text()
    page.reload()
    settled(page)
    assert page.get_by_role("link", name=SIGN_IN).is_visible()


def test_two_tabs_unlock_at_once_and_lock_together(
    device: BrowserContext, own_server: Server
) -> None:
    first = device.new_page()
    sign_in_at(first, own_server.base_url, GUARDIAN)
    set_up_pin(first)
    second = device.new_page()
    second.goto(own_server.base_url + "/")
    second.locator(".card").first.wait_for(timeout=20_000)
    lock(first)
    second.locator("[data-action=local-unlock]").wait_for(timeout=20_000)  # locked there too
    assert names_in_dom(second) == []
    for page in (first, second):
        page.get_by_label("PIN-kod").fill(PIN)
    # Both presses inside one PBKDF2 run (~0.2 s): a Playwright click waits for actionability, and
    # by then the first tab's unlock may already have replaced the second tab's lock screen.
    for page in (first, second):
        page.evaluate("document.querySelector('[data-action=local-unlock]').click()")
    for page in (first, second):
        page.locator(".card").first.wait_for(timeout=20_000)
        assert sorted(card_names(page)) == expected_children(GUARDIAN)
        # The cards can come from the other tab's unlock (shared session) while this tab's own
        # PBKDF2 still runs with its attempt counted: wait for this tab's unlock to finish.
        page.wait_for_function(
            "() => performance.getEntriesByName('fp:local-unlocked').length > 0", timeout=20_000
        )
    assert store_value(first, "guard")["failures"] == 0


@pytest.mark.parametrize("width", [375, 320, 1280])
def test_lock_screens_at_each_size_in_both_languages(
    browser: Browser, own_server: Server, width: int
) -> None:
    """Screenshots (test-artifacts/app-lock-*) and axe-core for the offer, "Lås" without a lock,
    the set-up page and the lock screen, Swedish, English and Arabic, at 375, 320 px and desktop."""
    context = family_context(browser, viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        errors = watch_errors(page)
        add_authenticator(page)
        sign_in_at(page, on_localhost(own_server), GUARDIAN)

        def shoot(name: str) -> None:
            settled(page)
            for lang in ("sv", "en", "ar"):  # Arabic: the lock screens right to left
                if page.evaluate("() => document.documentElement.lang") != lang:
                    choose_language(page, {"sv": "Svenska", "en": "English", "ar": "العربية"}[lang])
                assert_accessible(page, f"{name} {lang} {width}")
                assert page.evaluate("() => document.documentElement.scrollWidth") <= width
                screenshot(page, f"lock-{name}-{lang}-{width}")
            choose_language(page, "Svenska")

        shoot("offer")
        page.get_by_role("button", name="Lås", exact=True).click()
        page.locator("[data-action=lock-anyway]").wait_for()
        shoot("confirm")
        go(page, "#/skydd")
        shoot("setup")
        set_up_passkey(page)
        lock(page)
        shoot("screen")
        page.get_by_role("button", name="Lås upp").click()
        page.locator(".card").first.wait_for(timeout=20_000)
        go(page, "#/hjalp")
        assert page.locator("[data-lock]").get_attribute("data-lock") == "passkey"
        shoot("help")
        assert errors == []
    finally:
        context.close()


def test_without_a_lock_e_id_brings_the_reader_back_to_the_page(
    device: BrowserContext, own_server: Server
) -> None:
    page = device.new_page()
    sign_in_at(page, own_server.base_url, GUARDIAN)
    child = child_hrefs(page)[0]
    go(page, child)
    page.get_by_role("button", name="Lås", exact=True).click()
    page.locator("[data-action=lock-anyway]").click()
    page.locator("section.start").wait_for(timeout=20_000)
    settled(page)
    assert page.locator("main [role=status]").inner_text() == (
        "Appen är låst. Logga in igen för att läsa."
    )
    assert names_in_dom(page) == []
    assert not {"session", "answer", "device"} & set(open_store(page))  # e-ID needed again
    page.get_by_role("link", name=SIGN_IN).click()
    page.locator(f"button[name=persona][value='{GUARDIAN}']").click()
    page.wait_for_url(f"**/{child}", timeout=20_000)
    page.locator(".timeline .entry").first.wait_for(timeout=20_000)


def test_back_from_the_background_past_the_idle_time_locks_with_its_reason(
    device: BrowserContext, own_server: Server
) -> None:
    page = device.new_page()
    page.clock.install(time=time.time())
    add_authenticator(page)
    sign_in_at(page, on_localhost(own_server), GUARDIAN)
    set_up_passkey(page)
    child = child_hrefs(page)[0]
    go(page, child)
    # The phone sleeps 31 minutes: the page's clock stands still (no interval check can run) …
    page.clock.pause_at(time.time() + 1)
    page.clock.set_system_time(time.time() + 31 * 60)
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")  # … it wakes up
    deadline = time.monotonic() + 20
    while not page.locator("[data-action=local-unlock]").count() and time.monotonic() < deadline:
        time.sleep(0.1)  # real time: only the wake-up check can have locked
    assert page.locator("[data-action=local-unlock]").count() == 1
    page.clock.resume()
    settled(page)
    reason = page.locator("[data-reason]")
    assert reason.get_attribute("data-reason") == "idle"
    assert reason.inner_text() == "Appen låste sig själv efter 30 minuter utan aktivitet."
    assert page.url.endswith(child) and names_in_dom(page) == []
    screenshot(page, "lock-idle-child")
    page.get_by_role("button", name="Lås upp").click()
    page.locator(".timeline .entry").first.wait_for(timeout=20_000)
    assert page.url.endswith(child)
