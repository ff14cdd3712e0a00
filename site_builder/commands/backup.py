"""`site-builder backup` and `site-builder restore`: what a rebuilt machine needs to continue
the published site without any device raising the tamper alarm.

A backup is one tar.gz (mode 0600: it holds the master key) of
    state/keys/          master.key (and retired.key, mid-rotation)
    state/state.bin      the build state: blob keys, retained snapshots, keyring hashes
    site/                the live snapshot directory (its keyrings and blobs, earlier terms')
The render and image caches are left out (rebuilt by the next build).

`restore` puts them back and, given the live site's latest.json (`--live`, a path or URL),
moves the build state's sequence past it: the next build publishes a snapshot newer than any a
device has seen, carrying the backup's earlier terms.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tarfile
import tempfile
from pathlib import Path

import click

from site_builder.pipeline.publish.snapshot import LayoutError, SiteLayout
from site_builder.pipeline.state.build_state import STATE_FILE, StateError, load_state
from site_builder.pipeline.state.keystore import MASTER_FILE, KeyMissing, load_keys

SKIPPED = ("render", "images")  # caches: the next build makes them again
_out = click.option(
    "--out",
    default="build/site",
    type=click.Path(path_type=Path),
    show_default=True,
    help="The published site's link (what `build --out` names).",
)
_state_dir = click.option(
    "--state-dir", default=".site-builder", type=click.Path(path_type=Path), show_default=True
)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.command("backup")
@click.argument("archive", type=click.Path(path_type=Path))
@_out
@_state_dir
def backup(archive: Path, out: Path, state_dir: Path) -> None:
    """Write ARCHIVE (.tar.gz, mode 0600): the keys, the build state and the live snapshot."""
    if archive.exists():
        _fail(f"{archive} exists; give a new file name (a backup never overwrites one)")
    if not (state_dir / MASTER_FILE).is_file():
        _fail(f"no master key at {state_dir / MASTER_FILE}; nothing to back up")
    try:
        live = SiteLayout(out).live()
    except LayoutError as exc:
        _fail(str(exc))
        return
    if live is None:
        _fail(f"{out} is not a published site; run `site-builder build` first")
        return

    def no_caches(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        parts = Path(info.name).parts
        return None if len(parts) > 1 and parts[0] == "state" and parts[1] in SKIPPED else info

    archive.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=archive.parent, prefix="." + archive.name + ".")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(state_dir, arcname="state", filter=no_caches)
            tar.add(live, arcname="site")
        os.replace(tmp, archive)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    seq = json.loads((live / "latest.json").read_text(encoding="utf-8")).get("seq")
    click.echo(
        f"backed up snapshot {seq}, the keys and the build state to {archive} (mode 0600); it "
        "holds the master key: keep it encrypted and off this machine"
    )


def _live_seq(source: str) -> int:
    """`seq` of a latest.json given as a path, a site folder or an http(s) URL."""
    if source.startswith(("https://", "http://")):
        import httpx

        url = source if source.endswith(".json") else source.rstrip("/") + "/latest.json"
        try:
            answer = httpx.get(url, timeout=15.0, follow_redirects=True)
            answer.raise_for_status()
            latest = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ValueError(f"--live {url}: {exc}") from None
    else:
        path = Path(source)
        path = path / "latest.json" if path.is_dir() else path
        try:
            latest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"--live {path}: {exc}") from None
    seq = latest.get("seq") if isinstance(latest, dict) else None
    if not isinstance(seq, int) or seq < 0:
        raise ValueError(f"--live {source}: no `seq` in latest.json")
    return seq


@click.command("restore")
@click.argument("archive", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_out
@_state_dir
@click.option(
    "--live",
    "live_source",
    help="The live site's latest.json (URL, file or folder): continue its sequence.",
)
def restore(archive: Path, out: Path, state_dir: Path, live_source: str | None) -> None:
    """Restore ARCHIVE into --state-dir and --out; then run `site-builder build`."""
    if state_dir.exists() and any(state_dir.iterdir()):
        _fail(f"{state_dir} is not empty; restore into a new state dir (nothing is overwritten)")
    if out.exists() or out.is_symlink():
        _fail(f"{out} exists; restore next to it, or move it away first")
    try:
        live_seq = _live_seq(live_source) if live_source else None
    except ValueError as exc:
        _fail(str(exc))
        return
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            names = tar.getnames()
            if "state/" + str(MASTER_FILE) not in names or "site/latest.json" not in names:
                _fail(f"{archive}: not a site-builder backup (no keys or no site)")
            backup_seq = int(json.load(io.BytesIO(_read(tar, "site/latest.json")))["seq"])
            layout = SiteLayout(out)
            staging = Path(tempfile.mkdtemp(dir=_parent(out), prefix=".restore-"))
            tar.extractall(staging, filter="data")
    except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
        _fail(f"{archive}: unreadable backup ({exc})")
        return
    state_dir.parent.mkdir(parents=True, exist_ok=True)
    os.rename(staging / "state", state_dir)
    (state_dir / "keys").chmod(0o700)
    for key in (state_dir / "keys").iterdir():
        key.chmod(0o600)
    layout.publish(staging / "site", seq=backup_seq)
    staging.rmdir()
    (state_dir / "last-build.json").unlink(missing_ok=True)  # the no-op stamp is of another site
    message = f"restored snapshot {backup_seq} into {out} and the state into {state_dir}"
    if live_seq is not None and live_seq > backup_seq:
        _continue_after(state_dir, live_seq)
        message += (
            f"; the next build publishes snapshot {live_seq + 1} (the live site had {live_seq})"
        )
    elif live_seq is None:
        message += (
            "; without --live the next build numbers on from the backup: a device that saw a "
            "later snapshot will show the tamper alarm"
        )
    click.echo(message + ". Now run `site-builder build`.")


def _read(tar: tarfile.TarFile, name: str) -> bytes:
    member = tar.extractfile(name)
    if member is None:
        raise KeyError(name)
    return member.read()


def _parent(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    return out.parent


def _continue_after(state_dir: Path, live_seq: int) -> None:
    """Move the build state's seq to the live site's: the next snapshot is `live_seq + 1`."""
    from site_builder.pipeline.state.build_state import save_state

    try:
        keys = load_keys(state_dir)
        state = load_state(state_dir, keys=keys.all)
    except (KeyMissing, StateError, PermissionError, ValueError) as exc:
        _fail(f"{state_dir / STATE_FILE}: {exc}")
        return
    state.seq = max(state.seq, live_seq)
    save_state(state_dir, state, master=keys.master)
