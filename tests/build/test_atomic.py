"""Crash safety and locking: a killed build leaves what readers can reach byte-identical (a new
tree is swapped in whole), or, for a patched correction, each reader's keyring whole, old or new,
naming only blobs that exist; the next build finishes the job. Builds never interleave."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.pipeline.publish.lock import BuildLocked, build_lock, lock_path_for
from tests.build.conftest import Workspace

REPO = Path(__file__).resolve().parents[2]
Files = Callable[[Path], dict[str, bytes]]


def _start_slow_build(
    workspace: Workspace, text: str, *, mode: str = "tree"
) -> subprocess.Popen[bytes]:
    root = workspace.state_dir.parent
    with (root / "slow-build.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.build.slow_build", str(root), text, mode],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"build ended before the kill point (exit {process.returncode})")
        if time.monotonic() > deadline:
            pytest.fail("kill point never reached")
        time.sleep(0.01)


def _staging(workspace: Workspace) -> list[Path]:
    return list(workspace.out.parent.glob(".site-tmp-[0-9]*"))


def _has_new_keyrings(workspace: Workspace) -> bool:
    return any(any(s.glob("s/*/k/*.bin")) for s in _staging(workspace))


KILL_POINTS: dict[str, Callable[[Workspace], bool]] = {
    "staging dir created": lambda ws: bool(_staging(ws)),
    "blobs being written": lambda ws: any(any(s.glob("b/*/*.bin")) for s in _staging(ws)),
    "keyrings being written": _has_new_keyrings,
    "just before the swap": lambda ws: (ws.state_dir.parent / "about-to-swap").exists(),
}


def _marker(name: str) -> Callable[[Workspace], bool]:
    return lambda ws: (ws.state_dir.parent / name).exists()


PATCH_KILL_POINTS: dict[str, Callable[[Workspace], bool]] = {
    "staging dir created": lambda ws: bool(_staging(ws)),
    "just before the first keyring rename": _marker("about-to-swap"),
    "between two keyring renames": _marker("one-keyring-renamed"),
}
KILLS = [("tree", p) for p in KILL_POINTS] + [("patch", p) for p in PATCH_KILL_POINTS]


def _reachable(workspace: Workspace, site_files: Files) -> dict[str, bytes]:
    """latest.json, config.json and every keyring through `s/<seq>/k`, and each blob they name."""
    site = workspace.out
    files = {name: (site / name).read_bytes() for name in ("latest.json", "config.json")}
    seq = workspace.latest()["seq"]
    for ring in sorted((site / "s" / str(seq) / "k").iterdir()):
        files[f"s/{seq}/k/{ring.name}"] = ring.read_bytes()
    for who in ("anna", "berit"):
        for entry in workspace.keyring(who)["blobs"]:
            files[entry["path"]] = (site / entry["path"]).read_bytes()
    return files


@pytest.mark.parametrize(("mode", "point"), KILLS)
def test_kill_9_mid_build_leaves_what_readers_reach_intact(
    workspace: Workspace, site_files: Files, mode: str, point: str
) -> None:
    first = workspace.build()
    before, reachable = site_files(workspace.out), _reachable(workspace, site_files)
    live_dir = workspace.out.resolve()
    process = _start_slow_build(workspace, "Texten efter kraschen.", mode=mode)
    points = KILL_POINTS if mode == "tree" else PATCH_KILL_POINTS
    try:
        _wait_for(lambda: points[point](workspace), process)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert workspace.out.resolve() == live_dir
    after_kill = site_files(workspace.out)
    if mode == "tree" or point != "between two keyring renames":
        assert _reachable(workspace, site_files) == reachable
    if mode == "tree":
        assert after_kill == before
    else:  # blobs were only added; a keyring is the old file or a whole new one
        renamed = _keyrings_renamed(workspace, before, after_kill)
        assert len(renamed) == (1 if point == "between two keyring renames" else 0)
        assert {k: after_kill.get(k) for k in before if k not in renamed} == {
            k: v for k, v in before.items() if k not in renamed
        }
    workspace.scratch.posts["children/c-asa/larlogg/02.md"] = "Texten efter kraschen."
    after = workspace.build()
    # A tree build killed after saving its state publishes anew; otherwise the edit is patched in.
    assert after.published and (after.seq > first.seq or after.patched)
    bundle = workspace.open_entry(workspace.keyring("anna")["blobs"][0])
    assert any("efter kraschen" in post["html"] for post in bundle["larlogg"])
    for entry in workspace.keyring("berit")["blobs"]:
        workspace.open_entry(entry)
    assert not _staging(workspace)  # the crashed build's leftovers are cleaned up
    assert sorted(p.name for p in (workspace.out / f"s/{after.seq}").iterdir()) == ["k"]
    if after.patched:
        assert workspace.keyring("anna")["rev"] == workspace.keyring("arne")["rev"] == 1


def _keyrings_renamed(
    workspace: Workspace, before: dict[str, bytes], after: dict[str, bytes]
) -> list[str]:
    """The keyrings a killed patch replaced; each opens, at rev 1, and names only live blobs."""
    renamed = [k for k in before if "/k/" in k and after.get(k) != before[k]]
    by_path = {
        f"s/{workspace.latest()['seq']}/k/{workspace.rid(who)}.bin": who
        for who in ("anna", "arne", "berit", "dora")
    }
    for path in renamed:
        ring = workspace.keyring(by_path[path])
        assert ring["rev"] == 1
        for entry in ring["blobs"]:
            workspace.open_entry(entry)
    return renamed


def test_second_build_refuses_with_no_wait(workspace: Workspace, site_files: Files) -> None:
    workspace.build()
    before = site_files(workspace.out)
    with build_lock(lock_path_for(workspace.out.absolute()), wait=False):
        workspace.scratch.posts["children/c-asa/larlogg/02.md"] = "Ny text."
        with pytest.raises(BuildLocked, match="another build is running"):
            workspace.build(wait=False)
    assert site_files(workspace.out) == before


def test_concurrent_builds_do_not_interleave(workspace: Workspace) -> None:
    workspace.build()
    process = _start_slow_build(workspace, "Från den långsamma.", mode="tree")
    try:
        _wait_for(lambda: bool(_staging(workspace)), process)
        workspace.scratch.posts["children/c-asa/larlogg/02.md"] = "Från den snabba."
        second = workspace.build()  # waits for the lock, then builds on the slow one's result
        assert process.wait(timeout=120) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert second.published and second.patched and workspace.latest()["seq"] == 2
    bundle = workspace.open_entry(workspace.keyring("anna")["blobs"][0])
    assert any("Från den snabba." in post["html"] for post in bundle["larlogg"])
    for entry in workspace.keyring("berit")["blobs"]:
        workspace.open_entry(entry)  # every published blob opens
