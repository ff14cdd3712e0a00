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

# mutmut's own phases; any other value of MUTANT_UNDER_TEST names the mutant being tested.
_MUTMUT_PHASES = {"", "stats", "fail", "list_all_tests", "mutant_generation"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make mutation`, run a mutant's tests fastest first: mutmut hands them over in no
    particular order and stops at the first failure (`-x`), so a mutant a 0.1 s test kills no
    longer waits for a 10 s one first. Same tests, same verdicts; only the order changes. The
    durations are the ones mutmut recorded in its stats run (mutants/mutmut-stats.json)."""
    if os.environ.get("MUTANT_UNDER_TEST") in _MUTMUT_PHASES | {None}:
        return
    _keep_the_mutants_own_area(items, config, str(os.environ["MUTANT_UNDER_TEST"]))
    durations = _recorded_durations()
    if not durations:
        return
    # Whole test files stay together (a module-scoped fixture is built once), cheapest first.
    per_file: dict[str, float] = {}
    for item in items:
        file = item.nodeid.split("::", 1)[0]
        per_file[file] = per_file.get(file, 0.0) + durations.get(item.nodeid, 0.0)
    items.sort(
        key=lambda item: (
            per_file[item.nodeid.split("::", 1)[0]],
            item.nodeid.split("::", 1)[0],
            durations.get(item.nodeid, 0.0),
        )
    )


# Which tests judge a mutant, by the mutated module's area: the tests written about that area,
# not every test that merely passes through it (every key-service test seals a site, so reaches
# fp1's seal(); a survivor in blob.py would otherwise wait for ~200 server tests). mutmut still
# picks, among these, only the tests that reach the mutated function. A survivor is re-run with
# every reaching test (FP_MUTATION_ALL_TESTS=1, tools/mutation_report.py says how) before it
# counts, so the narrower selection cannot turn a killed mutant into a listed survivor.
_AREAS = {
    "site_builder.fp1.": ("tests/test_fp1", "tests/security/", "tests/build/"),
    "site_builder.keyservice.": (
        "tests/keyservice/",
        "tests/security/test_keyservice",
        "tests/notify/",
        "tests/build/test_inbox.py",
    ),
    "site_builder.pipeline.": ("tests/build/", "tests/security/", "tests/export/"),
    "site_builder.export.": ("tests/export/", "tests/build/", "tests/security/"),
}


def _keep_the_mutants_own_area(
    items: list[pytest.Item], config: pytest.Config, mutant: str
) -> None:
    if os.environ.get("FP_MUTATION_ALL_TESTS"):
        return
    area = next((tests for module, tests in _AREAS.items() if mutant.startswith(module)), None)
    if area is None:
        return
    kept = [item for item in items if item.nodeid.startswith(area)]
    dropped = [item for item in items if not item.nodeid.startswith(area)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@functools.cache
def _recorded_durations() -> dict[str, float]:
    stats = Path("mutmut-stats.json")  # mutmut runs the tests inside mutants/
    if not stats.exists():
        return {}
    import json

    try:  # another `mutmut run` may be rewriting it: then keep mutmut's order
        recorded = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
    except (OSError, ValueError):
        return {}
    return {str(name): float(seconds) for name, seconds in recorded.items()}


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
