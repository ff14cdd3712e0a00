"""`site-builder keys init|rotate` and `site-builder inspect`."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from site_builder.cli import main
from site_builder.pipeline.state.keystore import MASTER_FILE, RETIRED_FILE
from tests.build.conftest import Workspace
from tests.build.scratch import PNR


def test_keys_init_creates_0600_and_never_overwrites(tmp_path: Path) -> None:
    runner = CliRunner()
    state = str(tmp_path / "state")
    first = runner.invoke(main, ["keys", "init", "--state-dir", state])
    assert first.exit_code == 0, first.output
    key_file = tmp_path / "state" / MASTER_FILE
    secret = key_file.read_bytes()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(secret) == 32
    again = runner.invoke(main, ["keys", "init", "--state-dir", state])
    assert again.exit_code == 1 and "exists" in again.output
    quiet = runner.invoke(main, ["keys", "init", "--state-dir", state, "--if-missing"])
    assert quiet.exit_code == 0 and key_file.read_bytes() == secret
    forced = runner.invoke(main, ["keys", "init", "--state-dir", state, "--force"])
    assert forced.exit_code == 0 and key_file.read_bytes() != secret


def test_rotation_reseals_retained_snapshots_under_new_rids(workspace: Workspace) -> None:
    workspace.build()
    workspace.scratch.config.update(term="VT2027", published=date(2027, 5, 30))
    old_rid = workspace.rid("anna")
    result = CliRunner().invoke(main, ["keys", "rotate", "--state-dir", str(workspace.state_dir)])
    assert result.exit_code == 0, result.output
    assert (workspace.state_dir / RETIRED_FILE).exists()
    summary = workspace.build()
    new_rid = workspace.rid("anna")
    assert new_rid != old_rid
    assert summary.snapshots == [2, 1]
    assert not (workspace.out / f"s/1/k/{old_rid}.bin").exists()
    old_snapshot = workspace.keyring("anna", seq=1)  # opens with the new key and rid
    assert old_snapshot["reader"] == new_rid and old_snapshot["snapshot"]["seq"] == 1
    assert workspace.open_entry(old_snapshot["blobs"][0])["child"]["givenName"] == "Åsa"
    assert not (workspace.state_dir / RETIRED_FILE).exists()
    assert workspace.build().blobs_sealed == 0  # the state still opens after the rotation


def test_inspect_shows_what_a_guardian_reads(workspace: Workspace) -> None:
    workspace.build()
    args = ["--out", str(workspace.out), "--state-dir", str(workspace.state_dir)]
    runner = CliRunner()
    anna = runner.invoke(main, ["inspect", "--pnr", PNR["anna"], *args])
    assert anna.exit_code == 0, anna.output
    assert "Åsa: 2 posts" in anna.output and workspace.rid("anna") in anna.output
    alf = runner.invoke(main, ["inspect", "--pnr", PNR["alf"], *args])
    assert "no keyring: reads nothing" in alf.output and "custody" in alf.output
    bad = runner.invoke(main, ["inspect", "--pnr", "123", *args])
    assert bad.exit_code == 1 and "12 digits" in bad.output
