"""`site-builder inbox EXPORT`: take the families' sealed replies out of the key service's spool.

Opens each with its school unit's private key, checks the sender against the export's register
(a custodian of that child, or the student), writes it as Markdown into the replies folder the
build reads (default <state-dir>/replies, outside the export) and a printable overview per group.
Running it twice writes nothing twice. Exit status 1 when a reply was refused or must wait.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from site_builder.export.replies import REPLIES_DIR
from site_builder.fp1.schoolkeys import SCHOOL_KEYS_DIR


@click.command("inbox")
@click.argument("export_root", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--state-dir", default=".site-builder", type=click.Path(path_type=Path), show_default=True
)
@click.option(
    "--spool",
    type=click.Path(path_type=Path, file_okay=False),
    help="The key service's spool [default: <state-dir>/spool].",
)
@click.option(
    "--replies",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where the replies are written [default: <state-dir>/replies; the build reads it there].",
)
def command(export_root: Path, state_dir: Path, spool: Path | None, replies: Path | None) -> None:
    """Decrypt the families' replies into Markdown for the teachers (see docs/staff.md)."""
    from site_builder.export.loader import ExportInvalid, load_export
    from site_builder.export.replies import load_replies
    from site_builder.fp1 import MasterKey
    from site_builder.inbox.overview import write_overviews
    from site_builder.inbox.take_in import take_in
    from site_builder.keyservice.spool import Spool
    from site_builder.pipeline.state.keystore import MASTER_FILE

    replies_dir = replies or state_dir / REPLIES_DIR
    if replies_dir.resolve().is_relative_to(export_root.resolve()):
        click.echo(
            f"error: {replies_dir} is inside the export (a new export would wipe it); "
            "fix: use the default or another --replies",
            err=True,
        )
        sys.exit(2)
    try:
        master = MasterKey.load(state_dir / MASTER_FILE)
    except FileNotFoundError:
        click.echo(f"error: no master key at {state_dir / MASTER_FILE}; fix: --state-dir", err=True)
        sys.exit(1)
    except (PermissionError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    try:
        export = load_export(export_root).export
    except ExportInvalid as exc:
        click.echo(f"{export_root}: {len(exc.problems)} problem(s):", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    try:
        result = take_in(
            export=export,
            master=master,
            spool=Spool(spool or state_dir / "spool"),
            replies_dir=replies_dir,
            keys_dir=state_dir / SCHOOL_KEYS_DIR,
        )
        loaded, problems = load_replies(replies_dir)
        pages = write_overviews(export=export, replies=loaded, replies_dir=replies_dir)
    except OSError as exc:  # a full disk, a folder it may not write: safe to run again
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(
            f"error: {where}{exc.strerror or exc}; nothing is lost (a reply leaves the spool "
            "only once its Markdown is written); fix: free space or the folder's permissions "
            "(--replies, --spool), then run inbox again",
            err=True,
        )
        sys.exit(1)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    for name in result.written:
        click.echo(f"wrote {replies_dir / name}")
    for page in pages:
        click.echo(f"wrote {replies_dir / page}")
    for line in result.waiting:
        click.echo(f"waiting: {line}", err=True)
    for line in result.refused:
        click.echo(f"refused (kept in the spool's .refused/): {line}", err=True)
    click.echo(
        f"{len(result.written)} new repl{'y' if len(result.written) == 1 else 'ies'}, "
        f"{len(result.refused)} refused, {len(result.waiting)} waiting"
        + (f", {result.marked} already written" if result.marked else "")
    )
    if result.refused or result.waiting or problems:
        sys.exit(1)
