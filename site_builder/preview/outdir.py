"""The preview's output folder: `<out>/site` (the link `serve` would use) and its snapshot dirs.

The build keeps its snapshot dirs (`.site-<seq>`) beside the output link, and removes the ones it
no longer serves; two outputs in one folder (build/site and build/preview) would delete each
other's snapshots. So the preview owns a whole folder, marked by a note on first use, and refuses
a folder that holds anything else.
"""

from __future__ import annotations

from pathlib import Path

MARKER = "PREVIEW.txt"
MARKER_TEXT = (
    "This folder is the live preview of `site-builder watch` (docs/preview.md).\n"
    "It is sealed with the preview key, not the published key: never publish it.\n"
)


class OutDirTaken(ValueError):
    """The folder holds something the preview did not make."""


def preview_site_link(out: Path) -> Path:
    """Claim `out` for the preview (creating it) and return the site link inside it."""
    marker = out / MARKER
    if out.exists() and not out.is_dir():
        raise OutDirTaken(f"{out} is a file; choose a folder for the preview (--out)")
    if out.is_dir() and any(out.iterdir()) and not marker.is_file():
        raise OutDirTaken(
            f"{out} holds files the preview did not make; choose an empty or new folder (--out)"
        )
    out.mkdir(parents=True, exist_ok=True)
    if not marker.is_file():
        marker.write_text(MARKER_TEXT, encoding="utf-8")
    return out / "site"
