"""The three ways a build goes live, and the one place that chooses between them.

    keep_live       nothing changed: the live snapshot stays as it is
    patch_in_place  only blobs and keyring contents changed: a correction is patched into the
                    live snapshot, in time proportional to the correction (patch.py)
    new_snapshot    anything else: a new snapshot tree assembled in staging and swapped in

In: a `Release` (what would go live) and a `Target` (target.py: where, and what is live now).
Out: the site as the release says, the build state saved to describe it, the summary's flags,
and the seq left live.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from site_builder.pipeline.incremental.work import BundleResult
from site_builder.pipeline.publish.patch import (
    patch_live,
    patchable,
    remove_blobs,
    superseded_blobs,
)
from site_builder.pipeline.publish.public import write_shell
from site_builder.pipeline.publish.release import Release
from site_builder.pipeline.publish.retained import (
    REVOKED_DIR,
    forget_kept,
    read_live_seq,
    write_carried,
)
from site_builder.pipeline.publish.target import Target
from site_builder.pipeline.publish.write import write_snapshot
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.seal.blobs import link_file

Way = Callable[[Release, Target, BuildSummary], int]  # → the seq left live


def choose_way(release: Release, target: Target, *, patch: bool) -> Way:
    """How this build goes live: decided here and nowhere else."""
    state, live = target.state, target.live
    if (
        live is not None
        and state.seq == read_live_seq(live)
        and state.master == release.master_fp
        and state.public == release.public
        and state.keyrings == release.hashes
        and release.carried.revoked == 0
        and release.carried.withdrawals == 0
        and release.carried.restored == 0
    ):
        return keep_live  # the live site already is what this build would publish
    if patch and patchable(
        state,
        live=live,
        hashes=release.hashes,
        public=release.public,
        revoked=release.carried.revoked + release.carried.withdrawals + release.carried.restored,
        master_fp=release.master_fp,
    ):
        return patch_in_place
    return new_snapshot


def keep_live(release: Release, target: Target, summary: BuildSummary) -> int:
    state = target.state
    shutil.rmtree(target.staging, ignore_errors=True)
    if (release.tasks, release.task_docs) != (state.tasks, state.task_docs):  # an older state
        state.tasks, state.task_docs = release.tasks, release.task_docs
        target.memo.save_state(target.state_dir, state, master=target.keys.master)
    return state.seq


def patch_in_place(release: Release, target: Target, summary: BuildSummary) -> int:
    state, live = target.state, target.live
    assert live is not None  # patchable() said so
    rev, snapshot = state.rev + 1, replace(release.snapshot, seq=state.seq)
    patch_live(
        live=live,
        staging=target.staging,
        results=release.results,
        contents=release.contents,
        changed=summary.keyrings_changed,
        snapshot=snapshot,
        master=target.keys.master,
        signer=target.keys.signer,
        rev=rev,
    )
    new_state = release.state(snapshot, rev=rev)
    new_state.superseded, remove = superseded_blobs(
        state,
        named={r.path for r in release.records.values()},
        earlier={p for s in release.carried.snapshots for p in s.record.blobs},
        now=int(time.time()),
    )
    target.memo.save_state(target.state_dir, new_state, master=target.keys.master)
    remove_blobs(live, remove)  # after the state: a crash here leaves files only
    shutil.rmtree(target.staging, ignore_errors=True)
    summary.published = summary.patched = True
    summary.keyrings_written = len(summary.keyrings_changed)
    return state.seq


def new_snapshot(release: Release, target: Target, summary: BuildSummary) -> int:
    live, staging, keys = target.live, target.staging, target.keys
    if live is not None:
        _link_reused(release.results, live=live, site=staging)
        kept = target.state_dir / REVOKED_DIR
        write_carried(release.carried, live=live, site=staging, keys=keys, kept=kept)
        forget_kept(kept, carried=release.carried)
    write_shell(
        staging, theme=target.theme, service_worker=target.service_worker, key_list=keys.key_list
    )
    summary.keyrings_written = write_snapshot(
        staging,
        snapshot=release.snapshot,
        earlier=[s.info for s in release.carried.snapshots],
        contents=release.contents,
        master=keys.master,
        signer=keys.signer,
        config=target.config,
        shell=release.shell,
        retention={
            release.snapshot.seq: release.retention_until,
            **{s.info.seq: s.record.retention_until for s in release.carried.snapshots},
        },
    )
    new_state = release.state(release.snapshot, rev=0)
    target.memo.save_state(target.state_dir, new_state, master=keys.master)
    target.layout.publish(staging, seq=target.seq)
    keys.forget_retired()  # every retained keyring is now sealed under the current key
    layout = target.layout
    layout.remove_leftovers(keep={layout.out.resolve(), *([live] if live else [])})
    summary.published = True
    return target.seq


def _link_reused(results: list[BundleResult], *, live: Path, site: Path) -> None:
    """Hard-link every reused blob of the live site into the new snapshot."""
    made: set[str] = set()
    for result in results:
        for blob_id in result.reused:
            path = result.records[blob_id].path
            folder = path.rsplit("/", 1)[0]
            if folder not in made:
                (site / folder).mkdir(parents=True, exist_ok=True)
                made.add(folder)
            link_file(live, site, path)
