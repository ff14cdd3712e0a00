"""Keyrings: one per reader per snapshot, naming every blob the reader may open and its key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from site_builder.fp1 import MasterKey, keyring_blob_id, reader_key, seal_json
from site_builder.fp1.blob import canonical_json
from site_builder.fp1.sign import Signer, sign_payload
from site_builder.pipeline.plan import ids
from site_builder.pipeline.plan.readers import BuildPlan, Reader
from site_builder.pipeline.state.build_state import BlobRecord


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    seq: int
    epoch: str
    term: str
    published: str

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "epoch": self.epoch,
            "term": self.term,
            "published": self.published,
        }


def _entry(blob_id: str, record: BlobRecord) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": blob_id,
        "kind": record.kind,
        "path": record.path,
        "key": record.key,
        "sha256": record.sha256,
    }
    if record.plain:  # the plaintext's digest: what a family archive proves (docs/fp1.md)
        entry["plain"] = record.plain
    if record.kind == "file":
        entry["type"] = record.type
        entry["name"] = record.name
    return entry


def keyring_contents(
    plan: BuildPlan,
    *,
    pkey: bytes,
    records: dict[str, BlobRecord],
    files_of: dict[str, list[str]],
    only: set[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """rid → keyring JSON without its `snapshot` part. `files_of`: bundle id → file blob ids;
    `only`: the rids to make (default: every reader of the plan)."""
    readers = plan.readers if only is None else {rid: plan.readers[rid] for rid in only}
    needed = None if only is None else {c for r in readers.values() for c in r.children}
    # A child's part of a keyring is the same for each of its readers: made once per child.
    parts: dict[str, tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]] = {}
    plan_ids = {g.group_id: ids.plan_bundle_id(pkey, g.group_id) for g in plan.groups}
    entries: dict[str, dict[str, Any]] = {}

    def entry(blob_id: str) -> tuple[str, dict[str, Any]]:
        found = entries.get(blob_id)
        if found is None:
            found = entries[blob_id] = _entry(blob_id, records[blob_id])
        return blob_id, found

    for child in plan.children:
        person_id = child.person.id
        if needed is not None and person_id not in needed:
            continue
        bundle = ids.child_bundle_id(pkey, person_id)
        plans = [plan_ids.get(g) or ids.plan_bundle_id(pkey, g) for g in child.groups]
        blob_ids = [bundle, *files_of.get(bundle, []), *plans]
        for plan_id in plans:
            blob_ids += files_of.get(plan_id, [])
        summary = {
            "id": ids.child_id(pkey, person_id),
            "givenName": child.person.givenName,
            "bundle": bundle,
            "plans": plans,
        }
        parts[person_id] = (summary, [entry(b) for b in blob_ids])
    return {rid: _one_keyring(reader, parts=parts) for rid, reader in readers.items()}


def _one_keyring(
    reader: Reader,
    *,
    parts: dict[str, tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]],
) -> dict[str, Any]:
    blobs: dict[str, dict[str, Any]] = {}
    children = []
    for person_id in reader.children:
        part = parts.get(person_id)
        if part is None:
            continue
        summary, child_blobs = part
        blobs.update(child_blobs)
        children.append(summary)
    return {
        "v": 1,
        "reader": reader.rid,
        "role": reader.role,
        "blobs": list(blobs.values()),
        "children": children,
    }


def _this_seq(child: dict[str, Any], *, seq: int) -> dict[str, Any]:
    """A child's term list (publish/terms.py) with this snapshot's seq where it says None."""
    terms = [{**t, "seq": seq} if t.get("seq") is None else t for t in child.get("terms", [])]
    return {**child, "terms": terms} if terms else child


def content_hash(contents: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(contents)).hexdigest()


def seal_keyring(
    contents: dict[str, Any],
    *,
    master: MasterKey,
    snapshot: SnapshotInfo,
    rid: str,
    rev: int = 0,
    signer: Signer | None,
) -> bytes:
    """`rev` counts the corrections patched into the snapshot (publish/patch.py): the app refuses a
    keyring older than one it has seen for the same reader and snapshot. `signer` adds the
    keyring's signed statement (fp1/sign.py); every published keyring has one."""
    payload = {**contents, "snapshot": snapshot.as_json(), "reader": rid, "rev": rev}
    if any(c.get("terms") for c in contents.get("children", [])):
        payload["children"] = [_this_seq(c, seq=snapshot.seq) for c in contents["children"]]
    if signer is not None:
        payload = sign_payload(payload, signer=signer)
    key = reader_key(master, epoch=snapshot.epoch, rid=rid)
    return seal_json(payload, key=key, kind="keyring", blob_id=keyring_blob_id(rid, snapshot.seq))


def keyring_path(seq: int, rid: str) -> str:
    return f"s/{seq}/k/{rid}.bin"
