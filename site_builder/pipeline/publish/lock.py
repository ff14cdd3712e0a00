"""One build at a time per output: an fcntl lock file beside it (released by the OS on a crash)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class BuildLocked(RuntimeError):
    """Another build holds the lock and the caller asked not to wait."""


@contextmanager
def build_lock(
    path: Path, *, wait: bool, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = f"another build is running on this output (lock {path})"
            if not wait:
                raise BuildLocked(message + "; try again when it has finished") from None
            if on_wait is not None:
                on_wait(message + "; waiting for it to finish…")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def lock_path_for(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"
