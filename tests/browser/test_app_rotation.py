"""Key rotation with a signed-in browser (issue 18): whatever the order of `keys rotate`, the
key service's restart and the build, the family is asked for ONE new sign-in with a clear
message — never "Vi hittar ingen dokumentation för dig" — and then reads as before."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from tests.browser.app_harness import (
    CASES,
    EXAMPLE,
    Server,
    assert_accessible,
    card_names,
    screenshot,
    settled,
    sign_in,
)
from tests.browser.conftest import run_cli
from tests.serve_cli import free_port, site_builder_serve

ROTATED = "Kommunen har bytt nycklar – logga in igen."
NO_DOC = "Vi hittar ingen dokumentation för dig"
# The key lives in the state dir only: the variable would contradict `keys rotate`.
ENV = {k: v for k, v in os.environ.items() if k != "SITE_BUILDER_MASTER_KEY"}


class Deployment:
    """content/example built into `root` with a key file, served on one fixed origin."""

    def __init__(self, root: Path) -> None:
        self.export = root / "export"
        shutil.copytree(EXAMPLE, self.export)
        self.out, self.state, self.port = root / "site", root / "state", free_port()
        run_cli("keys", "init", "--state-dir", str(self.state), env=ENV)
        self.build()

    def build(self) -> None:
        args = [str(self.export), "--out", str(self.out), "--state-dir", str(self.state)]
        run_cli("build", *args, env=ENV)

    def rotate(self) -> None:
        run_cli("keys", "rotate", "--state-dir", str(self.state), env=ENV)

    @contextlib.contextmanager
    def serving(self) -> Iterator[Server]:
        with site_builder_serve(
            out=self.out, state_dir=self.state, export=EXAMPLE, env=ENV, port=self.port
        ) as (base_url, process):
            yield Server(base_url=base_url, process=process)


def _reload(page: Page) -> str:
    page.reload()
    settled(page)
    return page.locator("main").inner_text()


def test_restart_with_both_keys_then_build(phone: BrowserContext, tmp_path: Path) -> None:
    """The documented order: rotate, restart the service (new + retired key), build."""
    site = Deployment(tmp_path)
    guardian = CASES["guardian_two_children"]
    page = phone.new_page()
    with site.serving() as server:
        sign_in(page, server, guardian)
        before = card_names(page)
    site.rotate()
    with site.serving() as server:
        assert card_names(page) == before and NO_DOC not in _reload(page)
        assert card_names(page) == before  # the site is still the old generation: reads on
        site.build()  # goes live while the service runs: it follows with the new key
        text = _reload(page)
        assert ROTATED in text
        screenshot(page, "rotated-phone")
        assert_accessible(page, "rotated")
        sign_in(page, server, guardian)
        assert card_names(page) == before
        assert ROTATED not in _reload(page)


def test_build_first_then_restart(phone: BrowserContext, tmp_path: Path) -> None:
    """The other order: rotate and build while the old service runs, restart it afterwards."""
    site = Deployment(tmp_path)
    guardian = CASES["guardian_two_children"]
    page = phone.new_page()
    with site.serving() as server:
        sign_in(page, server, guardian)
        before = card_names(page)
        site.rotate()
        site.build()
        assert ROTATED in _reload(page)  # the device notices at once, even before the restart
    with site.serving() as server:  # restarted with the new key: one sign-in and it reads
        sign_in(page, server, guardian)
        assert card_names(page) == before
        text = _reload(page)
        assert ROTATED not in text and NO_DOC not in text and card_names(page) == before
