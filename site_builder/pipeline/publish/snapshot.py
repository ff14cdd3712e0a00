"""Publish a new snapshot tree: assemble the new site beside the live one, then swap atomically.

    build/site          a symlink to the live snapshot directory
    build/.site-<seq>   the snapshot directories (the live one and the one before it)
    build/.site-tmp-…   the one being assembled (removed at the next build if a build crashed)

The names follow the link's name (`.<name>-<seq>`), and a build removes only leftovers of its
own name, so two outputs in one folder (build/site and build/preview) leave each other alone.

The swap replaces the symlink with os.replace (rename(2) is atomic), so a reader — or a crash,
`kill -9` or Ctrl-C at any moment — sees either the complete old site or the complete new one.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path


class LayoutError(ValueError):
    """The output path is something site-builder did not make."""


@dataclass(frozen=True, slots=True)
class SiteLayout:
    out: Path  # the symlink the host serves, e.g. build/site

    @property
    def parent(self) -> Path:
        return self.out.parent

    @property
    def _prefix(self) -> str:
        return f".{self.out.name}-"

    def snapshot_seq(self, path: Path) -> int | None:
        """The seq of one of this output's snapshot dirs, else None."""
        match = re.fullmatch(re.escape(self._prefix) + r"(\d+)", path.name)
        return int(match.group(1)) if match else None

    def _ours(self, name: str) -> bool:
        """A snapshot, staging or link-in-progress entry of this output (and no other)."""
        pattern = re.escape(self._prefix) + r"(\d+|tmp-\d+-\d+|tmp-link-\d+)"
        return re.fullmatch(pattern, name) is not None

    def snapshots(self) -> list[tuple[int, Path]]:
        """(seq, dir) of this output's snapshot directories."""
        if not self.parent.is_dir():
            return []
        found = []
        for entry in self.parent.iterdir():
            seq = self.snapshot_seq(entry)
            if seq is not None and entry.is_dir() and not entry.is_symlink():
                found.append((seq, entry))
        return found

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

    def previous(self, live: Path | None) -> Path | None:
        """The snapshot directory before the live one: kept one build longer for slow readers."""
        live_seq = self.snapshot_seq(live) if live is not None else None
        if live_seq is None:
            return None
        return max((e for e in self.snapshots() if e[0] < live_seq), default=(0, None))[1]

    def staging(self, seq: int) -> Path:
        path = self.parent / f"{self._prefix}tmp-{seq}-{os.getpid()}"
        path.mkdir(parents=True)
        return path

    def remove_leftovers(self, *, keep: set[Path]) -> None:
        """Delete this output's crashed staging dirs and snapshot dirs no longer served."""
        if not self.parent.is_dir():
            return
        kept = {p.resolve() for p in keep}
        for entry in self.parent.iterdir():
            if not self._ours(entry.name) or entry.is_symlink() or not entry.is_dir():
                continue
            if entry.resolve() not in kept:
                shutil.rmtree(entry, ignore_errors=True)

    def publish(self, staging: Path, *, seq: int) -> Path:
        """Make `staging` the live site in one atomic step; returns its final directory."""
        final = self.parent / f"{self._prefix}{seq}"
        if final.exists():
            shutil.rmtree(final)  # a crashed build's half-published dir, never the live one
        os.sync()  # the new site's bytes reach the disk before the link points at them
        os.rename(staging, final)
        link = self.parent / f"{self._prefix}tmp-link-{os.getpid()}"
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
