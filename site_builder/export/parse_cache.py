"""A cache of parsed front matter keyed by each file's stat, so an unchanged export loads fast.

Stored as JSON (never pickle: the cache must not be able to run code) in the build's state dir.
An entry is reused only when size, mtime_ns, ctime_ns and inode all match; the body is then read
lazily, and only if a later stage needs it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CACHE_FILE = "parse-cache.json"
VERSION = 2

# rel path -> [size, mtime_ns, ctime_ns, inode, front matter as JSON text, body_line, sha256].
# The front matter is kept as text: a string costs far less memory than nested dicts for
# 300,000 documents, the file decodes faster, and pydantic validates the text directly.
Entry = list[Any]


def stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


@dataclass(slots=True)
class FolderCache:
    """The entries of one folder (a child's or a group's): what a worker process needs."""

    old: dict[str, Entry] = field(default_factory=dict)
    new: dict[str, Entry] = field(default_factory=dict)

    def lookup(self, rel: str, st: os.stat_result) -> Entry | None:
        entry = self.old.get(rel)
        if entry is not None and entry[:4] == stat_key(st):
            self.new[rel] = entry
            return entry
        return None

    def store(self, rel: str, st: os.stat_result, front: str, body_line: int, sha: str) -> None:
        self.new[rel] = [*stat_key(st), front, body_line, sha]


def load_cache(cache_dir: Path | None) -> dict[str, dict[str, Entry]]:
    """Folder -> entries; empty when there is no usable cache (never an error)."""
    if cache_dir is None:
        return {}
    try:
        data = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("v") != VERSION:
        return {}
    folders = data.get("folders")
    return folders if isinstance(folders, dict) else {}


def save_cache(
    cache_dir: Path | None,
    folders: dict[str, dict[str, Entry]],
    *,
    previous: dict[str, dict[str, Entry]],
) -> None:
    if cache_dir is None or folders == previous:
        return
    cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = cache_dir / CACHE_FILE
    tmp = target.with_suffix(".tmp")
    # json.dumps uses the C encoder; json.dump to a file would encode in pure Python.
    text = json.dumps({"v": VERSION, "folders": folders}, ensure_ascii=False, separators=(",", ":"))
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
