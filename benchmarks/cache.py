"""The generated export, cached under benchmarks/out/ and kept pristine between runs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.generate import generate_export, remove_export
from benchmarks.scenarios import Changes

# Bump when the generator's output changes so cached exports are made again.
GENERATOR_VERSION = "1"


def _stamp(export: Path) -> Path:
    return export.with_name(export.name + ".pristine")


def cached_export(work: Path, *, children: int, seed: int) -> tuple[Path, float | None]:
    """The export for (children, seed); generates it when missing or possibly modified.

    Returns the path and the seconds spent generating (None when the cache was used).
    """
    export = work / f"export-{children}-s{seed}"
    stamp = _stamp(export)
    if stamp.exists() and stamp.read_text() == GENERATOR_VERSION and export.is_dir():
        return export, None
    stamp.unlink(missing_ok=True)
    remove_export(export)
    started = time.perf_counter()
    generate_export(export, children=children, seed=seed)
    elapsed = time.perf_counter() - started
    stamp.write_text(GENERATOR_VERSION)
    return export, elapsed


@contextmanager
def modified(export: Path, changes: Changes) -> Iterator[Changes]:
    """Mark the export dirty while a scenario's changes are in place, then put it back."""
    stamp = _stamp(export)
    stamp.unlink(missing_ok=True)
    try:
        yield changes
    finally:
        changes.revert()
        stamp.write_text(GENERATOR_VERSION)


def count_documents(export: Path) -> int:
    return sum(1 for _ in export.glob("children/*/**/*.md")) + sum(
        1 for _ in export.glob("groups/*/planeringar/*.md")
    )
