"""content/example built with a key FILE (no SITE_BUILDER_MASTER_KEY) and served on one fixed
origin across restarts: for the operations tests (rotation, restore) with a signed-in browser."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from tests.browser.app_harness import EXAMPLE, Server
from tests.browser.conftest import run_cli
from tests.serve_cli import free_port, site_builder_serve

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

    def set_toml(self, old: str, new: str) -> None:
        toml = self.export / "export.toml"
        text = toml.read_text("utf-8")
        assert old in text
        toml.write_text(text.replace(old, new), "utf-8")

    def rotate(self) -> None:
        run_cli("keys", "rotate", "--state-dir", str(self.state), env=ENV)

    @contextlib.contextmanager
    def serving(self) -> Iterator[Server]:
        with site_builder_serve(
            out=self.out, state_dir=self.state, export=EXAMPLE, env=ENV, port=self.port
        ) as (base_url, process):
            yield Server(base_url=base_url, process=process)
