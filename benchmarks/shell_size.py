"""Bytes of the app shell a phone downloads first: HTML + JS + CSS, raw and gzip-compressed."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

SHELL_SUFFIXES = (".html", ".js", ".mjs", ".css")


@dataclass(frozen=True, slots=True)
class ShellSize:
    files: int
    raw_bytes: int
    gzip_bytes: int
    service_worker_gzip_bytes: int


def shell_files(site: Path) -> list[Path]:
    """index.html and everything under app/ that is HTML, JS or CSS (not blobs, not keyrings)."""
    candidates = [site / "index.html", *sorted((site / "app").rglob("*"))]
    return [path for path in candidates if path.is_file() and path.suffix in SHELL_SUFFIXES]


def measure_shell(site: Path) -> ShellSize:
    files = shell_files(site)
    worker = site / "sw.js"
    return ShellSize(
        files=len(files),
        raw_bytes=sum(path.stat().st_size for path in files),
        gzip_bytes=sum(len(gzip.compress(path.read_bytes(), 9)) for path in files),
        service_worker_gzip_bytes=len(gzip.compress(worker.read_bytes(), 9))
        if worker.exists()
        else 0,
    )
