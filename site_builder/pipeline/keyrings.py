"""Keyrings: one per reader per snapshot, naming every blob the reader may open and its key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from site_builder.fp1 import MasterKey, keyring_blob_id, reader_key, seal_json
from site_builder.fp1.blob import canonical_json
from site_builder.pipeline import ids
from site_builder.pipeline.plan import BuildPlan, Reader
from site_builder.pipeline.state import BlobRecord


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
) -> dict[str, dict[str, Any]]:
    """rid → keyring JSON without its `snapshot` part. `files_of`: bundle id → file blob ids."""
    by_person = {c.person.id: c for c in plan.children}
    out: dict[str, dict[str, Any]] = {}
    for rid, reader in plan.readers.items():
        out[rid] = _one_keyring(
            reader, by_person=by_person, pkey=pkey, records=records, files_of=files_of
        )
    return out


def _one_keyring(
    reader: Reader,
    *,
    by_person: dict[str, Any],
    pkey: bytes,
    records: dict[str, BlobRecord],
    files_of: dict[str, list[str]],
) -> dict[str, Any]:
    blobs: dict[str, dict[str, Any]] = {}
    children = []
    for person_id in reader.children:
        child = by_person.get(person_id)
        if child is None:
            continue
        bundle = ids.child_bundle_id(pkey, person_id)
        plans = [ids.plan_bundle_id(pkey, g) for g in child.groups]
        for blob_id in [bundle, *files_of.get(bundle, []), *plans]:
            blobs[blob_id] = _entry(blob_id, records[blob_id])
        for plan_id in plans:
            for blob_id in files_of.get(plan_id, []):
                blobs[blob_id] = _entry(blob_id, records[blob_id])
        children.append(
            {
                "id": ids.child_id(pkey, person_id),
                "givenName": child.person.givenName,
                "bundle": bundle,
                "plans": plans,
            }
        )
    return {
        "v": 1,
        "reader": reader.rid,
        "role": reader.role,
        "blobs": list(blobs.values()),
        "children": children,
    }


def content_hash(contents: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(contents)).hexdigest()


def seal_keyring(
    contents: dict[str, Any], *, master: MasterKey, snapshot: SnapshotInfo, rid: str
) -> bytes:
    payload = {**contents, "snapshot": snapshot.as_json(), "reader": rid}
    key = reader_key(master, epoch=snapshot.epoch, rid=rid)
    return seal_json(payload, key=key, kind="keyring", blob_id=keyring_blob_id(rid, snapshot.seq))


def keyring_path(seq: int, rid: str) -> str:
    return f"s/{seq}/k/{rid}.bin"
