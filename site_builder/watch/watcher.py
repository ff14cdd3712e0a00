"""watchdog on the export and the theme folders, feeding the debouncer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from site_builder.watch.debounce import Debouncer
from site_builder.watch.ignore import is_ignored

# Opening or reading a file (the build does both) must never count as a change.
CHANGE_EVENTS = frozenset({"created", "modified", "moved", "deleted", "closed"})
# ... nor even reach us: the kernel queues an event per open and close otherwise, and a build that
# reads 330,000 files overflows inotify's queue (16,384 events) many times over.
EVENT_FILTER = [
    FileCreatedEvent,
    DirCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileClosedEvent,  # closed after writing
]
WATCHDOG_LOGGER = "watchdog.observers"


class _LostEvents(logging.Handler):
    """watchdog only logs it when the kernel dropped events (inotify's queue overflowed, e.g. an
    export tool rewriting every file at once): then anything may have changed."""

    def __init__(self, on_lost: Callable[[], None]) -> None:
        super().__init__(logging.WARNING)
        self._on_lost = on_lost

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self._on_lost()


class _Forward(FileSystemEventHandler):
    def __init__(self, *, root: Path, excluded: tuple[Path, ...], debouncer: Debouncer) -> None:
        self._root = root
        self._excluded = excluded
        self._debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's mtime moves with every change inside it, reported on its own
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if not is_ignored(path, root=self._root, excluded=self._excluded):
                self._debouncer.touch(path)


class ExportWatcher:
    """Watches folders recursively; paths under `excluded` (the preview's output) never count."""

    def __init__(
        self, *, folders: list[Path], excluded: tuple[Path, ...], debouncer: Debouncer
    ) -> None:
        self._observer = Observer()
        self._debouncer = debouncer
        resolved = tuple(p.resolve() for p in excluded)
        self._roots = list(dict.fromkeys(f.resolve() for f in folders if f.is_dir()))
        for folder in self._roots:
            handler = _Forward(root=folder, excluded=resolved, debouncer=debouncer)
            self._observer.schedule(handler, str(folder), recursive=True, event_filter=EVENT_FILTER)
        # A watched folder itself reported as changed: the builders then read everything.
        self._lost = _LostEvents(self._everything_may_have_changed)

    def _everything_may_have_changed(self) -> None:
        for root in self._roots:
            self._debouncer.touch(root)

    def start(self) -> None:
        logging.getLogger(WATCHDOG_LOGGER).addHandler(self._lost)
        self._debouncer.start()
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=10)
        self._debouncer.stop()
        logging.getLogger(WATCHDOG_LOGGER).removeHandler(self._lost)
