"""A cache of parsed front matter, one small file per child or group folder (a shard).

Stored as JSON (never pickle: the cache must not be able to run code) in the build's state dir,
`parse-cache/<sha256 of the folder's path>.json`: an edit rewrites one folder's shard, not the
cache of the whole export. A shard holds

* per file, its stat and the validated front matter as JSON text (reused when size, mtime_ns,
  ctime_ns and inode all match, then validated again from the text), and
* the folder's signature (`fingerprint.py`: the stat of every entry under the folder, plus the
  other inputs of its checks), stored only when the folder loaded without a problem and none of
  its entries was changed recently (racy). When the signature matches, the folder's documents are
  made from the shard without opening, parsing or validating anything: their front matter is
  validated lazily, only if a later stage reads it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CACHE_DIR = "parse-cache"
OLD_CACHE_FILE = "parse-cache.json"  # version 2: one file for the whole export
VERSION = 4
INDEX_FILE = "index.json"  # folder → signature of its shard
# A file whose mtime or ctime is this close to the moment its folder was walked may still be
# changing within the file system's timestamp granularity: its stat is not trusted next time.
RACY_NS = 2_000_000_000

# rel path -> [size, mtime_ns, ctime_ns, inode, front matter as JSON text, body_line, sha256,
# attachment files]. The front matter is kept as text: a string costs far less memory than
# nested dicts, the file decodes faster, and pydantic validates the text directly.
Entry = list[Any]


def stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class LazyTexts:
    """A shard's front matter texts (a JSON array), decoded only when one is first needed."""

    __slots__ = ("_raw", "_texts")

    def __init__(self, raw: bytes = b"[]") -> None:
        self._raw: bytes = raw
        self._texts: list[str] | None = None

    def text(self, index: int) -> str:
        if self._texts is None:
            self._texts, self._raw = json.loads(self._raw), b""
        return self._texts[index]


class FrontText:
    """One document's front matter JSON inside its folder's LazyTexts."""

    __slots__ = ("index", "texts")

    def __init__(self, texts: LazyTexts, index: int) -> None:
        self.texts, self.index = texts, index

    def get(self) -> str:
        return self.texts.text(self.index)


@dataclass(slots=True)
class FolderCache:
    """The shard of one folder (a child's or a group's): what a worker process needs."""

    old: dict[str, Entry] = field(default_factory=dict)
    new: dict[str, Entry] = field(default_factory=dict)
    sig: str | None = None  # the stored signature (old) or the one to store (new)
    enabled: bool = False  # a cache dir is in use: worth walking the folder for its signature
    texts: LazyTexts = field(default_factory=LazyTexts)  # the old entries' front matter
    racy_from: int | None = None  # entries changed at or after this time (ns) are not stored

    def front(self, entry: Entry) -> str:
        """An entry's front matter JSON: stored entries hold its index in `texts`."""
        return entry[4] if isinstance(entry[4], str) else self.texts.text(entry[4])

    def lookup(self, rel: str, st: os.stat_result) -> Entry | None:
        entry = self.old.get(rel)
        if entry is not None and entry[:4] == stat_key(st):
            self.new[rel] = entry
            return entry
        return None

    def store(
        self, rel: str, st: os.stat_result, front: str, body_line: int, sha: str, files: list[str]
    ) -> None:
        if self.racy_from is not None and max(st.st_mtime_ns, st.st_ctime_ns) >= self.racy_from:
            return
        self.new[rel] = [*stat_key(st), front, body_line, sha, files]


def shard_name(folder_rel: str) -> str:
    return hashlib.sha256(folder_rel.encode()).hexdigest()[:40] + ".json"


def load_shard(cache_dir: Path | None, folder_rel: str) -> FolderCache:
    """The folder's stored shard; an empty one when there is none usable (never an error)."""
    if cache_dir is None:
        return FolderCache()
    empty = FolderCache(enabled=True)
    try:
        with open(os.path.join(cache_dir, CACHE_DIR, shard_name(folder_rel)), "rb") as fh:
            head, _, tail = fh.read().partition(b"\n")
        data = json.loads(head)
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or data.get("v") != VERSION or data.get("folder") != folder_rel:
        return empty
    entries, sig = data.get("entries"), data.get("sig")
    if not isinstance(entries, dict):
        return empty
    sig = sig if isinstance(sig, str) else None
    return FolderCache(old=entries, sig=sig, enabled=True, texts=LazyTexts(tail or b"[]"))


def load_index(cache_dir: Path | None) -> dict[str, str]:
    """Folder → signature of every shard that has one (one read instead of one per shard)."""
    if cache_dir is None:
        return {}
    try:
        data = json.loads((cache_dir / CACHE_DIR / INDEX_FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("v") != VERSION:
        return {}
    sigs = data.get("sigs")
    return (
        {str(k): v for k, v in sigs.items() if isinstance(v, str)} if isinstance(sigs, dict) else {}
    )


def write_shard(cache_dir: Path, rel: str, cache: FolderCache) -> None:
    """One folder's shard, atomically: two lines, the entries and then their front matter texts
    (decoded only when needed)."""
    shard_dir = cache_dir / CACHE_DIR
    shard_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    texts = [cache.front(entry) for entry in cache.new.values()]
    indexed = {k: [*e[:4], i, *e[5:]] for i, (k, e) in enumerate(cache.new.items())}
    head = {"v": VERSION, "folder": rel, "sig": cache.sig, "entries": indexed}
    target = shard_dir / shard_name(rel)
    tmp = shard_dir / f".{target.name}.{os.getpid()}.tmp"
    text = "\n".join(
        json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in (head, texts)
    )
    tmp.write_text(text, "utf-8")
    os.replace(tmp, target)  # a reader sees the old shard or the new one, never half


def save_shards(
    cache_dir: Path | None,
    folders: dict[str, FolderCache],
    *,
    previous: dict[str, FolderCache],
    kept: dict[str, str] | None = None,
) -> None:
    """Write the shards that changed, keep the `kept` ones (folder → signature) as they are,
    remove those of folders that are gone, and write the index of signatures."""
    if cache_dir is None:
        return
    kept = kept or {}
    shard_dir = cache_dir / CACHE_DIR
    shard_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    (cache_dir / OLD_CACHE_FILE).unlink(missing_ok=True)
    for rel, cache in folders.items():
        before = previous.get(rel)
        if before is not None and before.sig == cache.sig and before.old == cache.new:
            continue
        write_shard(cache_dir, rel, cache)
    keep = {shard_name(rel) for rel in [*folders, *kept]} | {INDEX_FILE}
    with os.scandir(shard_dir) as entries:
        stale = [e.path for e in entries if e.name not in keep]
    for path in stale:
        Path(path).unlink(missing_ok=True)
    sigs = {**kept, **{rel: c.sig for rel, c in folders.items() if c.sig is not None}}
    index = json.dumps({"v": VERSION, "sigs": dict(sorted(sigs.items()))}, separators=(",", ":"))
    tmp = shard_dir / f".{INDEX_FILE}.{os.getpid()}.tmp"
    tmp.write_text(index, "utf-8")
    os.replace(tmp, shard_dir / INDEX_FILE)
