"""`site-builder verify ARCHIVE --keys keys.json`: is a family archive what the municipality
published? Needs no master key and no network: only the public key list (keys.json on the site,
or keys/signing-keys.json in the state dir). Exit 0: all genuine; 1: something missing or
changed; 2: the archive or the key list cannot be read."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from site_builder.fp1.archive import ArchiveError, Report, verify_archive


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _print(report: Report) -> None:
    click.echo(f"child: {report.given_name} ({report.child})")
    for term in report.terms:
        head = f"term {term.term or '?'} (snapshot {term.seq}): "
        if term.problem.startswith("missing:"):
            click.echo(head + f"MISSING — {term.problem.removeprefix('missing: ')}")
        elif term.problem:
            click.echo(head + f"NOT GENUINE — {term.problem}")
        elif term.note:
            click.echo(head + f"not in the archive, rightly — {term.note}")
        else:
            click.echo(head + f"signed by key {term.signed_by} on {term.signed_on}")
        for label, names in (
            ("genuine", term.genuine),
            ("missing", term.missing),
            ("changed", term.changed),
        ):
            for name in names:
                click.echo(f"  {label}: {name}")
    click.echo(f"term list: {report.term_list}")
    for name in report.unsigned:
        what = "a PDF rendering" if name.endswith(".pdf") else "made"
        click.echo(f"  not signed ({what} on the device from the files above): {name}")
    verdict = "GENUINE: every signed file is as the municipality published it"
    click.echo(verdict if report.ok else "NOT GENUINE: see the missing and changed files above")


@click.command("verify")
@click.argument("archive", type=click.Path(path_type=Path))
@click.option(
    "--keys",
    "keys_path",
    type=click.Path(path_type=Path),
    default=Path(".site-builder/keys/signing-keys.json"),
    show_default=True,
    help="The municipality's public key list (keys.json from its site).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def command(archive: Path, keys_path: Path, as_json: bool) -> None:
    """Check a family archive ("Ladda ner arkiv") against the municipality's public keys."""
    try:
        key_list = json.loads(keys_path.read_text(encoding="utf-8"))
        if not isinstance(key_list, dict) or not isinstance(key_list.get("keys"), list):
            raise ValueError('expected {"keys": [...]}')
    except (OSError, ValueError) as exc:
        _fail(f"{keys_path}: not a key list ({exc}); fix: pass --keys with keys.json from the site")
    try:
        report = verify_archive(archive.read_bytes(), key_list=key_list)
    except OSError as exc:
        _fail(f"{archive}: cannot read ({exc.strerror})")
    except ArchiveError as exc:
        _fail(f"{archive}: {exc}")
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
    else:
        _print(report)
    sys.exit(0 if report.ok else 1)
