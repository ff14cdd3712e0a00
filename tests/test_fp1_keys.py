"""The master key's file and environment forms: round trips, permissions, and a repr that never
shows the secret; the subjects a person is known by, written as the register and the login give
them, each leading to the one rid (docs/fp1.md "Keys")."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.fp1 import MasterKey, reader_id, subject_for_eppn, subject_for_pnr
from site_builder.fp1.keys import MASTER_KEY_ENV, MasterKeyConflict

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "vectors" / "fp1.json").read_text(encoding="utf-8")
)
VECTOR_MASTER = MasterKey.from_b64u(VECTORS["master_key"])


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
    with pytest.raises(ValueError, match=r"^the master key must be exactly 32 bytes$"):
        MasterKey(bytes(31))


def test_the_key_file_is_never_readable_by_others_even_while_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is created 0600, not chmod-ed afterwards: under a permissive umask another user
    could otherwise open it between its creation and the chmod and read the key later."""
    modes: list[int] = []
    fdopen = os.fdopen

    def spy(fd: int, *args: Any, **kwargs: Any) -> Any:
        modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", spy)
    old_umask = os.umask(0)
    try:
        MasterKey.generate().write(tmp_path / "master.key")
    finally:
        os.umask(old_umask)
    assert modes == [0o600]


@pytest.mark.parametrize(
    "written",
    ["191212121212", "19121212-1212", "19121212+1212"],
)
def test_a_personal_identity_number_is_one_subject_however_it_is_written(written: str) -> None:
    """The register, the e-ID's claim and support staff write it with or without the hyphen
    (or the "+" of someone over 100): the same person must get the same rid, or a guardian
    finds no keyring."""
    assert subject_for_pnr(written) == "pnr:191212121212" == VECTORS["readers"][0]["subject"]
    assert reader_id(VECTOR_MASTER, subject_for_pnr(written)) == VECTORS["readers"][0]["rid"]


@pytest.mark.parametrize(
    "written",
    ["elev.exempel@skola.example", " Elev.Exempel@SKOLA.example\n", "ELEV.EXEMPEL@SKOLA.EXAMPLE"],
)
def test_a_school_login_is_one_subject_whatever_its_case(written: str) -> None:
    assert subject_for_eppn(written) == "eppn:elev.exempel@skola.example"
    assert subject_for_eppn(written) == VECTORS["readers"][2]["subject"]
    assert reader_id(VECTOR_MASTER, subject_for_eppn(written)) == VECTORS["readers"][2]["rid"]


@pytest.mark.parametrize(
    "written", ["19121212121", "1912121212123", "19121212121a", "1912121212-", "19121212 1212", ""]
)
def test_a_number_without_exactly_12_digits_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match=r"^a personal identity number must have 12 digits$"):
        subject_for_pnr(written)


@pytest.mark.parametrize("written", ["elev.exempel", "", "  "])
def test_a_school_login_without_a_domain_is_refused(written: str) -> None:
    with pytest.raises(
        ValueError, match=r"^an eduPersonPrincipalName looks like user@school\.example$"
    ):
        subject_for_eppn(written)


def test_inspect_says_what_is_wrong_with_the_number_or_the_key_file(tmp_path: Path) -> None:
    """Support staff see the reason, not a traceback: a mistyped number, a login without its
    domain, a truncated master key file."""
    (tmp_path / "keys").mkdir()
    key_file = tmp_path / "keys" / "master.key"
    key_file.write_bytes(bytes(31))
    key_file.chmod(0o600)
    cases = {
        ("--pnr", "19121212-121"): "error: a personal identity number must have 12 digits\n",
        ("--eppn", "elev"): "error: an eduPersonPrincipalName looks like user@school.example\n",
        ("--pnr", "19121212-1212"): "error: the master key must be exactly 32 bytes\n",
    }
    for args, message in cases.items():
        result = CliRunner().invoke(
            main, ["inspect", *args, "--state-dir", str(tmp_path)], env={MASTER_KEY_ENV: ""}
        )
        assert (result.exit_code, result.stderr) == (1, message)
