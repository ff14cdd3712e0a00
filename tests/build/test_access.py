"""Who can open what: families are separated, policy is followed, tampering is detected."""

from __future__ import annotations

import pytest

from site_builder.fp1 import (
    BlobError,
    b64u_decode,
    keyring_blob_id,
    open_blob,
    open_json,
    reader_key,
)
from tests.build.conftest import Workspace


def test_guardian_a_opens_neither_family_b_keyring_nor_blobs(workspace: Workspace) -> None:
    workspace.build()
    seq = workspace.latest()["seq"]
    anna, berit = workspace.rid("anna"), workspace.rid("berit")
    anna_key = reader_key(workspace.keys.master, epoch="2026", rid=anna)
    berit_ring = (workspace.out / f"s/{seq}/k/{berit}.bin").read_bytes()
    for blob_id in (keyring_blob_id(berit, seq), keyring_blob_id(anna, seq)):
        with pytest.raises(BlobError):
            open_json(berit_ring, key=anna_key, kind="keyring", blob_id=blob_id)
    mine = {e["id"] for e in workspace.keyring("anna")["blobs"]}
    theirs = workspace.keyring("berit")["blobs"]
    anna_keys = [b64u_decode(e["key"]) for e in workspace.keyring("anna")["blobs"]]
    for entry in theirs:
        if entry["id"] in mine:
            assert entry["kind"] == "plan"  # the shared class plan, by design
            continue
        data = (workspace.out / entry["path"]).read_bytes()
        for key in [anna_key, *anna_keys]:
            with pytest.raises(BlobError):
                open_blob(data, key=key, kind=entry["kind"], blob_id=entry["id"])


def test_parent_without_custody_and_protected_child(workspace: Workspace) -> None:
    summary = workspace.build()
    keyrings = workspace.out / "s" / str(summary.seq) / "k"
    assert not (keyrings / f"{workspace.rid('alf')}.bin").exists()  # Annan ansvarig
    assert not (keyrings / f"{workspace.rid('carl')}.bin").exists()  # guardian of protected child
    assert [(e.person_id, e.reason) for e in summary.excluded] == [
        ("c-cilla", "protected identity (Skyddad folkbokföring)")
    ]
    given = {c["givenName"] for c in workspace.keyring("anna")["children"]}
    assert given == {"Åsa"}


def test_protected_child_published_when_policy_includes(workspace: Workspace) -> None:
    workspace.scratch.config["access"] = {"protected_identity": "include"}
    summary = workspace.build()
    assert summary.excluded == []
    assert [c["givenName"] for c in workspace.keyring("carl")["children"]] == ["Cillamaria"]


def test_student_reads_own_documentation(workspace: Workspace) -> None:
    workspace.build()
    from site_builder.fp1 import reader_id, subject_for_eppn
    from tests.build.scratch import DANI_EPPN

    rid = reader_id(workspace.keys.master, subject_for_eppn(DANI_EPPN))
    assert (workspace.out / f"s/{workspace.latest()['seq']}/k/{rid}.bin").exists()
    assert workspace.keyring("dani")["role"] == "student"
    # Åsa (school year 2) is too young to read her own documentation.
    seq = workspace.latest()["seq"]
    assert not (workspace.out / f"s/{seq}/k/{workspace.rid('asa')}.bin").exists()


def test_one_flipped_byte_anywhere_fails(workspace: Workspace) -> None:
    workspace.build()
    seq = workspace.latest()["seq"]
    rid = workspace.rid("anna")
    ring_path = workspace.out / f"s/{seq}/k/{rid}.bin"
    ring = ring_path.read_bytes()
    key = reader_key(workspace.keys.master, epoch="2026", rid=rid)
    for position in range(0, len(ring), max(1, len(ring) // 40)):
        flipped = bytearray(ring)
        flipped[position] ^= 0x01
        with pytest.raises(BlobError):
            open_json(bytes(flipped), key=key, kind="keyring", blob_id=keyring_blob_id(rid, seq))
    for entry in workspace.keyring("anna")["blobs"]:
        data = (workspace.out / entry["path"]).read_bytes()
        for position in (0, 4, 5, 17, len(data) // 2, len(data) - 1):
            flipped = bytearray(data)
            flipped[position] ^= 0x80
            with pytest.raises(BlobError):
                open_blob(
                    bytes(flipped),
                    key=b64u_decode(entry["key"]),
                    kind=entry["kind"],
                    blob_id=entry["id"],
                )


def test_blob_swapped_between_children_fails(workspace: Workspace) -> None:
    workspace.build()
    asa = next(e for e in workspace.keyring("anna")["blobs"] if e["kind"] == "child")
    bo = next(e for e in workspace.keyring("berit")["blobs"] if e["kind"] == "child")
    bo_bytes = (workspace.out / bo["path"]).read_bytes()
    # Served Bo's file under Åsa's name: Åsa's key and Åsa's AAD both reject it.
    with pytest.raises(BlobError):
        open_json(bo_bytes, key=b64u_decode(asa["key"]), kind="child", blob_id=asa["id"])
    # Even with the right key, the AAD binds the file to its blob id.
    with pytest.raises(BlobError):
        open_json(bo_bytes, key=b64u_decode(bo["key"]), kind="child", blob_id=asa["id"])
    assert workspace.open_entry(bo)["child"]["givenName"] == "Bosse"
