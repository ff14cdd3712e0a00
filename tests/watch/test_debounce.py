"""The debouncer: one call per burst, and never while a file is still being written."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from site_builder.watch.debounce import Debouncer


class Calls:
    def __init__(self) -> None:
        self.batches: list[tuple[float, set[Path]]] = []
        self.event = threading.Event()

    def __call__(self, paths: set[Path]) -> None:
        self.batches.append((time.monotonic(), paths))
        self.event.set()


def test_a_burst_of_events_is_one_call_with_every_path(tmp_path: Path) -> None:
    calls = Calls()
    debouncer = Debouncer(on_settled=calls, quiet=0.15, settle=0.02)
    debouncer.start()
    try:
        files = [tmp_path / f"{n}.md" for n in range(5)]
        for n in range(50):
            files[n % 5].write_text(f"save {n}")
            debouncer.touch(files[n % 5])
            time.sleep(0.005)
        assert calls.event.wait(5)
        time.sleep(0.4)  # nothing more arrives
    finally:
        debouncer.stop()
    assert len(calls.batches) == 1
    assert calls.batches[0][1] == set(files)


def test_a_file_still_being_written_waits_until_it_is_stable(tmp_path: Path) -> None:
    """A slow copy (no further events) must not be built from half-written."""
    calls = Calls()
    growing = tmp_path / "big.md"
    growing.write_text("start\n")
    debouncer = Debouncer(on_settled=calls, quiet=0.05, settle=0.15)
    debouncer.start()
    try:
        debouncer.touch(growing)
        for n in range(8):  # writes every 60 ms, quicker than `settle`, for ~0.5 s
            with growing.open("a") as f:
                f.write(f"line {n}\n")
            time.sleep(0.06)
        finished = time.monotonic()
        assert calls.event.wait(5)
    finally:
        debouncer.stop()
    assert len(calls.batches) == 1
    assert calls.batches[0][0] >= finished


def test_events_during_a_call_collect_for_the_next_one(tmp_path: Path) -> None:
    started, release = threading.Event(), threading.Event()
    batches: list[set[Path]] = []

    def slow_build(paths: set[Path]) -> None:
        batches.append(paths)
        started.set()
        release.wait(5)

    debouncer = Debouncer(on_settled=slow_build, quiet=0.05, settle=0.01)
    debouncer.start()
    try:
        debouncer.touch(tmp_path / "a.md")
        assert started.wait(5)
        for name in ("b.md", "c.md", "b.md"):
            debouncer.touch(tmp_path / name)
        release.set()
        deadline = time.monotonic() + 5
        while len(batches) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        debouncer.stop()
    assert batches == [{tmp_path / "a.md"}, {tmp_path / "b.md", tmp_path / "c.md"}]
