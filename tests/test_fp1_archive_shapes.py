"""`site-builder verify` on an archive whose statement is genuine (it verifies under the key
list) but malformed — a school's faulty software signed it: each shape is the term's problem
in the report, never a traceback, and none of the term's documents is reported genuine."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from site_builder.cli import main
from site_builder.fp1 import b64u_encode
from site_builder.fp1.archive import verify_archive
from site_builder.fp1.blob import canonical_json
from site_builder.fp1.sign import SIG_CONTEXT, key_id, public_bytes

SIGNER = Ed25519PrivateKey.from_private_bytes(bytes([9] * 32))
KID = key_id(public_bytes(SIGNER))
KEY_LIST = {
    "v": 1,
    "keys": [
        {
            "kid": KID,
            "alg": "Ed25519",
            "public": b64u_encode(public_bytes(SIGNER)),
            "from": "2026-01-01",
            "until": None,
        }
    ],
}
BUNDLE = json.dumps({"lärlogg": ['<p>Vi mätte skolgården <img data-fp-blob="f1"></p>']}).encode()
PHOTO = b"\x89PNG not really"


def _plain(data: bytes) -> str:
    return b64u_encode(hashlib.sha256(data).digest())


def _statement(**changes: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "v": 1,
        "signed": "2026-11-28",
        "snapshot": {"seq": 3, "term": "HT2026"},
        "children": [{"id": "c1", "givenName": "Åsa", "bundle": "b1"}],
        "blobs": [{"id": "b1", "plain": _plain(BUNDLE)}, {"id": "f1", "plain": _plain(PHOTO)}],
    }
    return {**statement, **changes}


def _archive(statement: dict[str, Any], *, bundle: bytes = BUNDLE) -> bytes:
    raw = canonical_json(statement)
    sig = {"kid": KID, "sig": b64u_encode(SIGNER.sign(SIG_CONTEXT + raw))}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("arkiv.json", json.dumps({"child": "c1", "terms": [{"seq": 3}]}))
        archive.writestr("signerat/3/statement.json", raw)
        archive.writestr("signerat/3/signatur.json", json.dumps(sig))
        archive.writestr("signerat/3/b1.json", bundle)
        archive.writestr("filer/3/f1-skolgarden.png", PHOTO)
    return out.getvalue()


def test_the_well_formed_statement_verifies() -> None:
    """The baseline the cases below break one member of."""
    report = verify_archive(_archive(_statement()), key_list=KEY_LIST)
    assert report.ok, report
    (term,) = report.terms
    assert sorted(term.genuine) == [
        "filer/3/f1-skolgarden.png",
        "signerat/3/b1.json",
        "signerat/3/statement.json",
    ]


NOT_ABOUT = "the signed statement is not about this archive's child"
WRONGLY = "the signed statement names this child's documents wrongly"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"snapshot": [3]}, "the statement is for snapshot [3], not 3"),
        ({"children": 5}, NOT_ABOUT),
        ({"children": [7, "c1", None]}, NOT_ABOUT),
        ({"children": [{"id": "c1"}]}, WRONGLY),
        ({"children": [{"id": "c1", "bundle": "b1", "plans": "p1"}]}, WRONGLY),
        ({"children": [{"id": "c1", "bundle": "b1", "plans": [5]}]}, WRONGLY),
        ({"children": [{"id": "c1", "bundle": "b1", "terms": 5}]}, "the term list is malformed"),
    ],
)
def test_a_genuine_but_malformed_statement_is_the_terms_problem(
    changes: dict[str, Any], problem: str, tmp_path: Path
) -> None:
    data = _archive(_statement(**changes))
    (term,) = verify_archive(data, key_list=KEY_LIST).terms
    assert (term.problem, term.ok) == (problem, False)
    assert not [n for n in term.genuine if n != "signerat/3/statement.json"], term.genuine
    archive, keys = tmp_path / "arkiv.zip", tmp_path / "keys.json"
    archive.write_bytes(data)
    keys.write_text(json.dumps(KEY_LIST), encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(archive), "--keys", str(keys)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert problem in result.output and "Traceback" not in result.output


def test_blobs_that_are_not_a_list_leave_every_document_unsigned() -> None:
    (term,) = verify_archive(_archive(_statement(blobs=5)), key_list=KEY_LIST).terms
    assert term.changed == [
        "signerat/3/b1.json (not in the signed statement)",
        "filer/3/f1-skolgarden.png (not named by this term's documents)",
    ]


def test_a_signed_bundle_that_is_not_json_is_the_terms_problem() -> None:
    junk = b"\xff not json"
    blobs = [{"id": "b1", "plain": _plain(junk)}]
    data = _archive(_statement(blobs=blobs), bundle=junk)
    (term,) = verify_archive(data, key_list=KEY_LIST).terms
    assert term.problem == "signerat/3/b1.json is signed but is not a document"
    assert not term.ok
