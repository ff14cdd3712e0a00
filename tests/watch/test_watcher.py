"""The export watcher: reading files is never an event (a build reads every file of the export),
writing is; events the kernel dropped count as a change to everything watched."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest
from watchdog.events import FileSystemEvent

from site_builder.watch import watcher as watcher_module
from site_builder.watch.debounce import Debouncer
from site_builder.watch.watcher import ExportWatcher
from tests.watch.test_debounce import Calls


def _watching(folder: Path, calls: Calls) -> ExportWatcher:
    watcher = ExportWatcher(
        folders=[folder], excluded=(), debouncer=Debouncer(on_settled=calls, quiet=0.1)
    )
    watcher.start()
    return watcher


def test_reading_is_no_event_and_writing_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not even delivered: the kernel is not asked for opens and closes after reading (a build's
    330,000 reads would overflow its queue), so the handler never sees one."""
    seen: list[str] = []
    real = watcher_module._Forward.on_any_event

    def recording(self: Any, event: FileSystemEvent) -> None:
        seen.append(event.event_type)
        real(self, event)

    monkeypatch.setattr(watcher_module._Forward, "on_any_event", recording)
    post = tmp_path / "children" / "c1" / "post.md"
    post.parent.mkdir(parents=True)
    post.write_text("före")
    calls = Calls()
    watcher = _watching(tmp_path, calls)
    try:
        time.sleep(0.2)
        for _ in range(200):
            post.read_text()
        assert not calls.event.wait(0.6)
        assert not {"opened", "closed_no_write"} & set(seen)
        post.write_text("efter")
        assert calls.event.wait(5)
    finally:
        watcher.stop()
    assert calls.batches[-1][1] == {post.resolve()}


def test_lost_events_count_as_a_change_to_every_watched_folder(tmp_path: Path) -> None:
    calls = Calls()
    watcher = _watching(tmp_path, calls)
    try:
        logging.getLogger("watchdog.observers.inotify_c").warning(
            "Inotify queue overflowed; filesystem events were lost"
        )
        assert calls.event.wait(5)
    finally:
        watcher.stop()
    assert calls.batches[-1][1] == {tmp_path.resolve()}
