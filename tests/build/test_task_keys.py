"""Unchanged tasks are reused from their input key; a changed input still goes to a worker."""

from __future__ import annotations

import hashlib
import hmac
import os

from site_builder.fp1 import b32lower
from site_builder.pipeline.plan import ids
from site_builder.pipeline.state.build_state import load_state
from site_builder.pipeline.state.keystore import load_keys
from tests.build.conftest import Workspace


def test_pseudonym_is_base32_of_the_hmac() -> None:
    for n in range(200):
        key, label = os.urandom(32), f"blob|child|{n}-{os.urandom(4).hex()}"
        full = b32lower(hmac.new(key, label.encode(), hashlib.sha256).digest())
        assert ids.pseudonym(key, label) == full[: ids.ID_LENGTH]


def test_noop_rebuild_writes_no_staging_and_keeps_task_keys(workspace: Workspace) -> None:
    workspace.build()
    before = sorted(p.name for p in workspace.out.parent.iterdir())
    second = workspace.build()
    assert not second.published and second.blobs_reused > 0
    assert sorted(p.name for p in workspace.out.parent.iterdir()) == before
    state = load_state(workspace.state_dir, keys=load_keys(workspace.state_dir).all)
    bundles = {b for b, record in state.blobs.items() if record.kind != "file"}
    assert set(state.tasks) == bundles and len(bundles) >= 2  # every child and group
    for stored in state.tasks.values():
        assert all(blob_id in state.blobs for blob_id in stored[1:])


def test_touched_attachment_misses_the_key_but_reuses_the_blob(workspace: Workspace) -> None:
    first = workspace.build()
    image = workspace.scratch.root / "children/c-asa/larlogg/01.jpg"
    os.utime(image, ns=(1, 1))  # same bytes, new stat: the worker checks the content hash
    state_dir = workspace.state_dir
    keys_before = load_state(state_dir, keys=load_keys(state_dir).all).tasks
    second = workspace.build()
    assert second.blobs_sealed == 0 and second.blobs_reused == first.blobs_sealed
    keys_after = load_state(state_dir, keys=load_keys(state_dir).all).tasks
    changed = [b for b in keys_after if keys_after[b][0] != keys_before[b][0]]
    assert changed == [ids.child_bundle_id(ids_pkey(workspace), "c-asa")]


def test_removed_live_blob_is_sealed_again(workspace: Workspace) -> None:
    first = workspace.build()
    entry = workspace.keyring("berit")["blobs"][0]
    (workspace.out / entry["path"]).unlink()
    workspace.scratch.posts["children/c-asa/larlogg/02.md"] = "Något nytt."
    second = workspace.build()
    assert second.published
    assert second.blobs_sealed == 2  # Åsa's edited bundle and the bundle whose file was lost
    assert second.blobs_reused == first.blobs_sealed - 2
    assert workspace.open_entry(workspace.keyring("berit")["blobs"][0])


def ids_pkey(workspace: Workspace) -> bytes:
    from site_builder.fp1 import pseudonym_key

    return pseudonym_key(workspace.keys.master)
