"""What this build would make live, gathered once every bundle is sealed.

In: the sealed bundles (`Sealed`), the plan, the build state and the memo of the last build.
Out: a `Release` — every blob record, each reader's keyring contents and their hashes, this
snapshot's info, the earlier snapshots carried into it, and one hash of the public files — from
which ways.py chooses how the build goes live, and which says what the build state will be
once it is. The summary learns the counts on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from site_builder.pipeline.incremental.tasks import Sealed
from site_builder.pipeline.incremental.work import BundleResult, WorkContext
from site_builder.pipeline.plan.readers import BuildPlan
from site_builder.pipeline.publish.public import config_json, shell_manifest
from site_builder.pipeline.publish.retained import REVOKED_DIR, Carried, carry_snapshots
from site_builder.pipeline.publish.target import Target
from site_builder.pipeline.publish.terms import child_readers, with_terms
from site_builder.pipeline.publish.withdraw import protected_children
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.seal.keyrings import SnapshotInfo, content_hash, keyring_contents
from site_builder.pipeline.state.build_state import BlobRecord, BuildState, SnapshotRecord


@dataclass(frozen=True, slots=True)
class Release:
    snapshot: SnapshotInfo  # the new snapshot's, were one made
    results: list[BundleResult]
    records: dict[str, BlobRecord]  # blob id → where and under which key it is sealed
    contents: dict[str, dict[str, Any]]  # rid → keyring contents (every reader), term lists in
    hashes: dict[str, str]  # rid → hash of those contents
    carried: Carried  # earlier snapshots still within retention
    public: str  # hash of latest.json minus seq, config.json, shell and sw.js
    shell: str  # the app shell's version (hash of its files)
    tasks: dict[str, list[str]]  # bundle id → [task key, bundle id, file blob ids…]
    task_docs: dict[str, list[str]]
    master_fp: str
    retention_until: str
    # protected children (person ids) this snapshot is made without: recorded so that, once it is
    # an earlier term, a build does not open its keyrings to withdraw them (withdraw.py)
    protected: list[str] = field(default_factory=list)
    # the same without term lists (publish/terms.py), as the memo keeps them for the next build
    memo_contents: dict[str, dict[str, Any]] = field(default_factory=dict)
    memo_hashes: dict[str, str] = field(default_factory=dict)

    def state(self, snapshot: SnapshotInfo, *, rev: int) -> BuildState:
        """The build state once `snapshot` (a new tree, or the live one patched) is live."""
        current = SnapshotRecord(
            seq=snapshot.seq,
            epoch=snapshot.epoch,
            term=snapshot.term,
            published=snapshot.published,
            retention_until=self.retention_until,
            master=self.master_fp,
            blobs=sorted({r.path for r in self.records.values()}),
            withdrawn=self.protected,
            child_readers=child_readers(self.memo_contents),
        )
        return BuildState.model_construct(  # made here from typed parts: no re-validation
            seq=snapshot.seq,
            master=self.master_fp,
            snapshots=[current, *(s.record for s in self.carried.snapshots)],
            blobs=self.records,
            keyrings=self.hashes,
            public=self.public,
            tasks=self.tasks,
            task_docs=self.task_docs,
            rev=rev,
        )


def make_release(
    plan: BuildPlan,
    sealed: Sealed,
    *,
    ctx: WorkContext,
    target: Target,
    today: date,
    summary: BuildSummary,
) -> Release:
    """Keyrings are made again only for readers of bundles not taken from the memo, when the
    memo holds every other reader's contents as the build that left `state` made them."""
    config, state, memo = ctx.config, target.state, target.memo
    records, files_of = _collect(sealed.results, summary)
    only = sealed.touched_readers if memo.keyrings_for(state, plan) else None
    made = keyring_contents(plan, pkey=ctx.pkey, records=records, files_of=files_of, only=only)
    contents = made if only is None else {**memo.contents, **made}
    hashes = {rid: content_hash(c) for rid, c in made.items()}
    hashes = hashes if only is None else {**memo.hashes, **hashes}
    snapshot = SnapshotInfo(
        seq=target.seq,
        epoch=config.epoch,
        term=config.term,
        published=(config.published or today).isoformat(),
    )
    carried = carry_snapshots(
        state=state,
        live=target.live,
        plan=plan,
        keys=target.keys,
        today=today,
        current=snapshot,
        kept=target.state_dir / REVOKED_DIR,
    )
    summary.keyrings_revoked = carried.revoked
    memo_contents, memo_hashes = contents, hashes
    contents, hashes = with_terms(
        contents,
        hashes,
        snapshot=snapshot,
        retention_until=config.retention_until.isoformat(),
        carried=carried.snapshots,
    )
    summary.keyrings_changed = sorted(
        rid for rid, h in hashes.items() if state.keyrings.get(rid) != h
    )
    shell = shell_manifest(ctx.theme, key_list=target.keys.key_list)[1]
    public = content_hash(
        {
            "config": config_json(config).decode(),
            "shell": shell,
            "snapshot": [snapshot.epoch, snapshot.term, str(config.published)],
            "earlier": [s.info.seq for s in carried.snapshots],
        }
    )
    return Release(
        snapshot=snapshot,
        results=sealed.results,
        records=records,
        contents=contents,
        hashes=hashes,
        carried=carried,
        public=public,
        shell=shell,
        tasks={r.bundle_id: [r.key, r.bundle_id, *r.files] for r in sealed.results if r.key},
        task_docs=sealed.doc_keys,
        master_fp=ctx.master_fp,
        retention_until=config.retention_until.isoformat(),
        protected=sorted(protected_children(plan)),
        memo_contents=memo_contents,
        memo_hashes=memo_hashes,
    )


def _collect(
    results: list[BundleResult], summary: BuildSummary
) -> tuple[dict[str, BlobRecord], dict[str, list[str]]]:
    records: dict[str, BlobRecord] = {}
    files_of: dict[str, list[str]] = {}
    for result in results:
        records.update(result.records)
        files_of[result.bundle_id] = result.files
        summary.documents_rendered += result.rendered
        summary.blobs_sealed += len(result.sealed)
        summary.blobs_reused += len(result.reused)
        summary.bytes_written += result.bytes_written
        if result.bundle_id in result.sealed:
            summary.sealed_bundles.append(result.bundle_id)
    return records, files_of
