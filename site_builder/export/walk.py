"""Walking an export's folders with os.scandir and string paths (a cached load is mostly this).

Attachments are checked against each folder's resolved path, resolved once per folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from site_builder.export.documents import AttachmentRef, Document
from site_builder.export.files import ExportFiles
from site_builder.export.problems import Problem


class RealDirs:
    """Resolved (symlink-free) folder paths, each resolved once per child or group folder."""

    def __init__(self, folder: str) -> None:
        self.cache: dict[str, str] = {}
        self.folder = self.real(folder)

    def real(self, directory: str) -> str:
        found = self.cache.get(directory)
        if found is None:
            found = self.cache[directory] = os.path.realpath(directory)
        return found

    def resolve(self, path: str, st: os.stat_result | None) -> str:
        """os.path.realpath(path), cheaply when `path` (lstat `st`) is not itself a link."""
        if st is not None and stat.S_ISLNK(st.st_mode):
            return os.path.realpath(path)
        head, tail = os.path.split(path)
        return os.path.join(self.real(head), tail)

    def inside(self, resolved: str) -> bool:
        return resolved == self.folder or resolved.startswith(self.folder + os.sep)


def check_attachments(
    files: ExportFiles, doc: Document[Any], refs: list[AttachmentRef], *, dirs: RealDirs
) -> list[Problem]:
    found = []
    rel = doc.source.as_posix()
    base = os.path.join(str(files.root), os.path.dirname(rel))
    for i, ref in enumerate(refs):
        where = f"front matter: attachments[{i}].file"
        target = os.path.normpath(os.path.join(base, ref.file))
        try:
            lst: os.stat_result | None = os.lstat(target)
        except OSError:
            lst = None
        if ref.file.startswith(("/", "\\")) or ".." in ref.file.split("/") or ":" in ref.file:
            found.append(
                Problem(
                    rel,
                    where,
                    f"{ref.file!r} points outside the child's folder",
                    "put the file beside the Markdown and name it without ../ or /",
                )
            )
            continue
        if not dirs.inside(dirs.resolve(target, lst)):
            found.append(
                Problem(
                    rel,
                    where,
                    f"{ref.file!r} is a link that leaves the folder",
                    "replace the link with the file itself",
                )
            )
            continue
        try:
            st = os.stat(target) if lst is not None else None
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            found.append(
                Problem(
                    rel,
                    where,
                    f"the attachment {ref.file!r} does not exist",
                    "add the file beside the Markdown or correct the name",
                )
            )
        elif (too_big := files.size_problem(target, st.st_size)) is not None:
            found.append(too_big)
    return found


def folder_names(base: Path) -> list[str]:
    """Sorted names of the folders (links to folders included) directly in `base`."""
    try:
        with os.scandir(base) as entries:
            return sorted(e.name for e in entries if e.is_dir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def md_names(folder: str) -> list[str]:
    """Names ending in .md in `folder`, sorted (what Path.glob("*.md") matched)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".md"))
    except (FileNotFoundError, NotADirectoryError):
        return []
