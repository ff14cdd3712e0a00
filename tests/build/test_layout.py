"""Two outputs in one folder keep their own snapshot dirs: a build never removes the other's."""

from __future__ import annotations

from dataclasses import replace

from site_builder.pipeline.publish.snapshot import SiteLayout
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
