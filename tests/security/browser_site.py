"""The real `site-builder serve --dev-idp` for a site built by tests/security, and the browser
steps the security tests share: sign in as a persona, wait for a view, watch for anything that
runs (dialogs, page errors, CSP violations, requests leaving the origin)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page

from tests.browser.app_harness import settled
from tests.security.built import BuiltSite
from tests.serve_cli import site_builder_serve

ALTERED_TITLE = "Den här kopian har ändrats"
# Reports every CSP violation of every document of the context to Python, as it happens.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__fpReport(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


@contextlib.contextmanager
def serving(site: BuiltSite) -> Iterator[str]:
    """`site-builder serve --dev-idp <the site's export>` on 127.0.0.1:<free port>."""
    with site_builder_serve(out=site.out, state_dir=site.state_dir, export=site.export) as (
        base_url,
        _,
    ):
        yield base_url


@dataclass
class Watch:
    """What ran, or tried to, in a browser context."""

    base_url: str
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)  # informational

    def everything(self) -> dict[str, list[str]]:
        return {
            "dialogs": self.dialogs,
            "page errors": self.page_errors,
            "console errors": self.console_errors,
            "CSP violations": self.csp_violations,
            "requests off the origin": self.foreign_requests,
        }


def _counts(message: object) -> bool:
    # A failed load is logged by Chromium as a console error; those are HTTP answers (seen as
    # `failed_responses`), not script errors.
    text = str(getattr(message, "text", ""))
    return getattr(message, "type", "") == "error" and not text.startswith("Failed to load")


def watch(context: BrowserContext, base_url: str) -> Watch:
    seen = Watch(base_url=base_url)
    context.expose_function("__fpReport", lambda text: seen.csp_violations.append(str(text)))
    context.add_init_script(CSP_LISTENER)

    def on_page(page: Page) -> None:
        def dialog(d: object) -> None:
            seen.dialogs.append(getattr(d, "message", "?"))
            d.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", dialog)
        page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
        page.on("console", lambda m: seen.console_errors.append(m.text) if _counts(m) else None)

    context.on("page", on_page)

    def on_request(request: object) -> None:
        url = str(getattr(request, "url", ""))
        if not url.startswith((base_url, "blob:", "data:")):
            seen.foreign_requests.append(url)

    context.on("request", on_request)
    context.on(
        "response",
        lambda r: seen.failed_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return seen


def sign_in(page: Page, base_url: str, persona: str) -> None:
    """Through the app's start page and the dev provider, as the register person `persona`."""
    page.goto(base_url + "/")
    settled(page)
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    page.locator(f"button[name=persona][value='{persona}']").click()
    page.wait_for_url("**/#/", timeout=20_000)
    settled(page)


def child_routes(page: Page) -> list[str]:
    """Every tab of every child on the family page, as hash routes."""
    links = page.locator(".card .quick a").evaluate_all("(as) => as.map((a) => a.hash)")
    return [str(link) for link in links]
