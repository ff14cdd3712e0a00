"""SiteLayout.publish swaps the live link in one atomic step: `build/site` is never missing nor
pointing at nothing, checked between every file-system step publish takes (deterministic), and
by a reader process looking the whole time (what a web server sees)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from site_builder.pipeline.publish.snapshot import SiteLayout

REPO = Path(__file__).resolve().parents[2]
PUBLISHES = 100


def test_a_reader_never_sees_the_site_missing_while_publish_swaps(tmp_path: Path) -> None:
    layout = SiteLayout(out=tmp_path / "site")
    first = layout.staging(0)
    (first / "index.html").write_text("0")
    previous = layout.publish(first, seq=0)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.build.link_reader", str(layout.out), str(stop)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "ready\n"
        for seq in range(1, PUBLISHES + 1):
            staging = layout.staging(seq)
            (staging / "index.html").write_text(str(seq))
            previous = layout.publish(staging, seq=seq)
            assert (layout.out / "index.html").read_text() == str(seq)
        # Old snapshots stay until the reader has stopped: a reader that resolved the link to a
        # snapshot two publishes old may still be inside it (a build keeps only one previous).
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=30)
    looks, missing = (int(n) for n in out.split())
    assert looks > PUBLISHES  # it was looking throughout
    assert missing == 0, f"build/site was missing {missing} times in {looks} looks"
    layout.remove_leftovers(keep={previous})
    assert layout.out.is_symlink() and [s for s, _ in layout.snapshots()] == [PUBLISHES]


# Audit events raised by the calls that change the file system (PEP 578); the hook runs just
# before each, so it sees the state every earlier step left.
_STEPS = {"os.rename", "os.remove", "os.symlink", "os.rmdir", "os.mkdir", "shutil.rmtree"}
_watching: dict[str, Any] = {}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    index = _watching.get("index")
    if index is not None and event in _STEPS:
        _watching["steps"].append((event, os.path.exists(index)))


sys.addaudithook(_audit)  # cannot be removed; inert unless a test sets _watching["index"]


def test_every_step_of_publish_leaves_the_site_in_place(tmp_path: Path) -> None:
    layout = SiteLayout(out=tmp_path / "site")
    first = layout.staging(0)
    (first / "index.html").write_text("0")
    layout.publish(first, seq=0)
    steps: list[tuple[str, bool]] = []
    _watching.update(index=str(layout.out / "index.html"), steps=steps)
    try:
        for seq in (1, 2, 3):
            staging = layout.staging(seq)
            (staging / "index.html").write_text(str(seq))
            layout.publish(staging, seq=seq)
            steps.append(("returned", os.path.exists(layout.out / "index.html")))
    finally:
        _watching.clear()
    assert {event for event, _ in steps} >= {"os.rename", "os.symlink", "returned"}
    assert [step for step in steps if not step[1]] == []
    assert (layout.out / "index.html").read_text() == "3"
