"""`site-builder backup` / `restore` (issue 18): a machine rebuilt from a backup older than the
live site continues the live sequence (no device that saw a later snapshot sees an older one),
and the backup's earlier terms stay readable."""

from __future__ import annotations

import shutil
import stat
import tarfile
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from site_builder.cli import main
from tests.build.conftest import Workspace


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"SITE_BUILDER_MASTER_KEY": ""})
    assert result.exit_code == 0, result.output
    return result.output


def _disaster(workspace: Workspace, tmp_path: Path) -> tuple[Path, Path]:
    """Backup at snapshot 1 (HT2026); the site goes on to 3 (VT2027); the machine is lost but
    the public latest.json (the CDN's copy) survives. Returns (backup, latest.json copy)."""
    workspace.build()
    archive = tmp_path / "backups" / "site-builder.tar.gz"
    _cli(
        "backup", str(archive), "--out", str(workspace.out), "--state-dir", str(workspace.state_dir)
    )
    workspace.scratch.config.update(term="VT2027", published=date(2027, 1, 10))
    workspace.build()
    workspace.scratch.config.update(published=date(2027, 1, 11))
    assert workspace.build().snapshots[0] == 3
    public = tmp_path / "cdn-latest.json"
    shutil.copy(workspace.out / "latest.json", public)
    shutil.rmtree(workspace.state_dir)
    shutil.rmtree(workspace.out.parent)
    return archive, public


def test_backup_holds_keys_state_and_site_and_is_private(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.build()
    archive = tmp_path / "b.tar.gz"
    _cli(
        "backup", str(archive), "--out", str(workspace.out), "--state-dir", str(workspace.state_dir)
    )
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"state/keys/master.key", "state/state.bin", "site/latest.json"} <= names
    assert not any(n.startswith(("state/render/", "state/images/")) for n in names)
    again = CliRunner().invoke(main, ["backup", str(archive), "--out", str(workspace.out)])
    assert again.exit_code == 1 and "exists" in again.output


def test_restore_continues_the_live_sequence_and_keeps_earlier_terms(
    workspace: Workspace, tmp_path: Path
) -> None:
    archive, public = _disaster(workspace, tmp_path)
    args = ["--out", str(workspace.out), "--state-dir", str(workspace.state_dir)]
    said = _cli("restore", str(archive), *args, "--live", str(public))
    assert "the next build publishes snapshot 4" in said
    summary = workspace.build()
    assert summary.snapshots == [4, 1]  # newer than anything a device saw; HT2026 carried
    latest = workspace.latest()
    assert latest["seq"] == 4 and latest["term"] == "VT2027"
    assert [s["term"] for s in latest["snapshots"]] == ["VT2027", "HT2026"]
    earlier = workspace.keyring("anna", seq=1)
    assert workspace.open_entry(earlier["blobs"][0])["child"]["givenName"] == "Åsa"
    again = CliRunner().invoke(main, ["restore", str(archive), *args])
    assert again.exit_code == 1 and "not empty" in again.output


def test_restore_without_live_numbers_on_from_the_backup_and_says_so(
    workspace: Workspace, tmp_path: Path
) -> None:
    archive, _ = _disaster(workspace, tmp_path)
    args = ["--out", str(workspace.out), "--state-dir", str(workspace.state_dir)]
    assert "tamper alarm" in _cli("restore", str(archive), *args)
    assert workspace.build().snapshots[0] == 2  # below 3: why --live matters


def test_restore_refuses_a_bad_live_source(workspace: Workspace, tmp_path: Path) -> None:
    archive, _ = _disaster(workspace, tmp_path)
    args = ["--out", str(workspace.out), "--state-dir", str(workspace.state_dir)]
    result = CliRunner().invoke(
        main, ["restore", str(archive), *args, "--live", str(tmp_path / "nope.json")]
    )
    assert result.exit_code == 1 and "--live" in result.output and "Traceback" not in result.output
    assert not workspace.state_dir.exists() and not workspace.out.exists()  # nothing half-done
