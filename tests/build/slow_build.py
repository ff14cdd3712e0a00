"""Run one build of a test workspace in a subprocess, slowed down so tests can kill it mid-write.

    python -m tests.build.slow_build <workspace dir> <new text for Åsa's post 02> tree|patch

Every blob/keyring write sleeps a little and a marker file appears just before the swap of the
whole tree; a patched edit waits before each keyring it renames into the live tree, with markers
before the first and after the first. The production code is untouched (the slowing is a wrapper
installed here).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from site_builder.pipeline.incremental import work
from site_builder.pipeline.publish import patch, retained, snapshot, write
from site_builder.pipeline.seal import blobs as seal
from tests.build.conftest import workspace_at


def _slowly(function: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.05)
        return function(*args, **kwargs)

    return wrapper


class _SlowKeyringRenames:
    """`os` for patch.py, except that renaming a keyring into the live tree waits behind
    markers: `about-to-swap` before the first, `one-keyring-renamed` after it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def replace(self, source: Any, target: Any) -> None:
        if Path(target).parent.name != "k":
            os.replace(source, target)
            return
        first = not (self.root / "about-to-swap").exists()
        if first:
            (self.root / "about-to-swap").touch()
        time.sleep(1.0)
        os.replace(source, target)
        if first:
            (self.root / "one-keyring-renamed").touch()


def main() -> None:
    root, text, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    slow_write = _slowly(seal.write_new_file)
    patch.os = _SlowKeyringRenames(root)  # type: ignore[assignment]
    for module in (seal, work, write, retained, patch):
        if hasattr(module, "write_new_file"):
            module.write_new_file = slow_write  # type: ignore[attr-defined]
    original_publish = snapshot.SiteLayout.publish

    def publish(self: snapshot.SiteLayout, staging: Path, *, seq: int) -> Path:
        (root / "about-to-swap").touch()
        time.sleep(1.0)
        return original_publish(self, staging, seq=seq)

    snapshot.SiteLayout.publish = publish  # type: ignore[method-assign]
    ws = workspace_at(root, new=False)
    ws.scratch.posts["children/c-asa/larlogg/02.md"] = text
    ws.build(patch=mode == "patch")
    print("done", flush=True)


if __name__ == "__main__":
    main()
