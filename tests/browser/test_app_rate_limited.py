"""A browser whose network has used the key service's per-address budget gets a page in the app's
style (its stylesheet; the reader's language, Swedish and English), not raw JSON: at 375 px,
320 px and desktop, and in Arabic right to left at 320 px, axe clean, no CSP error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.app_harness import DESKTOP, Server, assert_accessible, screenshot, watch_errors

BUDGET = 120  # RateLimitConfig.per_address's default, which the dev provider's config keeps
ADDRESS = "10.77.77.77"  # one school network's NAT address, as the proxy reports it


@pytest.mark.parametrize(
    ("name", "viewport", "locale"),
    [("375", {"width": 375, "height": 740}, "sv-SE"),
     ("320", {"width": 320, "height": 640}, "sv-SE"),
     ("desktop", DESKTOP, "sv-SE"),
     ("ar-320", {"width": 320, "height": 640}, "ar-SE")],
)  # fmt: skip
def test_a_limited_sign_in_shows_a_page_in_the_app_style(
    browser: Browser, own_server: Server, name: str, viewport: dict[str, int], locale: str
) -> None:
    context = browser.new_context(
        viewport=viewport, locale=locale, extra_http_headers={"X-Forwarded-For": ADDRESS}
    )
    page = context.new_page()
    errors = watch_errors(page)
    try:
        for _ in range(BUDGET):  # everyone else behind the same address starts a sign-in
            started = page.request.get(
                own_server.base_url + "/auth/login?provider=eid", max_redirects=0
            )
            assert started.status == 302
        answer = page.goto(own_server.base_url + "/auth/login?provider=eid")
        assert answer is not None and answer.status == 429
        if locale == "ar-SE":  # Arabic first, right to left; then Swedish and English
            root = page.evaluate("() => [document.documentElement.lang, document.dir]")
            assert root == ["ar", "rtl"]
            assert page.locator("h1").inner_text() == "محاولات كثيرة جدًا الآن"
            assert page.locator("section[lang=sv][dir=ltr] h2").is_visible()
        assert page.get_by_role("heading", name="För många försök just nu").is_visible()
        assert page.get_by_role("heading", name="Too many attempts right now").is_visible()
        # The app's stylesheet applied: the bar has the app's colour, not the browser default.
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('header.bar')).backgroundColor"
        )
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
        assert page.get_by_role("link", name="Till startsidan").is_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"]  # nothing wider than the phone
        assert_accessible(page, f"rate limited {name}")
        screenshot(page, f"rate-limited-{name}")
        assert errors == []
    finally:
        context.close()
