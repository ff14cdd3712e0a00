"""Figures of one benchmark run: scenario rows, printed as a table and kept as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.runner import Measured

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    name: str
    ok: bool
    wall_seconds: float
    documents_per_second: float
    children_per_second: float
    peak_tree_rss_mb: float
    peak_process_rss_mb: float
    bytes_written: int | None
    blobs_written: int | None
    blobs_reused: int | None
    documents_rendered: int | None
    summary: dict[str, Any] | None
    error: str | None


def last_json_object(text: str) -> dict[str, Any] | None:
    """The build's --json summary: the last line of stdout that parses as a JSON object."""
    for line in reversed(text.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    try:
        whole = json.loads(text)
    except ValueError:
        return None
    return whole if isinstance(whole, dict) else None


def pick_int(summary: dict[str, Any] | None, *names: str) -> int | None:
    """First integer under any of `names`, searching nested objects ('blobs.reused' style too)."""
    if summary is None:
        return None
    for name in names:
        node: Any = summary
        for part in name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, int) and not isinstance(node, bool):
            return node
    for value in summary.values():
        if isinstance(value, dict):
            found = pick_int(value, *names)
            if found is not None:
                return found
    return None


def scenario_row(name: str, measured: Measured, *, documents: int, children: int) -> ScenarioRow:
    summary = last_json_object(measured.stdout)
    wall = measured.wall_seconds
    return ScenarioRow(
        name=name,
        ok=measured.returncode == 0,
        wall_seconds=round(wall, 3),
        documents_per_second=round(documents / wall, 1),
        children_per_second=round(children / wall, 1),
        peak_tree_rss_mb=round(measured.peak_tree_rss_bytes / MB, 1),
        peak_process_rss_mb=round(measured.peak_process_rss_bytes / MB, 1),
        bytes_written=pick_int(summary, "bytes_written", "bytes.written", "written_bytes", "bytes"),
        blobs_written=pick_int(summary, "blobs_sealed", "blobs_written", "blobs.written"),
        blobs_reused=pick_int(summary, "blobs_reused", "blobs.reused", "reused"),
        documents_rendered=pick_int(summary, "documents_rendered"),
        summary=_counts_only(summary),
        error=None if measured.returncode == 0 else measured.stderr.strip()[-2000:],
    )


def _counts_only(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    """The summary with long lists (rids, blob ids) replaced by their lengths."""
    if summary is None:
        return None
    return {k: len(v) if isinstance(v, list) else v for k, v in summary.items()}


def _figure(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def format_rows(rows: list[ScenarioRow]) -> str:
    header = (
        f"{'scenario':<16}{'wall s':>9}{'docs/s':>10}{'children/s':>12}{'tree RSS MB':>13}"
        f"{'max proc MB':>13}{'bytes written':>16}{'blobs sealed':>14}{'blobs reused':>14}"
        f"{'rendered':>10}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.name:<16}{row.wall_seconds:>9.2f}{row.documents_per_second:>10,.0f}"
            f"{row.children_per_second:>12,.1f}{row.peak_tree_rss_mb:>13,.0f}"
            f"{row.peak_process_rss_mb:>13,.0f}{_figure(row.bytes_written):>16}"
            f"{_figure(row.blobs_written):>14}{_figure(row.blobs_reused):>14}"
            f"{_figure(row.documents_rendered):>10}" + ("" if row.ok else "   FAILED")
        )
    return "\n".join(lines)


def as_json(value: Any) -> Any:
    if isinstance(value, ScenarioRow):
        return asdict(value)
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    return value
