"""The real `site-builder serve --dev-idp` for a site built by tests/security, and the browser
steps the security tests share: sign in as a persona, wait for a view, watch for anything that
runs (dialogs, page errors, CSP violations, requests leaving the origin)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from tests.security.built import BuiltSite

SITE_BUILDER = str(Path(sys.executable).with_name("site-builder"))
ROOT = Path(__file__).resolve().parents[2]
ALTERED_TITLE = "Den här kopian har ändrats"
# Reports every CSP violation of every document of the context to Python, as it happens.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__fpReport(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"site-builder serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/latest.json", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError("site-builder serve did not answer within 20 s")


@contextlib.contextmanager
def serving(site: BuiltSite) -> Iterator[str]:
    """`site-builder serve --dev-idp <the site's export>` on 127.0.0.1:<free port>."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    args = ["serve", "--out", str(site.out), "--state-dir", str(site.state_dir)]
    args += ["--dev-idp", str(site.export), "--port", str(port)]
    process = subprocess.Popen(
        [SITE_BUILDER, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_until_up(base_url, process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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


def settled(page: Page) -> None:
    """Wait until the router has put a finished view in <main>."""
    page.wait_for_function(
        "() => !document.querySelector('main').hasAttribute('aria-busy')"
        " && document.querySelector('#top').children.length > 0",
        timeout=20_000,
    )


def sign_in(page: Page, base_url: str, persona: str) -> None:
    """Through the app's start page and the dev provider, as the register person `persona`."""
    page.goto(base_url + "/")
    settled(page)
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    page.locator(f"button[name=persona][value='{persona}']").click()
    page.wait_for_url("**/#/", timeout=20_000)
    settled(page)


def go(page: Page, hash_route: str) -> None:
    page.evaluate("(h) => { location.hash = h; }", hash_route)
    page.wait_for_function("(h) => location.hash === h", arg=hash_route)
    settled(page)


def child_routes(page: Page) -> list[str]:
    """Every tab of every child on the family page, as hash routes."""
    links = page.locator(".card .quick a").evaluate_all("(as) => as.map((a) => a.hash)")
    return [str(link) for link in links]
