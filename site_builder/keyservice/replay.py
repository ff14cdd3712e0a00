"""A small in-memory set of used one-time values (nonces, handoff ids) that forgets on expiry.

The only state the service keeps. With several worker processes a value could be used once per
worker; every value it guards is also short-lived (≤ 120 s handoff) and bound to one browser.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

MAX_ENTRIES = 100_000


@dataclass
class ReplayCache:
    _until: dict[str, float] = field(default_factory=dict)

    def claim(self, value: str, *, until: float) -> bool:
        """True the first time `value` is seen (until it expires), False on a replay."""
        now = time.time()
        if len(self._until) > MAX_ENTRIES // 2:
            self._until = {k: t for k, t in self._until.items() if t > now}
        if self._until.get(value, 0.0) > now:
            return False
        if len(self._until) >= MAX_ENTRIES:
            return False  # fail closed rather than forget live entries
        self._until[value] = max(until, now + 1)
        return True
