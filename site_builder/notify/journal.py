"""The notice journal (`notify-journal.sqlite` in the state dir): which reader was told about
which snapshot and rev, on which channel — so a re-run, or a run killed mid-send, neither skips
nor repeats anyone.

`seen` holds each rid's keyring hash as of the last run that planned notices; `notices` holds
one row per (rid, seq, rev, channel), `pending` until it is `sent`, `skipped` (no consent) or
`failed` (refused for good). A row turns `sent` in its own commit right after the server's 250,
so a crash can at worst repeat the one mail that was in flight (docs/notify.md).
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from site_builder.notify.consent import BUSY_TIMEOUT_MS, ConsentStoreError, _explain

JOURNAL_FILE = "notify-journal.sqlite"
WHAT = "notify journal"
Channel = Literal["email", "push"]
CHANNELS: tuple[Channel, ...] = ("email", "push")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seen (rid TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notices (
  rid TEXT NOT NULL, seq INTEGER NOT NULL, rev INTEGER NOT NULL, channel TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT, updated INTEGER NOT NULL,
  PRIMARY KEY (rid, seq, rev, channel)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pending ON notices (status, channel);
"""


@dataclass(frozen=True, slots=True)
class Plan:
    changed: list[str]  # rids whose keyring differs from the last run's
    baseline: bool  # the first run: hashes recorded, nothing planned


class Journal:
    """Every method raises ConsentStoreError (a clear message), never sqlite3 errors."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db

    @classmethod
    def open(cls, path: Path) -> Journal:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: a commit survives the process being killed (not a power cut mid-write)
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise _explain(path, exc, what=WHAT) from None
        path.chmod(0o600)
        return cls(path, db)

    def close(self) -> None:
        self._db.close()

    def _run(self, sql: str, params: Iterable[object] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise _explain(self.path, exc, what=WHAT) from None

    def changed(self, keyrings: dict[str, str]) -> Plan:
        """Which rids' keyrings differ from what the last run recorded (nothing is written)."""
        seen = dict(self._run("SELECT rid, hash FROM seen").fetchall())
        baseline = self._run("SELECT 1 FROM meta WHERE key = 'baseline'").fetchone() is None
        changed = [rid for rid, digest in sorted(keyrings.items()) if seen.get(rid) != digest]
        return Plan(changed=changed, baseline=baseline)

    def record(self, plan: Plan, *, keyrings: dict[str, str], seq: int, rev: int) -> None:
        """In one transaction: a pending notice per changed rid and channel (none on the
        baseline run), and the new hashes. A crash before the commit changes nothing."""
        now = int(time.time())
        try:
            with self._db:  # sqlite3's context manager: BEGIN ... COMMIT / ROLLBACK
                self._db.execute("BEGIN IMMEDIATE")
                if not plan.baseline:
                    self._db.executemany(
                        "INSERT OR IGNORE INTO notices (rid, seq, rev, channel, updated) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [(rid, seq, rev, ch, now) for rid in plan.changed for ch in CHANNELS],
                    )
                self._db.executemany(
                    "INSERT INTO seen (rid, hash) VALUES (?, ?) "
                    "ON CONFLICT(rid) DO UPDATE SET hash = excluded.hash",
                    [(rid, keyrings[rid]) for rid in plan.changed],
                )
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('baseline', ?)", (str(now),))
        except sqlite3.Error as exc:
            raise _explain(self.path, exc, what=WHAT) from None

    def pending(self, channel: Channel) -> dict[str, list[tuple[int, int]]]:
        """rid → its pending (seq, rev) notices on `channel`; one message covers them all."""
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        rows = self._run(
            "SELECT rid, seq, rev FROM notices WHERE status = 'pending' AND channel = ? "
            "ORDER BY rid, seq, rev",
            (channel,),
        )
        for rid, seq, rev in rows:
            found[rid].append((seq, rev))
        return dict(found)

    def _update(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        try:
            with self._db:  # one commit for all `rows`: they are one message
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise _explain(self.path, exc, what=WHAT) from None

    def finish(
        self, rids: list[str], channel: Channel, status: str, *, error: str | None = None
    ) -> None:
        """Close every pending notice of `rids` on `channel`, in one commit."""
        now = int(time.time())
        self._update(
            "UPDATE notices SET status = ?, error = ?, attempts = attempts + 1, updated = ? "
            "WHERE rid = ? AND channel = ? AND status = 'pending'",
            [(status, error, now, rid, channel) for rid in rids],
        )

    def postpone(self, rids: list[str], channel: Channel, *, error: str) -> None:
        """Keep the notices pending for the next run, noting why this one did not send."""
        now = int(time.time())
        self._update(
            "UPDATE notices SET error = ?, attempts = attempts + 1, updated = ? "
            "WHERE rid = ? AND channel = ? AND status = 'pending'",
            [(error, now, rid, channel) for rid in rids],
        )

    def counts(self) -> dict[str, int]:
        rows = self._run("SELECT channel || ':' || status, COUNT(*) FROM notices GROUP BY 1")
        return dict(rows.fetchall())


__all__ = ["CHANNELS", "JOURNAL_FILE", "Channel", "ConsentStoreError", "Journal", "Plan"]
