"""Which master key a command uses: SITE_BUILDER_MASTER_KEY and the key file may not disagree
(issue 18: an exported variable silently defeated `keys rotate`), and the published site names
its key generation so `serve` refuses the wrong key at start."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.fp1 import MasterKey, MasterKeyConflict
from site_builder.keyservice.sitekey import key_id
from site_builder.pipeline.state.keystore import MASTER_FILE, RETIRED_FILE
from tests.build.conftest import Workspace

ENV = "SITE_BUILDER_MASTER_KEY"


def test_variable_equal_to_the_file_is_fine_and_a_different_one_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "master.key"
    key = MasterKey.generate()
    key.write(path)
    assert MasterKey.load(path, env={ENV: key.to_b64u()}).secret == key.secret
    with pytest.raises(MasterKeyConflict, match=f"{ENV} differs from .*master.key"):
        MasterKey.load(path, env={ENV: MasterKey.generate().to_b64u()})
    alone = MasterKey.generate()  # no file: the variable is the only source, as before
    assert MasterKey.load(tmp_path / "none", env={ENV: alone.to_b64u()}).secret == alone.secret


def test_build_refuses_a_variable_that_contradicts_the_key_file(workspace: Workspace) -> None:
    args = ["build", str(workspace.scratch.root), "--out", str(workspace.out)]
    args += ["--state-dir", str(workspace.state_dir)]
    env = {ENV: MasterKey.generate().to_b64u()}
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1
    assert f"{ENV} differs from" in result.output and str(MASTER_FILE) in result.output
    assert "Traceback" not in result.output
    assert not workspace.out.exists()  # nothing written
    garbled = CliRunner().invoke(main, args, env={ENV: "not a key"})
    assert garbled.exit_code == 1 and "is not a base64url 32-byte key" in garbled.output


def test_rotate_refuses_while_the_variable_is_set(workspace: Workspace) -> None:
    key_file = workspace.state_dir / MASTER_FILE
    before = key_file.read_bytes()
    env = {ENV: MasterKey(before).to_b64u()}
    args = ["keys", "rotate", "--state-dir", str(workspace.state_dir)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1 and f"{ENV} is set" in result.output
    assert key_file.read_bytes() == before and not (workspace.state_dir / RETIRED_FILE).exists()


def _serve(workspace: Workspace, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Any:
    monkeypatch.setattr("uvicorn.run", lambda app, **_: None)
    args = ["serve", "--out", str(workspace.out), "--state-dir", str(workspace.state_dir)]
    return CliRunner().invoke(main, args, env=env)


def test_latest_json_names_the_key_and_serve_refuses_another(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.build()
    first = workspace.keys.master
    assert workspace.latest()["key_id"] == key_id(first)
    assert _serve(workspace, monkeypatch, {ENV: ""}).exit_code == 0
    old_env = {ENV: first.to_b64u()}
    rotate = ["keys", "rotate", "--state-dir", str(workspace.state_dir)]
    assert CliRunner().invoke(main, rotate, env={ENV: ""}).exit_code == 0
    # Rotated, not yet built: the service starts with the new key and the retired one (overlap).
    assert _serve(workspace, monkeypatch, {ENV: ""}).exit_code == 0
    workspace.build()
    rotated = workspace.keys.master
    assert workspace.latest()["key_id"] == key_id(rotated) != key_id(first)
    published = json.dumps(workspace.latest())
    assert first.to_b64u() not in published and rotated.to_b64u() not in published
    # The service restarted with the old key in another state dir (the variable alone):
    (workspace.state_dir / MASTER_FILE).unlink()
    refused = _serve(workspace, monkeypatch, old_env)
    assert refused.exit_code == 1
    assert "does not match the published site" in refused.output
    assert "Traceback" not in refused.output
    assert _serve(workspace, monkeypatch, {ENV: rotated.to_b64u()}).exit_code == 0
