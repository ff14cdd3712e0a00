"""Earlier snapshots carried into the new site until their retention date.

A reader no longer in the register loses their keyring in every retained snapshot; after a key
rotation every kept keyring is re-sealed under the reader's new rid and key; a child marked
protected since is withdrawn from every kept keyring that names it (withdraw.py).

A revoked keyring is kept, unpublished, in `<state-dir>/revoked/<seq>/` until its snapshot's
retention ends: a reader dropped by a mistaken export and back in a later one gets their earlier
terms again at that build (without any child protected meanwhile). A key rotation ends that:
the kept files are under the old rids, which the build cannot map without the subjects.
"""

from __future__ import annotations

import json
import os
import shutil
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
from site_builder.pipeline.state.build_state import BuildState, SnapshotRecord, write_atomic
from site_builder.pipeline.state.keystore import KeySet, fingerprint_of

REVOKED_DIR = "revoked"  # <state-dir>/revoked/<seq>/<rid>.bin: revoked keyrings, unpublished


@dataclass(frozen=True, slots=True)
class CarriedSnapshot:
    info: SnapshotInfo
    record: SnapshotRecord
    links: list[str] = field(default_factory=list)  # site paths reused as they are
    # (old keyring file, reader) pairs to re-seal after a key rotation
    reseals: list[tuple[Path, Reader]] = field(default_factory=list)
    sealed_with: MasterKey | None = None
    drop: frozenset[str] = frozenset()  # keyring child ids to withdraw (protected since)
    drop_all: frozenset[str] = frozenset()  # every protected child's id: for restored keyrings
    revokes: list[Path] = field(default_factory=list)  # keyrings to keep unpublished
    restores: list[tuple[Path, Reader]] = field(default_factory=list)  # kept ones coming back


@dataclass(slots=True)
class Carried:
    """What to carry; decided without writing, so a build that publishes nothing writes nothing."""

    snapshots: list[CarriedSnapshot] = field(default_factory=list)
    revoked: int = 0
    withdrawals: int = 0  # snapshots whose keyrings are opened to withdraw a protected child
    restored: int = 0  # keyrings of readers back in the register, from <state-dir>/revoked


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
    kept: Path | None = None,
) -> Carried:
    """`kept`: the folder of revoked keyrings (<state-dir>/revoked), if any."""
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
        every = frozenset(protected | set(record.withdrawn))
        one = CarriedSnapshot(
            info=info,
            record=fresh,
            sealed_with=sealed_with,
            drop=drop,
            drop_all=keyring_child_ids(every, master=sealed_with) if every else frozenset(),
        )
        names = sorted(n for n in os.listdir(keyring_dir) if n.endswith(".bin"))
        for name in names:
            reader = readers.get(name[: -len(".bin")])
            if reader is None:
                carried.revoked += 1  # no longer in the register: their keyring goes
                one.revokes.append(keyring_dir / name)
            elif rotated or drop:
                one.reseals.append((keyring_dir / name, reader))
            else:
                one.links.append(keyring_path(record.seq, reader.rid))
        kept_dir = kept / str(record.seq) if kept is not None else None
        if kept_dir is not None and kept_dir.is_dir():
            for path in sorted(kept_dir.glob("*.bin")):
                back = readers.get(path.stem)
                if back is not None and path.name not in names:
                    one.restores.append((path, back))
                    carried.restored += 1
        one.links.extend(record.blobs)
        carried.snapshots.append(one)
    return carried


def write_carried(
    carried: Carried, *, live: Path, site: Path, keys: KeySet, kept: Path | None = None
) -> None:
    """Put the carried snapshots' keyrings and blobs into the new site (links or re-seals);
    keep revoked keyrings in `kept` and drop what it holds for snapshots no longer carried."""
    for one in carried.snapshots:
        (site / "s" / str(one.info.seq) / "k").mkdir(parents=True, exist_ok=True)
        assert one.sealed_with is not None
        for path, reader in one.reseals:
            if not _reseal(path, reader=reader, keys=keys, one=one, site=site, live=live):
                link_file(live, site, keyring_path(one.info.seq, reader.rid))
        for path, reader in one.restores:
            _reseal(path, reader=reader, keys=keys, one=one, site=site, live=live, restoring=True)
        if kept is not None:
            _keep(one, kept=kept / str(one.info.seq), rotated=one.sealed_with is not keys.master)
        for relative in one.links:
            link_file(live, site, relative)


def _keep(one: CarriedSnapshot, *, kept: Path, rotated: bool) -> None:
    if rotated:  # kept files are under rids the next build cannot map: nothing to come back
        shutil.rmtree(kept, ignore_errors=True)
        return
    for path in one.revokes:
        write_atomic(kept / path.name, path.read_bytes())


def forget_kept(kept: Path, *, carried: Carried) -> None:
    """Remove kept keyrings of snapshots past retention (no longer carried)."""
    if not kept.is_dir():
        return
    seqs = {str(one.info.seq) for one in carried.snapshots}
    for folder in kept.iterdir():
        if folder.name not in seqs:
            shutil.rmtree(folder, ignore_errors=True)


def _readers_by_old_rid(plan: BuildPlan, sealed_with: MasterKey) -> dict[str, Reader]:
    """The current readers by the rid they had under the key a snapshot was sealed with."""
    pkey = pseudonym_key(sealed_with)
    return {reader_id(sealed_with, r.subject, pkey=pkey): r for r in plan.readers.values()}


def _reseal(
    path: Path,
    *,
    reader: Reader,
    keys: KeySet,
    one: CarriedSnapshot,
    site: Path,
    live: Path,
    restoring: bool = False,
) -> bool:
    """Re-seal one keyring (new key, a child withdrawn, or a kept one restored: without every
    protected child); False when it stays as it is."""
    info, old_rid, old = one.info, path.stem, one.sealed_with
    assert old is not None
    key = reader_key(old, epoch=info.epoch, rid=old_rid)
    payload = open_json(
        path.read_bytes(), key=key, kind="keyring", blob_id=keyring_blob_id(old_rid, info.seq)
    )
    rev = int(payload.get("rev", 0))
    drop = one.drop_all if restoring else one.drop
    without = withdraw(payload, drop=drop, live=live) if drop else None
    if without is None and old is keys.master and not restoring:
        return False  # nothing withdrawn and the key unchanged: link the file as it is
    if without is not None:
        payload, rev = without, rev + 1  # a higher rev: the app treats the older one as stale
    contents = {k: v for k, v in payload.items() if k not in ("snapshot", "rev", "sig")}
    data = seal_keyring(
        contents, master=keys.master, snapshot=info, rid=reader.rid, rev=rev, signer=keys.signer
    )
    write_new_file(site, keyring_path(info.seq, reader.rid), data)
    return True
