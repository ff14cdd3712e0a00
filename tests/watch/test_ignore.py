"""Editor temp, swap, lock and backup files and hidden folders never trigger a rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.watch.ignore import is_ignored

ROOT = Path("/export")


@pytest.mark.parametrize(
    "relative",
    [
        "children/p-barn-01/.#iup.md",  # emacs lock
        "children/p-barn-01/iup.md~",  # emacs/gedit backup
        "children/p-barn-01/.iup.md.swp",  # vim swap
        "children/p-barn-01/.iup.md.swx",
        "children/p-barn-01/4913",  # vim's write probe
        "children/p-barn-01/.~lock.iup.md#",  # LibreOffice
        "children/p-barn-01/iup.md.tmp",
        "children/p-barn-01/bild.png.part",
        ".DS_Store",
        ".git/index",
        "children/.cache/x.md",
    ],
)
def test_editor_files_are_ignored(relative: str) -> None:
    assert is_ignored(ROOT / relative, root=ROOT)


@pytest.mark.parametrize(
    "relative",
    ["register.json", "export.toml", "children/p-barn-01/larlogg/2026-09-04-01.md", "a/4913.md"],
)
def test_export_files_count(relative: str) -> None:
    assert not is_ignored(ROOT / relative, root=ROOT)


def test_the_preview_output_and_paths_outside_are_ignored() -> None:
    out = ROOT / "build" / "preview"
    assert is_ignored(out / ".site-1" / "latest.json", root=ROOT, excluded=(out,))
    assert is_ignored(Path("/elsewhere/register.json"), root=ROOT)
