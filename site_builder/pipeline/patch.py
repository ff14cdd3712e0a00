"""Publishing a correction in place, in time proportional to the correction.

A build whose only changes are some blobs and the keyrings that name them — same term, shell,
config, earlier snapshots and readers as the live snapshot — does not assemble a new site tree
(one hard link per blob and a new keyring per reader: seconds at 10,000 children). It patches
the live snapshot instead, in an order that keeps what readers can reach consistent at every
moment, a crash included:

1. the new blobs go into the live tree's `b/` (content-addressed new names nothing refers to yet);
2. the keyrings go into a new folder `s/<seq>/k.<rev>`: the changed ones sealed with the new
   `rev`, every other one a hard link to the current file;
3. one rename swaps the link `s/<seq>/k` to the new folder: every reader sees the old keyring set
   or the new one, never a mix;
4. keyring folders older than the one just replaced are removed (the one replaced stays for
   readers mid-load, as the previous tree does after a full build).

Superseded blobs stay in the live tree until the next full build, which links only what its
keyrings name. The keyring's `rev` lets the app refuse an older keyring of the same snapshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from site_builder.fp1 import MasterKey
from site_builder.pipeline.keyrings import SnapshotInfo, keyring_dir_name, seal_keyring
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
    link = live / "s" / str(state.seq) / "k"
    return (
        state.public == public
        and revoked == 0
        and hashes.keys() == state.keyrings.keys()
        and link.is_symlink()
        and os.readlink(link) == keyring_dir_name(state.rev)
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
    """Steps 1-4 above. `staging` holds this build's newly sealed blobs; `changed`: the rids
    whose keyring contents changed; `rev`: the live snapshot's revision after this patch."""
    for result in results:  # 1
        for blob_id in result.sealed:
            relative = result.records[blob_id].path
            (live / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, live / relative)
    folder = live / "s" / str(snapshot.seq)
    current, new = os.readlink(folder / "k"), keyring_dir_name(rev)
    shutil.rmtree(folder / new, ignore_errors=True)  # left by a build that crashed here
    (folder / new).mkdir()
    rewrite = set(changed)  # 2
    for name in os.listdir(folder / current):
        if name.endswith(".bin") and name[: -len(".bin")] not in rewrite:
            os.link(folder / current / name, folder / new / name)
    for rid in changed:
        data = seal_keyring(contents[rid], master=master, snapshot=snapshot, rid=rid, rev=rev)
        write_new_file(folder, f"{new}/{rid}.bin", data)
    swap = folder / f".k.{os.getpid()}.tmp"  # 3
    swap.unlink(missing_ok=True)
    swap.symlink_to(new, target_is_directory=True)
    os.replace(swap, folder / "k")
    for name in os.listdir(folder):  # 4, and a swap link left by a build that crashed
        if name.startswith(".k."):
            (folder / name).unlink(missing_ok=True)
        elif name.startswith("k.") and name not in (current, new):
            shutil.rmtree(folder / name, ignore_errors=True)
