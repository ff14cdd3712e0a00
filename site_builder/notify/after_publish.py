"""`build --notify-config` / `build --watch --notify-config`: run `notify` after each publish that
changed a keyring, in the background so the watcher keeps publishing while mail goes out.

Runs never overlap: a publish during a run asks for one more run when it ends (the journal
makes a run that finds nothing new cheap, and a later run picks up what an earlier one left).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from site_builder.notify.config import NotifyConfig
from site_builder.notify.consent import ConsentStoreError
from site_builder.notify.run import NotifyInputError, notify
from site_builder.pipeline.state.build_state import StateError
from site_builder.pipeline.state.keystore import KeySet

Say = Callable[[str], None]


class AfterPublish:
    def __init__(
        self, *, export: Path, state_dir: Path, keys: KeySet, config: NotifyConfig, say: Say
    ) -> None:
        self._args = {"export": export, "state_dir": state_dir, "keys": keys, "config": config}
        self._say = say
        self._lock = threading.Lock()
        self._again = False
        self._thread: threading.Thread | None = None

    def run_once(self) -> None:
        """One notify run in this thread; problems are said, never raised."""
        try:
            summary = notify(**self._args, say=self._say)  # type: ignore[arg-type]
        except (NotifyInputError, ConsentStoreError, StateError, OSError) as exc:
            self._say(f"notify: error: {exc}")
            return
        for line in summary.to_text().splitlines():
            self._say("notify: " + line)

    def published(self, keyrings_changed: int) -> None:
        """Called after a publish; starts a background run when a keyring changed."""
        if not keyrings_changed:
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._thread = threading.Thread(target=self._loop, name="notify", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            self.run_once()
            with self._lock:
                if not self._again:
                    return
                self._again = False

    def wait(self, timeout: float | None = None) -> None:
        """Let a running notify finish (on stop, so no mail is cut off mid-send)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
