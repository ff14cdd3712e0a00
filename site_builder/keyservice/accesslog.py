"""The access log: one JSON line per login and unlock, with rids only — never a personnummer,
name or token. `reason` is one of the service's own short codes, never provider text."""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TextIO

Event = Literal["login", "unlock"]
Outcome = Literal["ok", "rejected", "cancelled", "expired", "unavailable", "rate_limited"]


@dataclass
class AccessLog:
    stream: TextIO
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, path: Path | None) -> AccessLog:
        if path is None:
            return cls(sys.stderr)
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path.open("a", encoding="utf-8", buffering=1))

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
            self.stream.write(line + "\n")
            self.stream.flush()
