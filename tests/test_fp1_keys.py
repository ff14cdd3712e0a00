"""The master key's file and environment forms: round trips, permissions, and a repr that never
shows the secret."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from site_builder.fp1 import MasterKey
from site_builder.fp1.keys import MASTER_KEY_ENV, MasterKeyConflict


def test_the_key_round_trips_through_its_text_form_and_its_file(tmp_path: Path) -> None:
    key = MasterKey.generate()
    assert MasterKey.from_b64u(key.to_b64u()) == key
    assert MasterKey.from_b64u(f"  {key.to_b64u()}\n") == key  # pasted with whitespace
    assert len(key.to_b64u()) == 43 and "=" not in key.to_b64u()
    path = tmp_path / "keys" / "master.key"
    key.write(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert MasterKey.load(path, env={}) == key
    assert MasterKey.load(path, env={MASTER_KEY_ENV: key.to_b64u()}) == key
    assert MasterKey.load(path, env={MASTER_KEY_ENV: ""}) == key
    assert MasterKey.load(tmp_path / "none.key", env={MASTER_KEY_ENV: key.to_b64u()}) == key
    with pytest.raises(MasterKeyConflict):  # an env key that differs from the file is refused
        MasterKey.load(path, env={MASTER_KEY_ENV: MasterKey.generate().to_b64u()})


def test_an_existing_key_file_is_kept_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    first, second = MasterKey.generate(), MasterKey.generate()
    first.write(path)
    with pytest.raises(FileExistsError):
        second.write(path)
    assert MasterKey.load(path, env={}) == first
    second.write(path, force=True)
    assert MasterKey.load(path, env={}) == second


def test_a_key_file_others_may_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    MasterKey.generate().write(path)
    for mode in (0o640, 0o604, 0o610):
        os.chmod(path, mode)
        with pytest.raises(PermissionError, match="chmod 600"):
            MasterKey.load(path, env={})


def test_the_secret_never_shows_in_repr() -> None:
    key = MasterKey.generate()
    assert repr(key) == "MasterKey(<secret>)" and key.to_b64u() not in repr(key)
    with pytest.raises(ValueError, match="exactly 32 bytes"):
        MasterKey(bytes(31))
