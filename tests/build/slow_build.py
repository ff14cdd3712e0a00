"""Run one build of a test workspace in a subprocess, slowed down so tests can kill it mid-write.

    python -m tests.build.slow_build <workspace dir> <new text for Åsa's post 02>

Every blob/keyring write sleeps a little and a marker file appears just before the swap; the
production code is untouched (the slowing is a wrapper installed here).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from site_builder.pipeline import retained, seal, snapshot, work, write
from tests.build.conftest import workspace_at


def _slowly(function: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.05)
        return function(*args, **kwargs)

    return wrapper


def main() -> None:
    root, text = Path(sys.argv[1]), sys.argv[2]
    slow_write = _slowly(seal.write_new_file)
    for module in (seal, work, write, retained):
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
    ws.build()
    print("done", flush=True)


if __name__ == "__main__":
    main()
