"""The key service's consent database: per rid, whether e-mail notices are wanted, and the
rid's Web Push subscriptions. SQLite in WAL mode in the state dir (`notify.sqlite`), so the key
service writes while `site-builder notify` reads. Nothing else is stored: no address, no name.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CONSENT_FILE = "notify.sqlite"
BUSY_TIMEOUT_MS = 5000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS consent (
  rid TEXT PRIMARY KEY, email INTEGER NOT NULL, updated INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS push (
  rid TEXT NOT NULL, endpoint TEXT NOT NULL, p256dh TEXT NOT NULL, auth TEXT NOT NULL,
  updated INTEGER NOT NULL, PRIMARY KEY (rid, endpoint)
) WITHOUT ROWID;
"""


class ConsentStoreError(RuntimeError):
    """The consent database cannot be used; the message says what to do."""


@dataclass(frozen=True, slots=True)
class PushSubscription:
    rid: str
    endpoint: str
    p256dh: str  # b64u of the browser's P-256 public key (65 bytes)
    auth: str  # b64u of the 16-byte auth secret


def _explain(
    path: Path, exc: sqlite3.Error, *, what: str = "consent database"
) -> ConsentStoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return ConsentStoreError(
            f"{path}: the {what} stayed locked for {BUSY_TIMEOUT_MS // 1000} s "
            "(another process holds a write lock); try again, nothing was changed"
        )
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return ConsentStoreError(
            f"{path}: not a readable SQLite database ({text}); restore it from a backup or "
            + (
                "move it away (readers then turn notices on again in the app)"
                if what == "consent database"
                else "move it away (the next run then only records, and notifies later changes)"
            )
        )
    return ConsentStoreError(f"{path}: {text}")


class ConsentStore:
    """Open with `ConsentStore.open(path)`; every method raises ConsentStoreError, never
    sqlite3 errors."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> ConsentStore:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            db = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, OSError):
                raise ConsentStoreError(f"{path}: {exc.strerror}") from None
            raise _explain(path, exc) from None
        path.chmod(0o600)
        return cls(path, db)

    @contextmanager
    def _cursor(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise _explain(self.path, exc) from None

    def close(self) -> None:
        self._db.close()

    def choices(self, rid: str) -> dict[str, bool]:
        """What `rid` chose: {"email": bool, "push": bool}."""
        with self._cursor() as db:
            row = db.execute("SELECT email FROM consent WHERE rid = ?", (rid,)).fetchone()
            pushes = db.execute("SELECT 1 FROM push WHERE rid = ? LIMIT 1", (rid,)).fetchone()
        return {"email": bool(row and row[0]), "push": pushes is not None}

    def set_email(self, rid: str, *, on: bool) -> None:
        with self._cursor() as db:
            if on:
                db.execute(
                    "INSERT INTO consent (rid, email, updated) VALUES (?, 1, ?) "
                    "ON CONFLICT(rid) DO UPDATE SET email = 1, updated = excluded.updated",
                    (rid, int(time.time())),
                )
            else:  # turning off forgets the rid entirely: nothing to keep
                db.execute("DELETE FROM consent WHERE rid = ?", (rid,))

    def email_consents(self) -> set[str]:
        with self._cursor() as db:
            return {r[0] for r in db.execute("SELECT rid FROM consent WHERE email = 1")}

    def add_push(self, subscription: PushSubscription) -> None:
        s = subscription
        with self._cursor() as db:
            db.execute(
                "INSERT INTO push (rid, endpoint, p256dh, auth, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(rid, endpoint) DO UPDATE SET p256dh = excluded.p256dh, "
                "auth = excluded.auth, updated = excluded.updated",
                (s.rid, s.endpoint, s.p256dh, s.auth, int(time.time())),
            )

    def remove_push(self, rid: str, *, endpoint: str | None = None) -> None:
        with self._cursor() as db:
            if endpoint is None:
                db.execute("DELETE FROM push WHERE rid = ?", (rid,))
            else:
                db.execute("DELETE FROM push WHERE rid = ? AND endpoint = ?", (rid, endpoint))

    def push_subscriptions(self, rids: set[str]) -> list[PushSubscription]:
        with self._cursor() as db:
            rows = db.execute("SELECT rid, endpoint, p256dh, auth FROM push").fetchall()
        return [PushSubscription(*row) for row in rows if row[0] in rids]
