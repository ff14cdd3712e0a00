"""A folder's signature: one stat-only walk that tells whether anything under it changed.

The signature hashes, for every entry under the folder (recursively, links not followed into),
its relative name, mode, size, mtime_ns, ctime_ns and inode (and for a link, the same of its
target), plus the inputs of the folder's checks that are not files (`extra`: the scale levels,
the size limit, the front matter models). Equal signatures mean the folder's documents and
attachments are what they were when it last loaded without a problem.

Trade-off: a file rewritten with the same size within the file system's timestamp granularity
keeps its stat. ctime (which no user can set) and the inode narrow that to writes in the same
clock tick; the racy rule closes it: a folder whose newest mtime/ctime lies within
`parse_cache.RACY_NS` of the walk gets no signature, so it is parsed again at the next build.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from functools import cache
from pathlib import Path
from typing import Any

import pydantic

from site_builder.export.files import ExportFiles

# Bump when front matter validation changes in a way the models' JSON Schemas do not show.
FRONT_MATTER_RULES = 1


@cache
def models_hash() -> str:
    """The front matter models as loaded (their JSON Schemas, not the file on disk, which may
    change while a build runs) and pydantic's version: a change re-validates every folder."""
    from site_builder.export import documents as d

    models = (d.LearningLogPost, d.Assessment, d.Iup, d.DevelopmentTalk, d.UnitPlan)
    schemas = [m.model_json_schema() for m in models]
    text = json.dumps([FRONT_MATTER_RULES, pydantic.VERSION, schemas], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def stat_line(name: str, st: os.stat_result) -> str:
    return f"{name}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n"


TreeStat = tuple[str, int]  # (SHA-256 hex of the stat lines, newest mtime/ctime in ns)


def tree_stat(folder: str) -> TreeStat | None:
    """The stat lines of every entry under `folder`, hashed; None when it cannot be walked."""
    lines: list[str] = []
    newest = 0
    pending = [("", folder)]
    try:
        while pending:
            prefix, path = pending.pop()
            with os.scandir(path) as it:
                entries = sorted(it, key=_name)
            for entry in entries:
                name = prefix + entry.name
                st = entry.stat(follow_symlinks=False)
                lines.append(stat_line(name, st))
                newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
                if stat.S_ISLNK(st.st_mode):
                    try:
                        target = os.stat(entry.path)
                    except OSError:
                        lines.append("->missing\n")
                        continue
                    lines.append("->" + stat_line("", target))
                    newest = max(newest, target.st_mtime_ns, target.st_ctime_ns)
                elif stat.S_ISDIR(st.st_mode):
                    pending.append((name + "/", entry.path))
    except OSError:
        return None
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest(), newest


def folder_signature(folder: str, extra: Any, *, tree: TreeStat | None = None) -> TreeStat | None:
    """(signature, newest) of `folder` with its checks' inputs; `tree`: its walk, if done."""
    walked = tree if tree is not None else tree_stat(folder)
    if walked is None:
        return None
    head = json.dumps([models_hash(), extra], sort_keys=True, default=str)
    return hashlib.sha256(f"{head}\n{walked[0]}".encode()).hexdigest(), walked[1]


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def child_signature(
    files: ExportFiles,
    folder: Path,
    levels: dict[str, set[str]],
    *,
    tree: TreeStat | None = None,
) -> TreeStat | None:
    """A child folder's signature with its checks' inputs; None for a linked folder (whose
    target could change without any stat under it changing). `tree`: the survey's walk."""
    if any(os.path.islink(p) for p in (folder, folder / "larlogg", folder / "omdomen")):
        return None
    extra = [str(files.root), files.max_bytes, sorted((k, sorted(v)) for k, v in levels.items())]
    return folder_signature(str(folder), extra, tree=tree)
