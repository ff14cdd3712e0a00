"""Turn bursts of file events into one rebuild, and never build from a half-written file.

An editor save is several events (temp file, rename, chmod, a second write). The debouncer waits
until no event has arrived for `quiet` seconds, then checks that every changed file's size and
mtime stay the same over `settle` seconds more; a file still growing restarts the wait.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

FileStamp = tuple[int, int] | None  # (size, mtime_ns), None when the file is gone


def stamp(path: Path) -> FileStamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


class Debouncer:
    """Collects changed paths from any thread; calls `on_settled(paths)` on its own thread.

    Events that arrive while `on_settled` runs (a build) collect for the next call."""

    def __init__(
        self,
        *,
        on_settled: Callable[[set[Path]], object],
        quiet: float = 0.25,
        settle: float = 0.05,
    ) -> None:
        self._on_settled = on_settled
        self._quiet = quiet
        self._settle = settle
        self._pending: set[Path] = set()
        self._last_event = 0.0
        self._stopping = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="preview-debounce", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def touch(self, path: Path) -> None:
        with self._wake:
            self._pending.add(path)
            self._last_event = time.monotonic()
            self._wake.notify_all()

    def _wait_for_quiet(self) -> bool:
        """Block until events arrived and then stopped for `quiet`; False when stopping."""
        with self._wake:
            while not self._stopping:
                if not self._pending:
                    self._wake.wait()
                    continue
                remaining = self._last_event + self._quiet - time.monotonic()
                if remaining <= 0:
                    return True
                self._wake.wait(remaining)
            return False

    def _stable(self) -> bool:
        """True when no pending file changed size or mtime during `settle`."""
        with self._wake:
            paths = list(self._pending)
        before = [stamp(p) for p in paths]
        time.sleep(self._settle)
        return before == [stamp(p) for p in paths]

    def _run(self) -> None:
        while self._wait_for_quiet():
            if not self._stable():
                with self._wake:  # still being written: wait for another quiet period
                    self._last_event = time.monotonic()
                continue
            with self._wake:
                if time.monotonic() - self._last_event < self._quiet:
                    continue  # an event came in while we checked
                changed, self._pending = self._pending, set()
            self._on_settled(changed)
