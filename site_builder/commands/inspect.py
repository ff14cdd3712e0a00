"""`site-builder inspect --pnr N`: what one person can read in each published snapshot.

For support staff ("I can't see my child"): uses the master key to derive the person's rid and
opens their keyring in every snapshot listed in latest.json. Prints given names and counts only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from site_builder.fp1 import (
    BlobError,
    b64u_decode,
    keyring_blob_id,
    open_json,
    reader_id,
    reader_key,
    subject_for_eppn,
    subject_for_pnr,
)
from site_builder.pipeline.publish.retained import REVOKED_DIR
from site_builder.pipeline.state.keystore import KeyMissing, load_keys

NO_KEYRING_REASONS = (
    "not a reader in the register at that build: no guardian relation the access policy allows "
    "(e.g. a parent without custody), the child has a protected identity, the child is too young "
    "to read their own documentation, or the number is mistyped"
)


def _bundle_counts(site: Path, keyring: dict[str, Any], child: dict[str, Any]) -> str:
    entry = next((b for b in keyring["blobs"] if b["id"] == child["bundle"]), None)
    if entry is None:
        return "bundle missing from keyring"
    try:
        data = (site / entry["path"]).read_bytes()
        bundle = open_json(data, key=b64u_decode(entry["key"]), kind="child", blob_id=entry["id"])
    except (OSError, BlobError) as exc:
        return f"bundle unreadable ({exc})"
    return (
        f"{len(bundle['larlogg'])} posts, IUP {'yes' if bundle['iup'] else 'no'}, "
        f"{len(bundle['omdomen'])} assessments, talk {'yes' if bundle['samtal'] else 'no'}, "
        f"{len(bundle['plans'])} plans"
    )


@click.command("inspect")
@click.option("--pnr", default=None, help="12-digit personnummer or samordningsnummer.")
@click.option("--eppn", default=None, help="A student's school login (eduPersonPrincipalName).")
@click.option("--out", default="build/site", type=click.Path(path_type=Path), show_default=True)
@click.option(
    "--state-dir", default=".site-builder", type=click.Path(path_type=Path), show_default=True
)
def command(pnr: str | None, eppn: str | None, out: Path, state_dir: Path) -> None:
    """Show what a guardian or student can read in each published snapshot."""
    try:
        subject = subject_for_pnr(pnr) if pnr else subject_for_eppn(eppn or "")
        master = load_keys(state_dir).master
        latest = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    except (ValueError, KeyMissing, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    rid = reader_id(master, subject)
    click.echo(f"reader id (rid): {rid}")
    for snap in latest["snapshots"]:
        seq, epoch = int(snap["seq"]), str(snap["epoch"])
        title = f"snapshot {seq} ({snap['term']}, published {snap['published']})"
        path = out / "s" / str(seq) / "k" / f"{rid}.bin"
        if not path.is_file():
            if (state_dir / REVOKED_DIR / str(seq) / f"{rid}.bin").is_file():
                click.echo(
                    f"{title}: no keyring: revoked when an export no longer named this reader; "
                    "kept unpublished, it returns at the next build whose register names them "
                    "as a reader again"
                )
                continue
            click.echo(f"{title}: no keyring: reads nothing — likely {NO_KEYRING_REASONS}")
            continue
        try:
            keyring = open_json(
                path.read_bytes(),
                key=reader_key(master, epoch=epoch, rid=rid),
                kind="keyring",
                blob_id=keyring_blob_id(rid, seq),
            )
        except BlobError as exc:
            click.echo(f"{title}: keyring does not open ({exc}): the file was altered")
            continue
        click.echo(f"{title}: role {keyring['role']}, {len(keyring['children'])} child(ren)")
        for child in keyring["children"]:
            click.echo(f"  {child['givenName']}: {_bundle_counts(out, keyring, child)}")
