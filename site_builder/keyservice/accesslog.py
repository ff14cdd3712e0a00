"""The access log: one JSON line per login, unlock and reply, with rids only — never a personnummer,
name or token. `reason` is one of the service's own short codes, never provider text.

A log file is reopened when it has been moved or deleted (logrotate's default `create`), checked
before each line like logging.handlers.WatchedFileHandler: no signal, no `copytruncate`, and
several worker processes each follow the rotation on their own.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TextIO

# login_start: the browser was sent to the provider; a rise of starts without `login` lines
# following them is a provider outage (or people giving up) the other lines would not show.
Event = Literal["login_start", "login", "unlock", "reply", "notify", "unsubscribe"]
Outcome = Literal["ok", "rejected", "cancelled", "expired", "unavailable", "rate_limited"]


@dataclass
class AccessLog:
    stream: TextIO
    path: Path | None = None  # the file `stream` writes, followed across rotations
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, path: Path | None) -> AccessLog:
        if path is None:
            return cls(sys.stderr)
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path.open("a", encoding="utf-8", buffering=1), path=path)

    def _follow_rotation(self) -> None:
        """Reopen `path` when the open file is no longer the one at that name."""
        if self.path is None:
            return
        try:
            now = os.stat(self.path)
            current = os.fstat(self.stream.fileno())
            if (now.st_dev, now.st_ino) == (current.st_dev, current.st_ino):
                return
        except FileNotFoundError:
            pass
        self.stream.close()
        self.stream = self.path.open("a", encoding="utf-8", buffering=1)

    def write(
        self,
        *,
        event: Event,
        outcome: Outcome,
        provider: str | None = None,
        rid: str | None = None,
        acr: str | None = None,
        reason: str | None = None,
    ) -> None:
        record = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "event": event,
            "rid": rid,
            "provider": provider,
            "acr": acr,
            "outcome": outcome,
            "reason": reason,
        }
        line = json.dumps(record, ensure_ascii=True, separators=(",", ":"))
        with self._lock:
            self._follow_rotation()
            self.stream.write(line + "\n")
            self.stream.flush()
