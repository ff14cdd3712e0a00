"""`site-builder keys init|rotate|rotate-signing|show`: the master key and the Ed25519 signing
key in <state-dir>/keys/ (mode 0600), and the public key list beside them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from site_builder.fp1 import MasterKey, b64u_decode
from site_builder.fp1.keys import MASTER_KEY_ENV
from site_builder.fp1.schoolkeys import SCHOOL_KEYS_DIR, SchoolKeyError, create_school_key
from site_builder.fp1.sign import fingerprint
from site_builder.pipeline.state.keystore import MASTER_FILE, RETIRED_FILE, utc_today
from site_builder.pipeline.state.signing import (
    SIGNING_FILE,
    SigningKeyError,
    new_signing_key,
    read_key_list,
)

_state_dir = click.option(
    "--state-dir", default=".site-builder", type=click.Path(path_type=Path), show_default=True
)


@click.group("keys")
def command() -> None:
    """Create or rotate the master key every reader key derives from."""


@command.command("init")
@_state_dir
@click.option("--force", is_flag=True, help="Replace an existing key (every reader loses access).")
@click.option("--if-missing", is_flag=True, help="Do nothing when a key exists already.")
def init(state_dir: Path, force: bool, if_missing: bool) -> None:
    """Create <state-dir>/keys/master.key; never overwrites one without --force."""
    path = state_dir / MASTER_FILE
    if not (state_dir / SIGNING_FILE).exists():
        kid = new_signing_key(state_dir, today=utc_today())
        click.echo(f"created signing key {state_dir / SIGNING_FILE} (mode 0600), key id {kid}")
    if path.exists() and not force:
        if if_missing:
            click.echo(f"master key exists: {path}")
            return
        click.echo(f"error: {path} exists; use `keys rotate` (or --force to discard it)", err=True)
        sys.exit(1)
    MasterKey.generate().write(path, force=force)
    click.echo(f"created master key {path} (mode 0600); keep a backup somewhere safe")


@command.command("rotate")
@_state_dir
def rotate(state_dir: Path) -> None:
    """Start a new key epoch: a new master key; the next build re-seals earlier snapshots.

    The old key is kept as keys/retired.key until the next build has re-sealed every retained
    snapshot's keyrings under the new key (rids change); that build then deletes it.
    """
    path, retired = state_dir / MASTER_FILE, state_dir / RETIRED_FILE
    if os.environ.get(MASTER_KEY_ENV):
        # The variable overrides nothing silently any more (MasterKey.load refuses a conflict),
        # but rotating under it would leave every later command refusing: stop before.
        click.echo(
            f"error: {MASTER_KEY_ENV} is set; rotation writes a new key file that the variable "
            f"would contradict. Unset it (everywhere: shell, systemd units) and keep the key in "
            f"{path} only, then run `keys rotate` again",
            err=True,
        )
        sys.exit(1)
    if not path.exists():
        click.echo(f"error: no master key at {path}; run: site-builder keys init", err=True)
        sys.exit(1)
    if retired.exists():
        click.echo(
            f"error: {retired} is still waiting for a build; run `site-builder build` first",
            err=True,
        )
        sys.exit(1)
    MasterKey.load(path, env={})  # refuses a key file readable by others
    os.replace(path, retired)
    MasterKey.generate().write(path)
    click.echo(
        f"new master key {path}; the old one is {retired} until the next build re-seals the "
        "retained snapshots. Give the key-release service the new key when you publish that build."
    )


def _export_units(export_root: Path) -> list[str]:
    from site_builder.export.files import ExportFiles
    from site_builder.export.top_level import load_config

    config = load_config(ExportFiles(root=export_root.resolve(), max_bytes=10_000_000))
    if isinstance(config, list):
        for problem in config:
            click.echo(f"error: {problem}", err=True)
        sys.exit(1)
    return [unit.code for unit in config.school_units]


@command.command("school")
@_state_dir
@click.option("--unit", "units", multiple=True, help="School unit code (8 digits); repeatable.")
@click.option(
    "--export",
    "export_root",
    type=click.Path(path_type=Path, file_okay=False),
    help="Make a key for every school unit in this export's export.toml.",
)
def school(state_dir: Path, units: tuple[str, ...], export_root: Path | None) -> None:
    """Make the school units' reply key pairs in <state-dir>/school-keys/ (private keys 0600).

    Families' replies are sealed to a unit's public key (it travels in the child bundles from the
    next build); only `site-builder inbox` with the private key opens them. Existing keys are kept;
    a missing or damaged .pub.json is written again from the unit's private key.
    """
    wanted = list(units)
    if export_root is not None:
        wanted += _export_units(export_root)
    if not wanted:
        click.echo("error: name a unit (--unit 12345678) or an export (--export DIR)", err=True)
        sys.exit(2)
    keys_dir = state_dir / SCHOOL_KEYS_DIR
    for root in [export_root] if export_root else []:
        if keys_dir.resolve().is_relative_to(root.resolve()):
            click.echo(f"error: {keys_dir} is inside the export; use --state-dir", err=True)
            sys.exit(2)
    for unit in dict.fromkeys(wanted):
        if not (len(unit) == 8 and unit.isdigit()):
            click.echo(f"error: --unit {unit!r}: a school unit code is 8 digits", err=True)
            sys.exit(2)
        try:
            made = create_school_key(keys_dir, unit)
        except SchoolKeyError as exc:  # an existing key that cannot be kept as it is
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        state = "created" if made else "kept existing"
        click.echo(f"{state} {keys_dir / unit}.key (mode 0600) and {unit}.pub.json")
    click.echo("keep a backup of the .key files; the next build gives families the public keys")


@command.command("rotate-signing")
@_state_dir
def rotate_signing(state_dir: Path) -> None:
    """A new Ed25519 signing key; the old one stays in the public key list (valid until today),
    so archives and snapshots it signed still verify."""
    try:
        kid = new_signing_key(state_dir, today=utc_today())
    except SigningKeyError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"new signing key {kid}; the next build publishes it (keys.json and the app)")


@command.command("show")
@_state_dir
def show(state_dir: Path) -> None:
    """The public signing keys with their fingerprints (what the app's help shows)."""
    try:
        key_list = read_key_list(state_dir)
    except SigningKeyError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not key_list["keys"]:
        click.echo("no signing key yet; run: site-builder keys init")
    for entry in key_list["keys"]:
        until = entry.get("until") or "now"
        fp = fingerprint(b64u_decode(entry["public"]))
        click.echo(f"{entry['kid']}  {fp}  {entry['from']} – {until}")
