"""Stage 5, write snapshot: assemble the new site beside the live one, then swap atomically.

    build/site          a symlink to the live snapshot directory
    build/.site-<seq>   the snapshot directories (the live one and the one before it)
    build/.site-tmp-…   the one being assembled (removed at the next build if a build crashed)

The swap replaces the symlink with os.replace (rename(2) is atomic), so a reader — or a crash,
`kill -9` or Ctrl-C at any moment — sees either the complete old site or the complete new one.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

TMP_PREFIX = ".site-tmp-"
DIR_PREFIX = ".site-"


class LayoutError(ValueError):
    """The output path is something site-builder did not make."""


@dataclass(frozen=True, slots=True)
class SiteLayout:
    out: Path  # the symlink the host serves, e.g. build/site

    @property
    def parent(self) -> Path:
        return self.out.parent

    def live(self) -> Path | None:
        """The directory the output link points at now, if any."""
        if self.out.is_symlink():
            target = self.out.resolve()
            return target if target.is_dir() else None
        if self.out.exists():
            raise LayoutError(
                f"{self.out} exists and is not a link made by site-builder; "
                "move it away (site-builder publishes through a symlink to swap atomically)"
            )
        return None

    def staging(self, seq: int) -> Path:
        path = self.parent / f"{TMP_PREFIX}{seq}-{os.getpid()}"
        path.mkdir(parents=True)
        return path

    def remove_leftovers(self, *, keep: set[Path]) -> None:
        """Delete crashed builds' staging dirs and snapshot dirs no longer served."""
        if not self.parent.is_dir():
            return
        kept = {p.resolve() for p in keep}
        for entry in self.parent.iterdir():
            if not entry.name.startswith(DIR_PREFIX) or entry.is_symlink() or not entry.is_dir():
                continue
            if entry.resolve() not in kept:
                shutil.rmtree(entry, ignore_errors=True)

    def publish(self, staging: Path, *, seq: int) -> Path:
        """Make `staging` the live site in one atomic step; returns its final directory."""
        final = self.parent / f"{DIR_PREFIX}{seq}"
        if final.exists():
            shutil.rmtree(final)  # a crashed build's half-published dir, never the live one
        os.sync()  # the new site's bytes reach the disk before the link points at them
        os.rename(staging, final)
        link = self.parent / f"{TMP_PREFIX}link-{os.getpid()}"
        link.unlink(missing_ok=True)
        os.symlink(final.name, link)
        os.replace(link, self.out)
        _fsync_dir(self.parent)
        return final


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
