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
reader can see a mix. Superseded blobs stay in the live tree until the next full build, which
links only what its keyrings name. The keyring's `rev` lets the app refuse an older keyring of
the same snapshot.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from site_builder.fp1 import MasterKey
from site_builder.pipeline.keyrings import SnapshotInfo, keyring_path, seal_keyring
from site_builder.pipeline.retained import read_live_seq
from site_builder.pipeline.seal import write_new_file
from site_builder.pipeline.state import BuildState
from site_builder.pipeline.work import BundleResult


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
        data = seal_keyring(contents[rid], master=master, snapshot=snapshot, rid=rid, rev=rev)
        write_new_file(staging, relative, data)
        sealed.append(relative)
    for relative in sealed:  # 2
        os.replace(staging / relative, live / relative)
