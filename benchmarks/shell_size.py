"""Bytes of the app shell a phone downloads first: HTML + JS + CSS, raw and gzip-compressed;
and each language's catalogue (locales/<code>.json), of which a page loads only the one in use."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path

SHELL_SUFFIXES = (".html", ".js", ".mjs", ".css")


@dataclass(frozen=True, slots=True)
class ShellSize:
    files: int
    raw_bytes: int
    gzip_bytes: int
    service_worker_gzip_bytes: int
    catalogue_gzip_bytes: dict[str, int] = field(default_factory=dict)  # code → gzip bytes

    def catalogues_line(self) -> str:
        """Each catalogue's gzip size, "sv 9,321 B, en 8,790 B, …", for the printout."""
        return ", ".join(f"{code} {size:,} B" for code, size in self.catalogue_gzip_bytes.items())


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
        catalogue_gzip_bytes={
            path.stem: len(gzip.compress(path.read_bytes(), 9))
            for path in sorted((site / "locales").glob("*.json"))
        },
    )
