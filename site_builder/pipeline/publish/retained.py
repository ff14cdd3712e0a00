"""Earlier snapshots carried into the new site until their retention date.

A reader no longer in the register loses their keyring in every retained snapshot; after a key
rotation every kept keyring is re-sealed under the reader's new rid and key; a child marked
protected since is withdrawn from every kept keyring that names it (withdraw.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from site_builder.fp1 import (
    MasterKey,
    keyring_blob_id,
    open_json,
    pseudonym_key,
    reader_id,
    reader_key,
)
from site_builder.pipeline.plan.readers import BuildPlan, Reader
from site_builder.pipeline.publish.withdraw import (
    keyring_child_ids,
    protected_children,
    withdraw,
)
from site_builder.pipeline.seal.blobs import link_file, write_new_file
from site_builder.pipeline.seal.keyrings import SnapshotInfo, keyring_path, seal_keyring
from site_builder.pipeline.state.build_state import BuildState, SnapshotRecord
from site_builder.pipeline.state.keystore import KeySet, fingerprint_of


@dataclass(frozen=True, slots=True)
class CarriedSnapshot:
    info: SnapshotInfo
    record: SnapshotRecord
    links: list[str] = field(default_factory=list)  # site paths reused as they are
    # (old keyring file, reader) pairs to re-seal after a key rotation
    reseals: list[tuple[Path, Reader]] = field(default_factory=list)
    sealed_with: MasterKey | None = None
    drop: frozenset[str] = frozenset()  # keyring child ids to withdraw (protected since)


@dataclass(slots=True)
class Carried:
    """What to carry; decided without writing, so a build that publishes nothing writes nothing."""

    snapshots: list[CarriedSnapshot] = field(default_factory=list)
    revoked: int = 0
    withdrawals: int = 0  # snapshots whose keyrings are opened to withdraw a protected child


def read_live_seq(live: Path | None) -> int:
    try:
        return int(json.loads((live / "latest.json").read_text())["seq"]) if live else 0
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def carry_snapshots(
    *,
    state: BuildState,
    live: Path | None,
    plan: BuildPlan,
    keys: KeySet,
    today: date,
    current: SnapshotInfo,
) -> Carried:
    carried = Carried()
    if live is None:
        return carried
    protected = protected_children(plan)
    for record in state.snapshots:
        keyring_dir = live / "s" / str(record.seq) / "k"
        expired = date.fromisoformat(record.retention_until) < today
        superseded = (record.term, record.epoch) == (current.term, current.epoch)
        sealed_with = keys.by_fingerprint(record.master)
        if expired or superseded or not keyring_dir.is_dir() or sealed_with is None:
            continue
        info = SnapshotInfo(record.seq, record.epoch, record.term, record.published)
        rotated = sealed_with is not keys.master
        readers = _readers_by_old_rid(plan, sealed_with) if rotated else plan.readers
        newly = protected - set(record.withdrawn)
        withdrawn = sorted(set(record.withdrawn) | protected)
        fresh = record.model_copy(
            update={"master": fingerprint_of(keys.master), "withdrawn": withdrawn}
        )
        drop = keyring_child_ids(frozenset(newly), master=sealed_with) if newly else frozenset()
        carried.withdrawals += bool(drop)
        one = CarriedSnapshot(info=info, record=fresh, sealed_with=sealed_with, drop=drop)
        for name in sorted(os.listdir(keyring_dir)):
            if not name.endswith(".bin"):
                continue
            reader = readers.get(name[: -len(".bin")])
            if reader is None:
                carried.revoked += 1  # no longer in the register: their keyring goes
            elif rotated or drop:
                one.reseals.append((keyring_dir / name, reader))
            else:
                one.links.append(keyring_path(record.seq, reader.rid))
        one.links.extend(record.blobs)
        carried.snapshots.append(one)
    return carried


def write_carried(carried: Carried, *, live: Path, site: Path, keys: KeySet) -> None:
    """Put the carried snapshots' keyrings and blobs into the new site (links or re-seals)."""
    for one in carried.snapshots:
        (site / "s" / str(one.info.seq) / "k").mkdir(parents=True, exist_ok=True)
        for path, reader in one.reseals:
            assert one.sealed_with is not None
            if not _reseal(path, old=one.sealed_with, reader=reader, keys=keys, one=one, site=site):
                link_file(live, site, keyring_path(one.info.seq, reader.rid))
        for relative in one.links:
            link_file(live, site, relative)


def _readers_by_old_rid(plan: BuildPlan, sealed_with: MasterKey) -> dict[str, Reader]:
    """The current readers by the rid they had under the key a snapshot was sealed with."""
    pkey = pseudonym_key(sealed_with)
    return {reader_id(sealed_with, r.subject, pkey=pkey): r for r in plan.readers.values()}


def _reseal(
    path: Path,
    *,
    old: MasterKey,
    reader: Reader,
    keys: KeySet,
    one: CarriedSnapshot,
    site: Path,
) -> bool:
    """Re-seal one keyring (new key, or a child withdrawn); False when it stays as it is."""
    info, old_rid = one.info, path.stem
    key = reader_key(old, epoch=info.epoch, rid=old_rid)
    payload = open_json(
        path.read_bytes(), key=key, kind="keyring", blob_id=keyring_blob_id(old_rid, info.seq)
    )
    rev = int(payload.get("rev", 0))
    without = withdraw(payload, drop=one.drop, live=path.parents[3]) if one.drop else None
    if without is None and old is keys.master:
        return False  # nothing withdrawn and the key unchanged: link the file as it is
    if without is not None:
        payload, rev = without, rev + 1  # a higher rev: the app treats the older one as stale
    contents = {k: v for k, v in payload.items() if k not in ("snapshot", "rev")}
    data = seal_keyring(contents, master=keys.master, snapshot=info, rid=reader.rid, rev=rev)
    write_new_file(site, keyring_path(info.seq, reader.rid), data)
    return True
