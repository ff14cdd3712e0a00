"""Two outputs in one folder keep their own snapshot dirs: a build never removes the other's."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from site_builder.pipeline.publish.snapshot import LayoutError, SiteLayout
from tests.build.conftest import Workspace


def test_second_output_beside_the_first_leaves_it_alone(workspace: Workspace) -> None:
    workspace.build()
    first_live = workspace.out.resolve()
    other = replace(workspace, out=workspace.out.parent / "preview")
    other.build()
    other.scratch.posts["children/c-asa/larlogg/02.md"] = "En ändring."
    other.build()  # a new snapshot of preview: removes preview's leftovers only
    assert workspace.out.resolve() == first_live and (first_live / "latest.json").is_file()
    assert other.out.resolve().name.startswith(".preview-")
    workspace.build()  # and the other way round
    assert (other.out.resolve() / "latest.json").is_file()


def test_snapshot_names_follow_the_link_name(workspace: Workspace) -> None:
    layout = SiteLayout(workspace.out.parent / "site")
    assert layout.snapshot_seq(layout.parent / ".site-12") == 12
    assert layout.snapshot_seq(layout.parent / ".site-1000-3") is None
    assert layout.snapshot_seq(layout.parent / ".site-tmp-3-77") is None
    assert SiteLayout(layout.parent / "site-1000").snapshot_seq(layout.parent / ".site-1000-3") == 3


def test_the_layout_keeps_live_and_previous_and_removes_only_its_own_leftovers(
    tmp_path: Path,
) -> None:
    """Which directories beside build/site are this output's, which snapshot is the one before
    the live one, and what a build removes: a wrong answer here could delete the live tree."""
    layout = SiteLayout(out=tmp_path / "build" / "site")
    assert layout.snapshots() == [] and layout.live() is None and layout.previous(None) is None
    staging = layout.staging(7)  # makes build/ as well
    assert staging == tmp_path / "build" / f".site-tmp-7-{os.getpid()}" and staging.is_dir()
    parent = layout.parent
    for name in (".site-2", ".site-5", ".site-6", ".site-tmp-3-99", ".preview-4", ".site-x"):
        (parent / name).mkdir()
    (parent / ".site-9").write_text("a file, not a snapshot")
    (parent / ".site-8").symlink_to(".site-2")
    (parent / ".site-tmp-link-12").mkdir()
    os.symlink(".site-6", layout.out)
    live = layout.live()
    assert live == (parent / ".site-6").resolve()
    assert sorted(seq for seq, _ in layout.snapshots()) == [2, 5, 6]
    assert layout.previous(live) == parent / ".site-5"
    assert layout.previous(parent / ".preview-4") is None
    assert layout.previous(parent / ".site-2") is None
    assert layout.snapshot_seq(parent / ".site-12x") is None

    layout.remove_leftovers(keep={live, parent / ".site-5"})
    left = sorted(p.name for p in parent.iterdir())
    assert left == [".preview-4", ".site-5", ".site-6", ".site-8", ".site-9", ".site-x", "site"]
    for name in (".site-4", ".site-tmp-4-1", ".site-tmp-link-1"):
        assert layout._ours(name)
    for name in (".site-", ".site-tmp-4", ".site-tmp-link-", ".sites-4", ".site-4 ", "x.site-4"):
        assert not layout._ours(name)


def test_a_directory_where_the_link_should_be_is_refused_with_the_fix(tmp_path: Path) -> None:
    layout = SiteLayout(out=tmp_path / "site")
    layout.out.mkdir()
    with pytest.raises(LayoutError, match="is not a link made by site-builder; move it away"):
        layout.live()
    os.rmdir(layout.out)
    os.symlink("gone", layout.out)  # a dangling link: nothing live yet
    assert layout.live() is None


def test_publish_replaces_a_half_published_dir_of_the_same_seq(tmp_path: Path) -> None:
    layout = SiteLayout(out=tmp_path / "site")
    (tmp_path / ".site-3").mkdir()
    (tmp_path / ".site-3" / "stale.html").write_text("a crashed build's")
    staging = layout.staging(3)
    (staging / "index.html").write_text("new")
    final = layout.publish(staging, seq=3)
    assert final == tmp_path / ".site-3" and sorted(os.listdir(final)) == ["index.html"]
    assert layout.live() == final.resolve()


@contextlib.contextmanager
def _undeletable(path: Path) -> Iterator[None]:
    """`path`, a file, made impossible for this process to delete, and made deletable again
    after: immutable for root (`chattr +i`, which even root cannot remove through), its folder
    read-only for anyone else."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.parent.chmod(0o500)
        try:
            yield
        finally:
            path.parent.chmod(0o700)


def test_a_leftover_it_cannot_remove_does_not_undo_the_publish(tmp_path: Path) -> None:
    """A crashed build's staging dir holding a file no one may delete (an operator's immutable
    copy, another user's file): the new snapshot stays live, every other leftover goes, and the
    stuck one is left for the operator — the build does not fail after publishing."""
    layout = SiteLayout(out=tmp_path / "site")
    for seq in (1, 2):
        staging = layout.staging(seq)
        (staging / "index.html").write_text(str(seq))
        layout.publish(staging, seq=seq)
    locked = layout.parent / ".site-tmp-3-99" / "locked"
    locked.mkdir(parents=True)
    (locked / "bundle.bin").write_bytes(b"x")
    (layout.parent / ".site-tmp-4-98").mkdir()
    with _undeletable(locked / "bundle.bin"):
        layout.remove_leftovers(keep={layout.parent / ".site-2"})
        left = sorted(p.name for p in layout.parent.iterdir())
    assert left == [".site-2", ".site-tmp-3-99", "site"]
    assert (layout.out / "index.html").read_text() == "2"
