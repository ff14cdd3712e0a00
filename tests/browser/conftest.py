"""Fixtures for the family app end to end: the real `site-builder build` of content/example (once
per session, fresh master key via SITE_BUILDER_MASTER_KEY) and the real `site-builder serve
--dev-idp content/example` as a subprocess on 127.0.0.1:<free port>, stopped at teardown."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from site_builder.fp1 import MasterKey
from tests.browser.app_harness import DESKTOP, EXAMPLE, PHONE, ROOT, ExampleSite, Server
from tests.serve_cli import SITE_BUILDER, site_builder_serve


def run_cli(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [SITE_BUILDER, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"site-builder {args[0]}: {done.stderr}"


@contextlib.contextmanager
def serving(site: ExampleSite, *, out: Path | None = None) -> Iterator[Server]:
    """`site-builder serve --dev-idp content/example` for `out` (default: the example build)."""
    with site_builder_serve(
        out=out or site.out, state_dir=site.state, export=EXAMPLE, env=site.env
    ) as (base_url, process):
        yield Server(base_url=base_url, process=process)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> ExampleSite:
    """`site-builder build content/example` once per session, under a fresh master key."""
    root = tmp_path_factory.mktemp("app")
    master = MasterKey.generate()
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": master.to_b64u()}
    state = root / "state"
    run_cli("build", str(EXAMPLE), "--out", str(root / "site"), "--state-dir", str(state), env=env)
    return ExampleSite(out=root / "site", state=state, master=master, env=env)


@pytest.fixture(scope="session")
def app_server(example_site: ExampleSite) -> Iterator[Server]:
    """One server shared by every test that does not stop it."""
    with serving(example_site) as server:
        yield server


@pytest.fixture
def own_server(example_site: ExampleSite) -> Iterator[Server]:
    """A server of its own, for a test that stops it (offline) — a new origin, a clean slate."""
    with serving(example_site) as server:
        yield server


@pytest.fixture
def altered_site(
    example_site: ExampleSite, tmp_path: Path
) -> Callable[[Callable[[Path], None]], contextlib.AbstractContextManager[Server]]:
    """A copy of the example build, changed by `alter(site_dir)`, served on its own port."""

    @contextlib.contextmanager
    def serve_altered(alter: Callable[[Path], None]) -> Iterator[Server]:
        copy = tmp_path / "altered-site"
        shutil.copytree(example_site.live, copy)
        alter(copy)
        with serving(example_site, out=copy) as server:
            yield server

    return serve_altered


@pytest.fixture
def fp1_page(browser: Browser, static_server: Callable[[Path], str]) -> Iterator[Page]:
    """A blank page on a static server of the app shell, where `import("/app/fp1.js")` works."""
    page = browser.new_page()
    page.goto(static_server(ROOT / "themes" / "default" / "shell") + "/manifest.webmanifest")
    yield page
    page.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    yield context
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    """A context at the 390×844 phone viewport and at desktop size."""
    phone_size = request.param == "phone"
    context = browser.new_context(
        viewport=PHONE if phone_size else DESKTOP, is_mobile=phone_size, device_scale_factor=1
    )
    yield context
    context.close()
