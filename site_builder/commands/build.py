"""`site-builder build [EXPORT]`: the export → an encrypted static site (docs/build.md)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from site_builder.export.loader import ExportInvalid, Problem
from site_builder.pipeline.build import BuildFailed, BuildOptions
from site_builder.pipeline.from_export import build_export
from site_builder.pipeline.keystore import KeyMissing, load_keys
from site_builder.pipeline.lock import BuildLocked
from site_builder.pipeline.snapshot import LayoutError
from site_builder.pipeline.state import StateError
from site_builder.pipeline.theme import ThemeError


def _problem_lines(problems: list[Problem]) -> list[str]:
    return [
        f"{p.file}:{p.location}: {p.message}" + (f" — fix: {p.fix}" if p.fix else "")
        for p in problems
    ]


@click.command("build")
@click.argument(
    "export", required=False, default="content/example", type=click.Path(path_type=Path)
)
@click.option("--out", default="build/site", type=click.Path(path_type=Path), show_default=True)
@click.option(
    "--state-dir", default=".site-builder", type=click.Path(path_type=Path), show_default=True
)
@click.option("--theme", default=None, help="A theme folder under themes/ (before the default).")
@click.option("--jobs", default=None, type=click.IntRange(1, 256), help="Default: CPU count.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--skip-broken", is_flag=True, help="Leave out children whose files are invalid.")
@click.option("--no-wait", is_flag=True, help="Refuse instead of waiting for a running build.")
@click.option(
    "--full",
    is_flag=True,
    help="Publish a whole new snapshot even for a correction that could be patched in.",
)
def command(
    export: Path,
    out: Path,
    state_dir: Path,
    theme: str | None,
    jobs: int | None,
    as_json: bool,
    skip_broken: bool,
    no_wait: bool,
    full: bool,
) -> None:
    """Build the encrypted site from EXPORT into --out (an atomic, crash-safe swap)."""
    try:
        keys = load_keys(state_dir)
        options = BuildOptions(
            out=out,
            state_dir=state_dir,
            theme=theme,
            jobs=jobs or os.cpu_count() or 1,
            wait=not no_wait,
            patch=not full,
            progress=sys.stderr.isatty() and not as_json,
        )
        summary, skipped = build_export(
            export,
            options=options,
            keys=keys,
            skip_broken=skip_broken,
            say=lambda m: click.echo(m, err=True),
        )
    except ExportInvalid as exc:
        click.echo(f"{export}: the export is invalid; nothing was written:", err=True)
        for line in _problem_lines(exc.problems):
            click.echo("  " + line, err=True)
        sys.exit(1)
    except BuildFailed as exc:
        click.echo("the build failed; the published site is unchanged:", err=True)
        for line in exc.problems:
            click.echo("  " + line, err=True)
        sys.exit(1)
    except (KeyMissing, BuildLocked, LayoutError, StateError, ThemeError, PermissionError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    skipped_lines = _problem_lines(skipped)
    if as_json:
        data = summary.as_json()
        data["skipped"] = skipped_lines
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(summary.to_text())
    if skipped_lines:
        click.echo(f"skipped as broken ({len(skipped_lines)}):")
        for line in skipped_lines:
            click.echo("  " + line)
