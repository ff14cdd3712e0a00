"""`build()`: the data flow of DESIGN.md as a short list of stages.

    load + validate → plan → render + seal → write snapshot → swap

Everything is gathered and sealed into a staging directory before the live site is touched; the
swap is one atomic rename, and the build state is saved just before it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tqdm import tqdm

from site_builder.export.model import Export
from site_builder.fp1 import pseudonym_key, reader_id
from site_builder.pipeline import ids
from site_builder.pipeline.keyrings import SnapshotInfo, content_hash, keyring_contents
from site_builder.pipeline.keystore import KeySet
from site_builder.pipeline.lock import build_lock, lock_path_for
from site_builder.pipeline.plan import BuildPlan, plan_readers
from site_builder.pipeline.public import config_json, write_shell
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.retained import carry_snapshots, read_live_seq
from site_builder.pipeline.snapshot import SiteLayout
from site_builder.pipeline.state import (
    BlobRecord,
    BuildState,
    SnapshotRecord,
    load_state,
    save_state,
)
from site_builder.pipeline.theme import SERVICE_WORKER, THEMES_ROOT, resolve_theme
from site_builder.pipeline.work import (
    BundleResult,
    BundleTask,
    WorkContext,
    attachment_source,
    run_tasks,
    task_documents,
)
from site_builder.pipeline.write import write_snapshot


class BuildFailed(Exception):
    """The export cannot be published as it is; nothing was written to the site."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out: Path
    state_dir: Path
    theme: str | None = None
    jobs: int = 1
    wait: bool = True
    progress: bool = False
    themes_root: Path = THEMES_ROOT
    service_worker: Path = SERVICE_WORKER
    today: date = field(default_factory=date.today)


def build(
    export: Export, *, options: BuildOptions, keys: KeySet, say: Callable[[str], None] = print
) -> BuildSummary:
    started = time.monotonic()
    theme = resolve_theme(
        export_root=export.root,
        export_theme=export.config.theme,
        theme_name=options.theme,
        themes_root=options.themes_root,
    )
    pkey = pseudonym_key(keys.master)
    plan = plan_readers(export, rid_of=lambda s: reader_id(keys.master, s, pkey=pkey))
    summary = BuildSummary(
        term=export.config.term,
        children=len(plan.children),
        groups=len(plan.groups),
        readers=len(plan.readers),
        excluded=list(plan.excluded),
    )
    layout = SiteLayout(options.out.absolute())
    with build_lock(lock_path_for(layout.out), wait=options.wait, on_wait=say):
        live = layout.live()
        state = load_state(options.state_dir, keys=keys.all)
        layout.remove_leftovers(keep={p for p in (live, _previous_dir(layout, live)) if p})
        seq = max(state.seq, read_live_seq(live)) + 1
        staging = layout.staging(seq)
        try:
            ctx = WorkContext(
                export_root=export.root,
                site=staging,
                live=live,
                theme=theme,
                theme_hash=theme.fingerprint(),
                pkey=pkey,
                master_fp=ids.master_fingerprint(pkey),
                state_key=keys.state_key,
                cache_dir=options.state_dir / "render",
                config=export.config,
            )
            results = _render_and_seal(plan, state=state, ctx=ctx, options=options)
            records, files_of = _collect(results, summary)
            contents = keyring_contents(plan, pkey=pkey, records=records, files_of=files_of)
            snapshot = SnapshotInfo(
                seq=seq,
                epoch=export.config.epoch,
                term=export.config.term,
                published=(export.config.published or options.today).isoformat(),
            )
            carried = carry_snapshots(
                state=state,
                live=live,
                site=staging,
                plan=plan,
                keys=keys,
                today=options.today,
                current=snapshot,
            )
            summary.keyrings_revoked = carried.revoked
            hashes = {rid: content_hash(c) for rid, c in contents.items()}
            summary.keyrings_changed = sorted(
                rid for rid, h in hashes.items() if state.keyrings.get(rid) != h
            )
            shell = write_shell(staging, theme=theme, service_worker=options.service_worker)
            public = content_hash(
                {
                    "config": config_json(export.config).decode(),
                    "shell": shell,
                    "snapshot": [snapshot.epoch, snapshot.term, str(export.config.published)],
                    "earlier": [s.info.seq for s in carried.snapshots],
                }
            )
            unchanged = _nothing_changed(state, hashes, public, carried.revoked, ctx, live=live)
            if unchanged:
                shutil.rmtree(staging, ignore_errors=True)
                summary.seq, summary.published = state.seq, False
                summary.snapshots = [state.seq, *(s.info.seq for s in carried.snapshots)]
                summary.seconds = round(time.monotonic() - started, 3)
                return summary
            summary.keyrings_written = write_snapshot(
                staging,
                snapshot=snapshot,
                earlier=[s.info for s in carried.snapshots],
                contents=contents,
                master=keys.master,
                config=export.config,
                shell=shell,
            )
            new_state = BuildState(
                seq=seq,
                master=ctx.master_fp,
                snapshots=[
                    SnapshotRecord(
                        seq=seq,
                        epoch=snapshot.epoch,
                        term=snapshot.term,
                        published=snapshot.published,
                        retention_until=export.config.retention_until.isoformat(),
                        master=ctx.master_fp,
                        blobs=sorted({r.path for r in records.values()}),
                    ),
                    *(s.record for s in carried.snapshots),
                ],
                blobs=records,
                keyrings=hashes,
                public=public,
            )
            save_state(options.state_dir, new_state, master=keys.master)
            layout.publish(staging, seq=seq)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        keys.forget_retired()  # every retained keyring is now sealed under the current key
        layout.remove_leftovers(keep={layout.out.resolve(), *([live] if live else [])})
    summary.seq, summary.published = seq, True
    summary.snapshots = [seq, *(s.info.seq for s in carried.snapshots)]
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _previous_dir(layout: SiteLayout, live: Path | None) -> Path | None:
    """The snapshot directory before the live one: kept one build longer for slow readers."""
    if live is None or not live.name.removeprefix(".site-").isdigit():
        return None
    live_seq = int(live.name.removeprefix(".site-"))
    older = [
        (int(p.name.removeprefix(".site-")), p)
        for p in layout.parent.glob(".site-[0-9]*")
        if p.name.removeprefix(".site-").isdigit() and p.is_dir() and not p.is_symlink()
    ]
    return max((e for e in older if e[0] < live_seq), default=(0, None))[1]


