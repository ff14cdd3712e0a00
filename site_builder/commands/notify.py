"""`site-builder notify [EXPORT]`: tell the readers whose documentation changed, by e-mail (and
Web Push), if they turned notices on in the app (docs/notify.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

EX_TEMPFAIL = 75  # sysexits.h: some notices wait for the next run


@click.command("notify")
@click.argument(
    "export", required=False, default="content/example", type=click.Path(path_type=Path)
)
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(path_type=Path),
    help="notify.toml: the app's URL, SMTP relay and push settings (docs/notify.md).",
)
@click.option(
    "--state-dir", default=".site-builder", type=click.Path(path_type=Path), show_default=True
)
@click.option("--dry-run", is_flag=True, help="Say what would be sent (by rid, no addresses).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def command(export: Path, config_path: Path, state_dir: Path, dry_run: bool, as_json: bool) -> None:
    """Send one short notice to each consenting reader whose documentation changed since the
    last run. Run it after every build; a run that stopped half-way is finished by the next."""
    from site_builder.notify.config import NotifyConfigError, load_notify_config
    from site_builder.notify.consent import ConsentStoreError
    from site_builder.notify.run import NotifyInputError, notify
    from site_builder.pipeline.state.build_state import StateError
    from site_builder.pipeline.state.keystore import KeyMissing, load_keys

    try:
        config = load_notify_config(config_path)
        keys = load_keys(state_dir)
        summary = notify(
            export=export,
            state_dir=state_dir,
            keys=keys,
            config=config,
            dry_run=dry_run,
            progress=sys.stderr.isatty() and not as_json,
            say=lambda m: click.echo(m, err=True),
        )
    except (
        NotifyConfigError,
        NotifyInputError,
        ConsentStoreError,
        KeyMissing,
        StateError,
        PermissionError,
    ) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(summary.as_json(), indent=1) if as_json else summary.to_text())
    if summary.stopped or summary.postponed:
        sys.exit(EX_TEMPFAIL)
