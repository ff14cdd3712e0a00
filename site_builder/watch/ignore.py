"""Which paths the preview ignores: editor temp, swap, lock and backup files; hidden ones."""

from __future__ import annotations

import fnmatch
from pathlib import Path, PurePath

# vim: .swp/.swx and its `4913` write probe; emacs: `.#lock` and `file~`; LibreOffice: `.~lock`;
# browsers and downloaders: `.part`, `.crdownload`; macOS: .DS_Store; many tools: `.tmp`.
IGNORED_NAMES = (
    ".#*",
    "#*#",
    "*~",
    "*.swp",
    "*.swx",
    "*.swo",
    "4913",
    ".~lock*",
    "*.tmp",
    "*.part",
    "*.crdownload",
    ".DS_Store",
    "Thumbs.db",
)


def is_ignored(path: PurePath, *, root: Path, excluded: tuple[Path, ...] = ()) -> bool:
    """True for a path the preview must not rebuild for (or anything outside `root`)."""
    if any(path == ex or path.is_relative_to(ex) for ex in excluded):
        return True
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return True
    if not parts:
        return False
    if any(part.startswith(".") for part in parts):  # hidden files and folders (.git, .cache)
        return True
    name = parts[-1]
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in IGNORED_NAMES)
