"""Publishing a correction in place, in time proportional to the correction.

A build whose only changes are some blobs and the keyrings that name them — same term, shell,
config, earlier snapshots and readers as the live snapshot — does not assemble a new site tree
(one hard link per blob and a new keyring per reader: seconds at 10,000 children). It patches
the live snapshot instead, in an order that keeps every reader's view whole at every moment, a
crash included:

1. the new blobs go into the live tree's `b/` (content-addressed new names nothing refers to yet);
2. each changed keyring, sealed with the new `rev` in the staging folder, replaces the reader's
   keyring with one rename: a reader gets the old keyring or the new one, and either names only
   blobs that exist.

The build state is saved after the last rename. A build killed between two renames has left
some readers on the correction and others not (each keyring whole); the next build finds the
state still at the old revision and re-publishes them all. Readers do not share keyrings, so no
reader can see a mix. The keyring's `rev` lets the app refuse an older keyring of the same
snapshot.

After the state, the blobs corrections replaced go: a correction is often made because something
was wrong, and the old version has no reader left once everyone who fetched the old keyring has
fetched its blobs. They are kept SUPERSEDED_GRACE_SECONDS (readers mid-load), and never while an
earlier snapshot names them. A full build links only what its keyrings name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from site_builder.fp1 import MasterKey
from site_builder.fp1.sign import Signer
from site_builder.pipeline.incremental.work import BundleResult
from site_builder.pipeline.publish.retained import read_live_seq
from site_builder.pipeline.seal.blobs import write_new_file
from site_builder.pipeline.seal.keyrings import SnapshotInfo, keyring_path, seal_keyring
from site_builder.pipeline.state.build_state import BuildState

SUPERSEDED_GRACE_SECONDS = 600


def patchable(
    state: BuildState,
    *,
    live: Path | None,
    hashes: dict[str, str],
    public: str,
    revoked: int,
    master_fp: str,
) -> bool:
    """Whether the live snapshot differs from this build only in blobs and keyring contents."""
    if live is None or state.seq != read_live_seq(live) or state.master != master_fp:
        return False
    return (
        state.public == public
        and revoked == 0
        and hashes.keys() == state.keyrings.keys()
        and (live / "s" / str(state.seq) / "k").is_dir()
    )


def patch_live(
    *,
    live: Path,
    staging: Path,
    results: list[BundleResult],
    contents: dict[str, dict[str, Any]],
    changed: list[str],
    snapshot: SnapshotInfo,
    master: MasterKey,
    signer: Signer | None,
    rev: int,
) -> None:
    """Steps 1-2 above. `staging` holds this build's newly sealed blobs; `changed`: the rids
    whose keyring contents changed; `rev`: the live snapshot's revision after this patch."""
    for result in results:  # 1
        for blob_id in result.sealed:
            relative = result.records[blob_id].path
            (live / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, live / relative)
    sealed = []
    for rid in changed:  # all sealed before the first rename: a failure here publishes nothing
        relative = keyring_path(snapshot.seq, rid)
        data = seal_keyring(
            contents[rid], master=master, snapshot=snapshot, rid=rid, rev=rev, signer=signer
        )
        write_new_file(staging, relative, data)
        sealed.append(relative)
    for relative in sealed:  # 2
        os.replace(staging / relative, live / relative)


def superseded_blobs(
    state: BuildState, *, named: set[str], earlier: set[str], now: int
) -> tuple[dict[str, int], list[str]]:
    """(kept, to remove): the live snapshot's blobs this patch no longer names join those kept
    from earlier patches; those kept past the grace are to be removed, unless the snapshot
    (`named`) or an earlier one (`earlier`) names them."""
    current = state.snapshots[0].blobs if state.snapshots else []
    kept = dict(state.superseded)
    for path in current:
        if path not in named:
            kept.setdefault(path, now)
    expired = [path for path, since in kept.items() if now - since >= SUPERSEDED_GRACE_SECONDS]
    for path in expired:
        del kept[path]
    return kept, [p for p in expired if p not in named and p not in earlier]


def remove_blobs(live: Path, paths: list[str]) -> None:
    for path in paths:
        (live / path).unlink(missing_ok=True)
