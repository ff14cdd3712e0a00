"""Shared fixtures: a Playwright Chromium from Debian's binary and loopback servers.

Browser tests never download a browser: they launch /usr/bin/chromium (or $CHROMIUM), and fail
loudly, never skip, when it is missing (`make test` installs it).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import settings
from playwright.sync_api import Browser, Playwright, sync_playwright

# Under `make mutation` (mutmut sets MUTANT_UNDER_TEST) every mutant must meet the same examples,
# or a verdict would depend on luck: the property tests draw the same inputs each run, and no
# example database carries failures from one mutant to the next.
if os.environ.get("MUTANT_UNDER_TEST") is not None:
    settings.register_profile("mutation", derandomize=True, database=None)
    settings.load_profile("mutation")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        pytest.fail("Debian's chromium is missing: run `make test` (it apt-get installs it)")
    return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True
    )
    # The app picks its language from navigator.languages on a first visit (i18n.js), and
    # Chromium's own default is en-US: every context is a Swedish browser unless a test says
    # otherwise (locale="ar-SE"), as most readers' are.
    new_context, new_page = browser.new_context, browser.new_page
    browser.new_context = lambda **kw: new_context(**{"locale": "sv-SE", **kw})  # type: ignore[method-assign]
    browser.new_page = lambda **kw: new_page(**{"locale": "sv-SE", **kw})  # type: ignore[method-assign]
    yield browser
    browser.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def static_server() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1 (ephemeral port); returns its base URL. Stops itself."""
    servers: list[ThreadingHTTPServer] = []

    def start(root: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
