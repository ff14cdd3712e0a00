"""The reply spool: sealed replies on disk until `site-builder inbox` takes them in.

    <spool>/<rid>/<sha256 of the reply>.json   {"v", "rid", "unit", "child", "talk", "reply",
                                                 "received"}  — ciphertext and pseudonyms only
    <spool>/.done/<sha256>                      taken in by `inbox` (a replay is still refused)
    <spool>/.refused/<rid>-<sha256>.json        refused by `inbox`, kept for a person to look at

Each file is written to a temp name, fsync'ed, renamed into place and the folder fsync'ed, so a
crash or a full disk leaves either the whole reply or nothing — never half a file.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DONE = ".done"
REFUSED = ".refused"


class SpoolRefused(Exception):
    """`code` is the API's error code: duplicate, quota_exceeded or unavailable."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(target: Path, data: bytes) -> None:
    """Temp file (0600), fsync, rename, fsync the folder; the temp file goes on any failure."""
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Spool:
    root: Path
    quota: int = 20  # replies of one reader waiting for `inbox`

    def store(self, *, rid: str, digest: str, unit: str, child: str, talk: str, reply: str) -> str:
        """Store one sealed reply; the time it was stored (ISO 8601). Raises SpoolRefused."""
        folder = self.root / rid
        target = folder / f"{digest}.json"
        if target.exists() or (self.root / DONE / digest).exists():
            raise SpoolRefused("duplicate")
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            waiting = sum(1 for name in os.listdir(folder) if name.endswith(".json"))
            if waiting >= self.quota:
                raise SpoolRefused("quota_exceeded")
            received = datetime.now(UTC).isoformat(timespec="seconds")
            record = {
                "v": 1,
                "rid": rid,
                "unit": unit,
                "child": child,
                "talk": talk,
                "reply": reply,
                "received": received,
            }
            write_durably(target, json.dumps(record, separators=(",", ":")).encode())
        except OSError:
            raise SpoolRefused("unavailable") from None
        return received

    def waiting(self) -> list[Path]:
        """Every stored reply not yet taken in, oldest name order (stable across runs). Not the
        refused ones: `inbox` said why once, and they stay in .refused/ for a person."""
        if not self.root.is_dir():
            return []
        return sorted(
            p
            for d in self.root.iterdir()
            if d.is_dir() and d.name not in (DONE, REFUSED)
            for p in d.glob("*.json")
        )

    def mark_done(self, path: Path) -> None:
        """After `inbox` wrote the reply durably: remember its digest, then drop the file."""
        done = self.root / DONE
        done.mkdir(exist_ok=True, mode=0o700)
        write_durably(done / path.stem, b"")
        path.unlink()
