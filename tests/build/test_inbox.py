"""`site-builder inbox` against a real spool and the example export: replies open with the
school key into Markdown outside the export, a second run writes nothing, and every bad input
(no custody, forged, garbage, another unit, a missing school key) is refused clearly, logged
without personal data and kept — nothing lost, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from site_builder.cli import main
from site_builder.export.replies import load_replies
from site_builder.fp1 import MasterKey, b64u_encode, pseudonym_key, reader_id, subject_for_pnr
from site_builder.fp1.reply import ReplyContext, seal_reply
from site_builder.fp1.schoolkeys import create_school_key, load_public_keys
from site_builder.fp1.wrap import public_key_from_jwk
from site_builder.keyservice.spool import Spool
from site_builder.pipeline.plan import ids

EXAMPLE = Path(__file__).resolve().parents[2] / "content" / "example"
CHILD, GUARDIAN_PNR = "p-barn-11", "198509219849"  # Astrid, and Sara (her custodian)
STRANGER_PNR = "198008089875"  # p-vh-09: a parent without custody of anyone
UNIT, TALK = "92345678", "2026-11-20"  # Ekskolan
ANSWER = "Vi undrar över matteläxorna 6612"


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Any]:
    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    state = tmp_path / "state"
    master = MasterKey.generate()
    for unit in ("91234567", "92345678"):
        create_school_key(state / "school-keys", unit)
    return {"export": export, "state": state, "master": master, "spool": Spool(state / "spool")}


def _send(
    s: dict[str, Any],
    *,
    pnr: str = GUARDIAN_PNR,
    unit: str = UNIT,
    text: str = ANSWER,
    sealed_unit: str | None = None,
    reply: str | None = None,
) -> str:
    master: MasterKey = s["master"]
    rid = reader_id(master, subject_for_pnr(pnr))
    child = ids.child_id(pseudonym_key(master), CHILD)
    jwk = load_public_keys(s["state"] / "school-keys")[sealed_unit or unit]
    sealed = seal_reply(
        {"v": 1, "role": "guardian", "answers": [{"q": "Hur trivs barnet?", "a": text}]},
        school=public_key_from_jwk(jwk),
        context=ReplyContext(unit=sealed_unit or unit, rid=rid, child=child, talk=TALK),
    )
    body = reply or b64u_encode(sealed)
    import hashlib

    digest = hashlib.sha256(body.encode()).hexdigest()
    s["spool"].store(rid=rid, digest=digest, unit=unit, child=child, talk=TALK, reply=body)
    return rid


def _inbox(s: dict[str, Any]) -> Result:
    return CliRunner().invoke(
        main,
        ["inbox", str(s["export"]), "--state-dir", str(s["state"])],
        env={"SITE_BUILDER_MASTER_KEY": s["master"].to_b64u()},
    )


def _files(folder: Path) -> dict[str, bytes]:
    return (
        {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        if folder.is_dir()
        else {}
    )


def test_inbox_writes_markdown_once_and_the_overview(setup: dict[str, Any]) -> None:
    _send(setup)
    first = _inbox(setup)
    assert first.exit_code == 0, first.output
    assert "1 new reply, 0 refused, 0 waiting" in first.output
    replies = setup["state"] / "replies"
    written = _files(replies)
    [md] = [n for n in written if n.endswith(".md")]
    assert md.startswith(f"{CHILD}/{TALK}-guardian-")
    assert ANSWER in written[md].decode()
    overview = next(v for n, v in written.items() if n.startswith("oversikt/8C"))
    assert ANSWER in overview.decode() and "Astrid Berg" in overview.decode()
    assert oct((replies / md).stat().st_mode & 0o777) == "0o600"
    loaded, problems = load_replies(replies)
    assert problems == [] and loaded[CHILD][0].front.role == "guardian"
    # The spool keeps no copy to take in twice; a replay of the same reply is refused by it.
    assert setup["spool"].waiting() == []
    again = _inbox(setup)
    assert again.exit_code == 0 and "0 new replies" in again.output
    assert _files(replies) == written


def test_no_custody_forged_garbage_and_other_unit_are_refused_and_kept(
    setup: dict[str, Any],
) -> None:
    _send(setup)  # one good reply among the bad ones is still taken in
    _send(setup, pnr=STRANGER_PNR, text="stranger answer 3141")
    _send(setup, sealed_unit="91234567", text="sealed to another unit's key")
    _send(setup, reply=b64u_encode(b"FP1R\x01" + b"\x00" * 400))
    result = _inbox(setup)
    assert result.exit_code == 1
    assert "1 new reply, 3 refused, 0 waiting" in result.output
    assert "no custody of this child and is not the student" in result.output
    assert result.output.count("does not open with the unit's key") == 2
    refused = setup["state"] / "spool" / ".refused"
    assert len(list(refused.iterdir())) == 3  # kept, not deleted
    # Messages name spool files by short pseudonyms only: no name, no personnummer, no answer.
    for needle in ("Astrid", "Sara", GUARDIAN_PNR, STRANGER_PNR, ANSWER, "stranger answer"):
        assert needle not in result.output
    assert b"stranger answer" not in b"".join(_files(setup["state"] / "replies").values())


def test_a_refused_reply_is_reported_once_and_stays_in_refused(setup: dict[str, Any]) -> None:
    # Two good replies (two take-ins in one run) and one the register does not allow.
    _send(setup)
    _send(setup, text="a second answer 2718")
    rid = _send(setup, pnr=STRANGER_PNR, text="stranger answer 3141")
    first = _inbox(setup)
    assert "2 new replies, 1 refused, 0 waiting" in first.output
    spool = setup["state"] / "spool"
    kept = _files(spool / ".refused")
    [name] = kept
    assert name.startswith(f"{rid}-") and name.endswith(".json")
    # Taken in: only the digest is kept (a replay is still refused), in a folder of the service's.
    done = spool / ".done"
    assert oct(done.stat().st_mode & 0o777) == "0o700"
    assert sorted(_files(done).values()) == [b"", b""]
    assert setup["spool"].waiting() == []
    # The next run neither refuses it again nor renames it: inbox said why once, a person looks.
    again = _inbox(setup)
    assert again.exit_code == 0, again.output
    assert "0 new replies, 0 refused, 0 waiting" in again.output
    assert _files(spool / ".refused") == kept


def test_a_missing_school_key_leaves_the_reply_waiting(setup: dict[str, Any]) -> None:
    _send(setup)
    key = setup["state"] / "school-keys" / f"{UNIT}.key"
    saved = key.read_bytes()
    key.unlink()
    result = _inbox(setup)
    assert result.exit_code == 1
    assert "0 new replies, 0 refused, 1 waiting" in result.output
    assert f"{UNIT}.key: no key for school unit {UNIT}" in result.output
    assert "fix:" in result.output and "Traceback" not in result.output
    assert len(setup["spool"].waiting()) == 1
    key.write_bytes(saved)
    key.chmod(0o600)
    assert "1 new reply" in _inbox(setup).output


def _pem(key: ec.EllipticCurvePrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"-----BEGIN PRIVATE KEY-----\nbroken\n", "not a PEM private key"),
        (_pem(Ed25519PrivateKey.generate()), "not a P-256 key"),
        (_pem(ec.generate_private_key(ec.SECP384R1())), "not a P-256 key"),
    ],
    ids=["not PEM", "Ed25519", "P-384"],
)
def test_a_damaged_school_key_leaves_the_reply_waiting(
    setup: dict[str, Any], content: bytes, problem: str
) -> None:
    """A key file that is not the unit's P-256 key is the school's to restore: the reply waits
    for it (never refused as forged and moved to .refused), and the message says so."""
    _send(setup)
    key = setup["state"] / "school-keys" / f"{UNIT}.key"
    saved = key.read_bytes()
    key.write_bytes(content)
    result = _inbox(setup)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "0 new replies, 0 refused, 1 waiting" in result.output
    assert f"{key}: {problem}; fix: restore it\n" in result.output
    assert len(setup["spool"].waiting()) == 1
    key.write_bytes(saved)
    assert "1 new reply" in _inbox(setup).output


def test_replies_inside_the_export_are_refused(setup: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        main,
        [
            "inbox",
            str(setup["export"]),
            "--state-dir",
            str(setup["state"]),
            "--replies",
            str(setup["export"] / "replies"),
        ],
        env={"SITE_BUILDER_MASTER_KEY": setup["master"].to_b64u()},
    )
    assert result.exit_code == 2 and "inside the export" in result.output


def test_a_broken_reply_file_stops_the_build_with_file_and_fix(setup: dict[str, Any]) -> None:
    _send(setup)
    assert _inbox(setup).exit_code == 0
    [md] = (setup["state"] / "replies" / CHILD).glob("*.md")
    md.write_text(md.read_text().replace("role: guardian", "role: teacher"))
    _loaded, problems = load_replies(setup["state"] / "replies")
    assert [p.file for p in problems] == [f"{CHILD}/{md.name}"]
    assert "role" in problems[0].location


def test_a_replies_folder_it_cannot_write_is_named_and_nothing_is_lost(
    setup: dict[str, Any],
) -> None:
    """A disk error while writing (here: --replies under a file, a real NotADirectoryError; a
    full disk is the same OSError) is one line naming the path and the fix, no traceback; the
    reply stays in the spool and the next run, once fixed, takes it in."""
    _send(setup)
    blocked = setup["state"] / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    argv = ["inbox", str(setup["export"]), "--state-dir", str(setup["state"])]
    env = {"SITE_BUILDER_MASTER_KEY": setup["master"].to_b64u()}
    failed = CliRunner().invoke(main, [*argv, "--replies", str(blocked / "replies")], env=env)
    assert failed.exit_code == 1 and isinstance(failed.exception, SystemExit), failed.output
    assert "Traceback" not in failed.output
    (line,) = failed.output.splitlines()
    assert line.startswith(f"error: {blocked}") and "Not a directory" in line
    assert "nothing is lost" in line and "run inbox again" in line
    assert len(setup["spool"].waiting()) == 1
    fixed = _inbox(setup)
    assert fixed.exit_code == 0 and "1 new reply" in fixed.output, fixed.output
