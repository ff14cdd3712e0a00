"""Side-by-side figures: MkDocs on the same documents, and the floor for this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.floor import measure_floor
from benchmarks.mkdocs_side import MKDOCS_VERSION, build_with_mkdocs, ensure_mkdocs, write_project
from benchmarks.report import ScenarioRow

HERE = Path(__file__).resolve().parent


def compare_with_mkdocs(
    export: Path, work: Path, *, children: int, cold: ScenarioRow | None
) -> dict[str, Any]:
    print(f"  MkDocs {MKDOCS_VERSION} on {children} children's documents …", flush=True)
    mkdocs = ensure_mkdocs(HERE / ".mkdocs-venv")
    project = work / "mkdocs-project"
    pages = write_project(export, project, children=children)
    measured = build_with_mkdocs(mkdocs, project)
    pages_per_second = pages / measured.wall_seconds
    ratio = cold.documents_per_second / pages_per_second if cold else None
    line = (
        f"MkDocs {MKDOCS_VERSION}: {pages:,} pages in {measured.wall_seconds:.1f} s = "
        f"{pages_per_second:,.0f} pages/s (1 process); ours ÷ MkDocs = "
        + (f"{ratio:.2f}×" if ratio is not None else "— (no cold build)")
    )
    if measured.returncode != 0:
        line += f"   FAILED: {measured.stderr.strip()[-500:]}"
    return {
        "version": MKDOCS_VERSION,
        "ok": measured.returncode == 0,
        "pages": pages,
        "wall_seconds": round(measured.wall_seconds, 3),
        "pages_per_second": round(pages_per_second, 1),
        "peak_tree_rss_mb": round(measured.peak_tree_rss_bytes / 2**20, 1),
        "ours_over_mkdocs": None if ratio is None else round(ratio, 3),
        "line": line,
    }


def compare_with_floor(export: Path, work: Path, *, cold: ScenarioRow | None) -> dict[str, Any]:
    print("  floor (Markdown + template + deflate + AES-GCM + write, all cores) …", flush=True)
    floor = measure_floor(export, work / "floor-out")
    per_second = floor.documents / floor.wall_seconds
    fraction = cold.documents_per_second / per_second if cold else None
    line = (
        f"floor: {floor.documents:,} documents in {floor.wall_seconds:.1f} s = "
        f"{per_second:,.0f} docs/s on {floor.processes} processes; cold build = "
        + (f"{fraction:.2f} of the floor" if fraction is not None else "— (no cold build)")
    )
    return {
        "wall_seconds": round(floor.wall_seconds, 3),
        "documents": floor.documents,
        "documents_per_second": round(per_second, 1),
        "bytes_written": floor.bytes_written,
        "processes": floor.processes,
        "cold_fraction_of_floor": None if fraction is None else round(fraction, 3),
        "line": line,
    }
