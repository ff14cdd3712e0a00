"""After "Lås" or "Glöm den här enheten" the next sign-in is a new e-ID login: the request to
the provider carries OIDC `prompt=login`, so a provider that keeps its own session cannot sign
the next person on a shared device in as the previous one (issue 18)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import BrowserContext, Page

from tests.browser.app_harness import CASES, Server, card_names, go, settled, sign_in

SIGN_IN = "Logga in med e-legitimation"


def _authorize_query(page: Page) -> dict[str, list[str]]:
    """Click the sign-in link; the query of the provider's authorization request."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/dev-idp/authorize" in r.url else None)
    page.get_by_role("link", name=SIGN_IN).click()
    page.locator("button[name=persona]").first.wait_for()
    assert seen, "the sign-in never reached the provider"
    return parse_qs(urlsplit(seen[-1]).query)


def _pick(page: Page, persona: str) -> None:
    page.locator(f"button[name=persona][value='{persona}']").click()
    page.wait_for_url("**/#/", timeout=20_000)
    settled(page)


def test_lock_then_sign_in_asks_the_provider_for_a_new_login(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    guardian = CASES["guardian_two_children"]
    sign_in(page, app_server, guardian)
    before = card_names(page)
    page.get_by_role("button", name="Lås").click()
    page.locator("[data-action=lock-anyway]").click()
    page.get_by_role("link", name=SIGN_IN).wait_for()
    settled(page)
    query = _authorize_query(page)
    assert query["prompt"] == ["login"]
    _pick(page, guardian)
    assert card_names(page) == before  # and the new sign-in reads as before


def test_forget_then_sign_in_asks_the_provider_for_a_new_login(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["guardian_two_children"])
    go(page, "#/glom")
    page.get_by_role("button", name="Ja, glöm den här enheten").click()
    page.wait_for_url("**/#/glomd", timeout=20_000)
    # The app reloads itself after forgetting: come back in a tab of its own, not racing that.
    fresh = phone.new_page()
    fresh.goto(app_server.base_url + "/")
    settled(fresh)
    assert _authorize_query(fresh)["prompt"] == ["login"]