def _render_and_seal(
    plan: BuildPlan, *, state: BuildState, ctx: WorkContext, options: BuildOptions
) -> list[BundleResult]:
    previous = state.blobs if state.master == ctx.master_fp else {}
    # Each task gets only its own records: the whole state in every task would be O(n²).
    tasks = [_with_own_records(BundleTask(group=g), previous, ctx.pkey) for g in plan.groups]
    tasks += [_with_own_records(BundleTask(child=c), previous, ctx.pkey) for c in plan.children]
    results = run_tasks(ctx, tasks, jobs=options.jobs)
    bar = tqdm(results, total=len(tasks), unit="bundle", disable=not options.progress, leave=False)
    collected = list(bar)
    problems = [p for r in collected for p in r.problems]
    if problems:
        raise BuildFailed(problems)
    return collected


def _with_own_records(task: BundleTask, previous: dict[str, BlobRecord], pkey: bytes) -> BundleTask:
    """The task plus the previous records of its bundle and of its attachments."""
    if task.child is not None:
        bundle = ids.child_bundle_id(pkey, task.child.person.id)
    else:
        assert task.group is not None
        bundle = ids.plan_bundle_id(pkey, task.group.group_id)
    docs = task_documents(task)
    wanted = [bundle]
    for doc in docs:
        for ref in getattr(doc.front, "attachments", []):
            wanted.append(ids.file_blob_id(pkey, attachment_source(doc, ref.file)))
    own = {b: previous[b] for b in wanted if b in previous}
    return BundleTask(child=task.child, group=task.group, previous=own)


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


def _nothing_changed(
    state: BuildState,
    hashes: dict[str, str],
    public: str,
    revoked: int,
    ctx: WorkContext,
    *,
    live: Path | None,
) -> bool:
    """The live site already is what this build would publish (and the state describes it)."""
    return (
        live is not None
        and state.seq == read_live_seq(live)
        and state.master == ctx.master_fp
        and state.public == public
        and state.keyrings == hashes
        and revoked == 0
    )
