"""SiteLayout.publish swaps the live link in one atomic step: a reader looking at `build/site`
the whole time, from another process, never finds it missing (nor pointing at nothing)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from site_builder.pipeline.snapshot import SiteLayout

REPO = Path(__file__).resolve().parents[2]
PUBLISHES = 150


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
            final = layout.publish(staging, seq=seq)
            assert (layout.out / "index.html").read_text() == str(seq)
            # As a build does: the live snapshot and the one before it stay, older ones go.
            layout.remove_leftovers(keep={final, previous})
            previous = final
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=30)
    looks, missing = (int(n) for n in out.split())
    assert looks > PUBLISHES  # it was looking throughout
    assert missing == 0, f"build/site was missing {missing} times in {looks} looks"
    assert layout.out.is_symlink() and sorted(s for s, _ in layout.snapshots()) == [
        PUBLISHES - 1,
        PUBLISHES,
    ]
