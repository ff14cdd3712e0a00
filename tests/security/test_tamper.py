"""The tamper matrix in Python: every field of every kind of published file, altered, truncated,
extended or swapped (between children, snapshots and readers), is rejected whole.

The static host or CDN holds every published byte; these are the edits it can make. The keyring's
`sha256` of each blob lets the app refuse a changed file before decrypting; the GCM tag and the
AAD (kind, blob id, reader and seq) refuse it even without that check.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.fp1 import BlobError, b64u_decode, keyring_blob_id, open_json, reader_key
from tests.build.conftest import Workspace, workspace_at
from tests.build.scratch import PNR

# (field, start, end) of an fp1 blob; negative offsets count from the end.
FIELDS = {
    "magic": (0, 4),
    "version": (4, 5),
    "nonce": (5, 17),
    "ciphertext": (17, -16),
    "tag": (-16, None),
}
ARTEFACTS = ("keyring", "child", "plan", "file")


@dataclass(frozen=True)
class TwoSnapshots:
    workspace: Workspace
    first_seq: int
    second_seq: int
    old_ring: bytes  # Anna's keyring file of the first snapshot, as a host could have kept it
    old_child: tuple[dict[str, Any], bytes]  # the first snapshot's child entry and its file


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> TwoSnapshots:
    workspace = workspace_at(tmp_path_factory.mktemp("tamper"), new=True)
    first = workspace.build()
    rid = workspace.rid("anna")
    old_ring = (workspace.out / f"s/{first.seq}/k/{rid}.bin").read_bytes()
    entry = next(e for e in workspace.keyring("anna")["blobs"] if e["kind"] == "child")
    old_child = (entry, (workspace.out / entry["path"]).read_bytes())
    workspace.scratch.posts["children/c-asa/larlogg/02.md"] = "Vi läste en ny saga."
    second = workspace.build(patch=False)  # a new snapshot, not a correction patched in
    assert second.seq == first.seq + 1
    return TwoSnapshots(workspace, first.seq, second.seq, old_ring=old_ring, old_child=old_child)


def _opener(ws: Workspace, artefact: str) -> tuple[bytes, Callable[[bytes], Any], str]:
    """(published bytes, a function opening bytes as the app would, expected sha256 or "")."""
    rid = ws.rid("anna")
    seq = ws.latest()["seq"]
    if artefact == "keyring":
        data = (ws.out / f"s/{seq}/k/{rid}.bin").read_bytes()
        key = reader_key(ws.keys.master, epoch="2026", rid=rid)
        ring_id = keyring_blob_id(rid, seq)
        return data, lambda b: open_json(b, key=key, kind="keyring", blob_id=ring_id), ""
    entry = next(e for e in ws.keyring("anna")["blobs"] if e["kind"] == artefact)
    data = (ws.out / entry["path"]).read_bytes()
    return data, lambda b: ws.open_entry({**entry, "path": _write_temp(ws, b)}), entry["sha256"]


def _write_temp(ws: Workspace, data: bytes) -> str:
    path = ws.out.parent / "tampered.bin"
    path.write_bytes(data)
    return str(path)  # absolute: `out / path` is `path`


def _sha256_b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _assert_rejected(data: bytes, opener: Callable[[bytes], Any], sha256: str) -> None:
    if sha256:  # the app's first check: the file is not the one the keyring names
        assert _sha256_b64u(data) != sha256
    opened = None
    with pytest.raises(BlobError):
        opened = opener(data)
    assert opened is None


@pytest.mark.parametrize("artefact", ARTEFACTS)
def test_the_untouched_files_open(snapshots: TwoSnapshots, artefact: str) -> None:
    data, opener, sha256 = _opener(snapshots.workspace, artefact)
    assert opener(data)
    assert not sha256 or _sha256_b64u(data) == sha256


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("artefact", ARTEFACTS)
def test_bit_flip_in_every_field(
    snapshots: TwoSnapshots, artefact: str, field: str, where: str
) -> None:
    data, opener, sha256 = _opener(snapshots.workspace, artefact)
    start, end = FIELDS[field]
    span = range(len(data))[start:end]
    position = {"first": span[0], "middle": span[len(span) // 2], "last": span[-1]}[where]
    for bit in (0, 7):
        flipped = bytearray(data)
        flipped[position] ^= 1 << bit
        _assert_rejected(bytes(flipped), opener, sha256)


EDITS: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda b: b"",
    "header only": lambda b: b[:17],
    "no tag": lambda b: b[:-16],
    "one byte short": lambda b: b[:-1],
    "half": lambda b: b[: len(b) // 2],
    "one byte more": lambda b: b + b"\x00",
    "a block more": lambda b: b + bytes(16),
    "doubled": lambda b: b + b,
    "byte prepended": lambda b: b"\x00" + b,
    "version 2": lambda b: b[:4] + b"\x02" + b[5:],
    "nonce zeroed": lambda b: b[:5] + bytes(12) + b[17:],
    "tag zeroed": lambda b: b[:-16] + bytes(16),
}


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("artefact", ARTEFACTS)
def test_truncated_or_extended(snapshots: TwoSnapshots, artefact: str, edit: str) -> None:
    data, opener, sha256 = _opener(snapshots.workspace, artefact)
    _assert_rejected(EDITS[edit](data), opener, sha256)


def test_blob_swapped_between_children(snapshots: TwoSnapshots) -> None:
    ws = snapshots.workspace
    asa = next(e for e in ws.keyring("anna")["blobs"] if e["kind"] == "child")
    bo = next(e for e in ws.keyring("berit")["blobs"] if e["kind"] == "child")
    served = (ws.out / bo["path"]).read_bytes()  # the host serves Bo's file at Åsa's path
    assert _sha256_b64u(served) != asa["sha256"]
    for entry in (asa, {**bo, "id": asa["id"]}):  # Åsa's key; or Bo's key under Åsa's id
        with pytest.raises(BlobError):
            ws.open_entry({**entry, "path": _write_temp(ws, served)})


def test_keyring_swapped_between_readers(snapshots: TwoSnapshots) -> None:
    ws = snapshots.workspace
    seq = snapshots.second_seq
    anna, arne = ws.rid("anna"), ws.rid("arne")  # co-guardians of the same child
    arne_ring = (ws.out / f"s/{seq}/k/{arne}.bin").read_bytes()
    anna_key = reader_key(ws.keys.master, epoch="2026", rid=anna)
    for blob_id in (keyring_blob_id(anna, seq), keyring_blob_id(arne, seq)):
        with pytest.raises(BlobError):
            open_json(arne_ring, key=anna_key, kind="keyring", blob_id=blob_id)


def test_older_keyring_replayed_as_the_newer_snapshot(snapshots: TwoSnapshots) -> None:
    # Same reader, same epoch, same key: only the AAD's seq differs, and it alone refuses.
    ws = snapshots.workspace
    rid = ws.rid("anna")
    key = reader_key(ws.keys.master, epoch="2026", rid=rid)
    old = snapshots.old_ring
    new_id = keyring_blob_id(rid, snapshots.second_seq)
    with pytest.raises(BlobError):
        open_json(old, key=key, kind="keyring", blob_id=new_id)
    # Opened honestly as what it is, it says so: the app compares this seq with the highest seen.
    old_id = keyring_blob_id(rid, snapshots.first_seq)
    opened = open_json(old, key=key, kind="keyring", blob_id=old_id)
    assert opened["snapshot"]["seq"] == snapshots.first_seq < snapshots.second_seq
    assert opened["reader"] == rid


def test_child_bundle_swapped_between_snapshots(snapshots: TwoSnapshots) -> None:
    # The edited child's bundle changed between the snapshots; the new keyring names the new file
    # (its hash), so serving the old file at the new path is refused before decryption.
    ws = snapshots.workspace
    new = next(e for e in ws.keyring("anna")["blobs"] if e["kind"] == "child")
    old, served = snapshots.old_child
    assert old["path"] != new["path"]
    assert _sha256_b64u(served) != new["sha256"]
    if old["id"] == new["id"] and old["key"] == new["key"]:
        pytest.fail("a resealed bundle reused its key: the AAD alone cannot tell snapshots apart")
    with pytest.raises(BlobError):
        ws.open_entry({**new, "path": _write_temp(ws, served)})


def test_keys_in_keyrings_are_per_blob(snapshots: TwoSnapshots) -> None:
    keys = [b64u_decode(e["key"]) for e in snapshots.workspace.keyring("anna")["blobs"]]
    assert len(set(keys)) == len(keys) and all(len(k) == 32 for k in keys)


def test_inspect_names_the_altered_file_and_how_it_fails(
    snapshots: TwoSnapshots, tmp_path: Path
) -> None:
    """Support staff asked "I can't see my child" see which published file the host changed and
    how it fails to open (`site-builder inspect`, docs/operations.md), on a copy of the site."""
    ws = snapshots.workspace
    out = tmp_path / "site"
    shutil.copytree(ws.out, out)
    ring = out / f"s/{snapshots.second_seq}/k/{ws.rid('anna')}.bin"
    bundle = out / next(e for e in ws.keyring("anna")["blobs"] if e["kind"] == "child")["path"]
    good_ring, good_bundle = ring.read_bytes(), bundle.read_bytes()
    flipped = good_ring[:100] + bytes([good_ring[100] ^ 1]) + good_ring[101:]
    (snap,) = json.loads((out / "latest.json").read_text())["snapshots"]
    title = f"snapshot {snap['seq']} ({snap['term']}, published {snap['published']})"
    cases = {
        (good_ring[:32], good_bundle): f"{title}: keyring does not open (not an fp1 blob)",
        (good_ring[:4] + b"\x02" + good_ring[5:], good_bundle): (
            f"{title}: keyring does not open (unsupported fp1 version 2)"
        ),
        (flipped, good_bundle): f"{title}: keyring does not open (authentication failed)",
        (good_ring, good_bundle[:-1]): "  Åsa: bundle unreadable (authentication failed)",
    }
    args = ["--pnr", PNR["anna"], "--out", str(out), "--state-dir", str(ws.state_dir)]
    for (ring_bytes, bundle_bytes), says in cases.items():
        ring.write_bytes(ring_bytes)
        bundle.write_bytes(bundle_bytes)
        result = CliRunner().invoke(main, ["inspect", *args], env={"SITE_BUILDER_MASTER_KEY": ""})
        assert result.exit_code == 0, result.output
        altered = ": the file was altered" if says.startswith("snapshot") else ""
        assert result.output.splitlines()[-1] == says + altered
