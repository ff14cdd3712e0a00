"""Run a command as a subprocess and measure wall time and peak memory of its process tree.

Peak RSS is reported two ways: the largest single process (from wait4's rusage) and the peak of
the sum over the whole process tree (polled from /proc), which is what a worker pool costs.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.2  # a /proc scan costs a few ms: keep the observer cheap
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True, slots=True)
class Measured:
    command: list[str]
    returncode: int
    wall_seconds: float
    peak_tree_rss_bytes: int
    peak_process_rss_bytes: int
    stdout: str
    stderr: str


def _children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) may contain spaces: the parent pid follows the last ')'.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_rss_bytes(root_pid: int) -> int:
    """Sum of resident memory of `root_pid` and all its descendants (0 when it is gone)."""
    tree = _children_by_parent()
    total, pending = 0, [root_pid]
    while pending:
        pid = pending.pop()
        pending.extend(tree.get(pid, ()))
        try:
            resident_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += resident_pages * PAGE_SIZE
    return total


def run_measured(
    command: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Measured:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        peak = [0]
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss_bytes(process.pid))
                done.wait(POLL_SECONDS)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        # wait4 (not Popen.wait) so the rusage of exactly this child comes back with it.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        poller.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            command=command,
            returncode=process.returncode,
            wall_seconds=wall,
            peak_tree_rss_bytes=peak[0],
            peak_process_rss_bytes=usage.ru_maxrss * 1024,  # Linux reports KiB
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )
