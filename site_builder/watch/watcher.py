"""watchdog on the export and the theme folders, feeding the debouncer."""

from __future__ import annotations

from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from site_builder.watch.debounce import Debouncer
from site_builder.watch.ignore import is_ignored

# Opening or reading a file (the build does both) must never count as a change.
CHANGE_EVENTS = frozenset({"created", "modified", "moved", "deleted", "closed"})


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
        for folder in dict.fromkeys(f.resolve() for f in folders if f.is_dir()):
            handler = _Forward(root=folder, excluded=resolved, debouncer=debouncer)
            self._observer.schedule(handler, str(folder), recursive=True)

    def start(self) -> None:
        self._debouncer.start()
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=10)
        self._debouncer.stop()
