"""No nonce is ever used twice under one key across everything a site publishes over time: the
first build, corrections patched into the snapshot (which re-seal keyrings under the same reader
key and the same AAD), and a later full build. AES-GCM with a repeated nonce leaks the XOR of
two plaintexts and lets anyone forge under that key."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from site_builder.fp1 import b64u_decode, keyring_blob_id, open_json, reader_key
from site_builder.fp1.blob import HEADER_LENGTH
from tests.build.conftest import Workspace
from tests.build.test_patch import ASA_POST

Seen = dict[tuple[bytes, bytes], set[str]]  # (key, nonce) -> sha256 of each file sealed so


def _record(seen: Seen, *, key: bytes, data: bytes) -> None:
    seen.setdefault((key, data[5:HEADER_LENGTH]), set()).add(hashlib.sha256(data).hexdigest())


def _collect(workspace: Workspace, seen: Seen) -> int:
    """Every keyring and every blob it names in the live tree, by the key that sealed it."""
    site = workspace.out.resolve()
    master = workspace.keys.master
    latest = json.loads((site / "latest.json").read_text())
    count = 0
    for snapshot in latest["snapshots"]:
        seq, epoch = snapshot["seq"], snapshot["epoch"]
        for ring in sorted((site / "s" / str(seq) / "k").glob("*.bin")):
            rid, data = ring.stem, ring.read_bytes()
            key = reader_key(master, epoch=epoch, rid=rid)
            _record(seen, key=key, data=data)
            contents = open_json(data, key=key, kind="keyring", blob_id=keyring_blob_id(rid, seq))
            for entry in contents["blobs"]:
                _record(
                    seen, key=b64u_decode(entry["key"]), data=(site / entry["path"]).read_bytes()
                )
                count += 1
            count += 1
    return count


def test_no_nonce_is_reused_under_one_key_across_corrections(workspace: Workspace) -> None:
    seen: Seen = {}
    workspace.build()
    opened = _collect(workspace, seen)
    for text in ("Första rättelsen.", "Andra rättelsen."):
        workspace.scratch.posts[ASA_POST] = text
        assert workspace.build().patched  # Åsa's guardians' keyrings re-sealed, same key and AAD
        opened += _collect(workspace, seen)
    workspace.scratch.posts[ASA_POST] = "Tredje rättelsen."
    assert workspace.build(patch=False).published
    opened += _collect(workspace, seen)
    reused = {nonce.hex(): files for (_, nonce), files in seen.items() if len(files) > 1}
    assert reused == {}
    assert opened > 40 and len(seen) > 20  # it looked at every file, many of them re-sealed


def test_every_keyring_a_correction_re_seals_gets_a_fresh_nonce(workspace: Workspace) -> None:
    workspace.build()
    seq = workspace.latest()["seq"]
    path = workspace.out / "s" / str(seq) / "k" / f"{workspace.rid('anna')}.bin"
    nonces = {path.read_bytes()[5:HEADER_LENGTH]}
    for n in range(3):
        workspace.scratch.posts[ASA_POST] = f"Rättelse nummer {n}."
        assert workspace.build().patched
        nonces.add(path.read_bytes()[5:HEADER_LENGTH])
    assert len(nonces) == 4


def test_the_nonce_sits_where_the_test_reads_it(tmp_path: Path) -> None:
    # The slice above is the nonce of docs/fp1.md: magic(4) || version(1) || nonce(12).
    from site_builder.fp1 import seal

    data = seal(b"x", key=bytes(32), kind="file", blob_id="a", nonce=b"N" * 12)
    assert data[5:HEADER_LENGTH] == b"N" * 12
