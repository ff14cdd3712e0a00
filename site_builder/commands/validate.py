"""`site-builder validate [PATH]`: check a whole export and report every problem at once."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import click

from site_builder.export.legal import overdue_reviews
from site_builder.export.loader import ExportInvalid, load_export


@click.command("validate")
@click.argument("path", required=False, default="content/example", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: for machines.",
)
@click.option(
    "--max-file-mb",
    type=click.IntRange(1, 500),
    default=None,
    help="Largest file allowed (default: export.toml max_file_mb, else 20).",
)
def command(path: Path, fmt: str, max_file_mb: int | None) -> None:
    """Load the export at PATH and list every problem with file, location and fix.

    Exit status: 0 when valid, 1 when not.
    """
    started = time.monotonic()
    limit = max_file_mb * 1024 * 1024 if max_file_mb else None
    try:
        export = load_export(path, max_file_bytes=limit).export
    except ExportInvalid as exc:
        if fmt == "json":
            report = {
                "valid": False,
                "problems": [p.to_dict() for p in exc.problems],
                "summary": {"problems": len(exc.problems)},
            }
            click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        else:
            click.echo(f"{path}: {len(exc.problems)} problem(s); nothing can be published:")
            for problem in exc.problems:
                click.echo(f"  {problem}")
        sys.exit(1)
    summary = {
        "children": len(export.children),
        "persons": len(export.register.persons),
        "groups": len(export.register.groups),
        "documents": sum(
            len(c.posts) + len(c.assessments) + (c.iup is not None) + (c.talk is not None)
            for c in export.children.values()
        )
        + sum(len(plans) for plans in export.group_plans.values()),
        "seconds": round(time.monotonic() - started, 3),
    }
    config = export.config
    notes = overdue_reviews(
        privacy=config.privacy, accessibility=config.accessibility, today=date.today()
    )
    if fmt == "json":
        report = {"valid": True, "problems": [], "notes": notes, "summary": summary}
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        click.echo(
            f"{path}: valid — {summary['children']} children, {summary['documents']} "
            f"documents, {summary['persons']} persons ({summary['seconds']} s)"
        )
        for note in notes:
            click.echo(f"  note: {note}")
