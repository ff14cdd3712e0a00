"""`site-builder watch [EXPORT]`: build, serve on loopback with the dev e-ID, rebuild on every
save and reload open pages (docs/preview.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from site_builder.keyservice.config import LOOPBACK_HOSTS

PUBLISHED_OUT = Path("build/site")
PUBLISHED_STATE = Path(".site-builder")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _say(message: str) -> None:
    click.echo(message)  # click flushes, so a log reader sees each line at once


def _same_place(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


@click.command("watch")
@click.argument(
    "export", required=False, default="content/example", type=click.Path(path_type=Path)
)
@click.option(
    "--out",
    default="build/preview",
    type=click.Path(path_type=Path),
    show_default=True,
    help="A folder of the preview's own; the site is <out>/site.",
)
@click.option(
    "--state-dir",
    default=".site-builder/preview",
    type=click.Path(path_type=Path),
    show_default=True,
    help="The preview's own build state and preview key (never the published state).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback only.")
@click.option("--port", default=8001, type=click.IntRange(1, 65535), show_default=True)
@click.option("--theme", default=None, help="A theme folder under themes/ (before the default).")
@click.option("--quiet-ms", default=200, type=click.IntRange(20, 5000), show_default=True)
def command(
    export: Path, out: Path, state_dir: Path, host: str, port: int, theme: str | None, quiet_ms: int
) -> None:
    """Preview EXPORT live: every save rebuilds and open pages reload themselves."""
    host = host.strip("[]")
    if host not in LOOPBACK_HOSTS:
        _fail("the preview signs anyone in (dev e-ID) and only binds loopback: use 127.0.0.1")
    published = (PUBLISHED_OUT, PUBLISHED_OUT.parent, PUBLISHED_STATE)
    if any(_same_place(path, p) for path in (out, state_dir) for p in published):
        _fail("the preview never writes the published site or its state: choose another folder")
    if not export.is_dir():
        _fail(f"{export}: no such export folder")
    from site_builder.preview.outdir import OutDirTaken
    from site_builder.preview.run import run_preview

    try:
        run_preview(
            export=export,
            out=out,
            state_dir=state_dir,
            host=host,
            port=port,
            theme=theme,
            quiet=quiet_ms / 1000,
            say=_say,
        )
    except (OutDirTaken, PermissionError, ValueError) as exc:
        _fail(str(exc))
