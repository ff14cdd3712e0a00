"""`site-builder build [EXPORT]`: the export → an encrypted static site (docs/build.md)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from site_builder.export.loader import ExportInvalid, Problem
from site_builder.pipeline.build import BuildFailed, BuildOptions
from site_builder.pipeline.publish.lock import BuildLocked
from site_builder.pipeline.publish.snapshot import LayoutError
from site_builder.pipeline.runs.from_export import build_export
from site_builder.pipeline.shell.theme import ThemeError
from site_builder.pipeline.state.build_state import StateError
from site_builder.pipeline.state.keystore import KeyMissing, KeySet, load_keys

if TYPE_CHECKING:
    from site_builder.notify.after_publish import AfterPublish


def _problem_lines(problems: list[Problem]) -> list[str]:
    return [p.line() for p in problems]


def _notifier(
    notify_config: Path | None, *, export: Path, state_dir: Path, keys: KeySet
) -> AfterPublish | None:
    """`--notify-config`: notify after each publish that changed a keyring (docs/notify.md)."""
    if notify_config is None:
        return None
    from site_builder.notify.after_publish import AfterPublish
    from site_builder.notify.config import NotifyConfigError, load_notify_config

    try:
        config = load_notify_config(notify_config)
    except NotifyConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    say = lambda m: click.echo(m, err=True)  # noqa: E731
    return AfterPublish(export=export, state_dir=state_dir, keys=keys, config=config, say=say)


def _watch(
    export: Path,
    *,
    options: BuildOptions,
    keys: KeySet,
    skip_broken: bool,
    quiet_ms: int,
    notifier: AfterPublish | None,
) -> None:
    if not export.is_dir():
        click.echo(f"error: {export}: no such export folder", err=True)
        sys.exit(1)
    from site_builder.publisher.run import run_build_watch

    run_build_watch(
        export=export,
        options=options,
        keys=keys,
        skip_broken=skip_broken,
        quiet=quiet_ms / 1000,
        say=lambda m: click.echo(m, err=True),
        after_publish=notifier.published if notifier else None,
    )
    if notifier is not None:
        notifier.wait()


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
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: publish every change to the export as soon as it is saved.",
)
@click.option(
    "--quiet-ms",
    default=250,
    type=click.IntRange(20, 5000),
    show_default=True,
    help="With --watch: build once no file has changed for this long.",
)
@click.option(
    "--notify-config",
    type=click.Path(path_type=Path),
    help="notify.toml: after a publish that changed a keyring, run `notify` (docs/notify.md).",
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
    watch: bool,
    quiet_ms: int,
    notify_config: Path | None,
) -> None:
    """Build the encrypted site from EXPORT into --out (an atomic, crash-safe swap)."""
    if watch and as_json:
        click.echo("error: --json prints one summary; --watch prints a line per build", err=True)
        sys.exit(2)
    try:
        keys = load_keys(state_dir)
    except (KeyMissing, PermissionError, ValueError) as exc:  # incl. MasterKeyConflict
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    try:
        options = BuildOptions(
            out=out,
            state_dir=state_dir,
            theme=theme,
            jobs=jobs or os.cpu_count() or 1,
            wait=not no_wait,
            patch=not full,
            progress=sys.stderr.isatty() and not as_json and not watch,
        )
        notifier = _notifier(notify_config, export=export, state_dir=state_dir, keys=keys)
        if watch:
            _watch(
                export,
                options=options,
                keys=keys,
                skip_broken=skip_broken,
                quiet_ms=quiet_ms,
                notifier=notifier,
            )
            return
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
    if notifier is not None and summary.published:  # its lines go to stderr
        notifier.published(len(summary.keyrings_changed))
        notifier.wait()
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
