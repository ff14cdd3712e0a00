"""`build()`: the data flow of DESIGN.md as a short list of stages.

    load + validate → plan → render + seal → write snapshot → swap

Everything is gathered and sealed into a staging directory before the live site is touched; the
swap is one atomic rename, and the build state is saved just before it.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from tqdm import tqdm

from site_builder.export.model import Export
from site_builder.export.stored import StoredChild
from site_builder.fp1 import pseudonym_key, reader_id
from site_builder.pipeline import ids, inputs
from site_builder.pipeline.keyrings import SnapshotInfo, content_hash, keyring_contents
from site_builder.pipeline.keystore import KeySet
from site_builder.pipeline.lock import build_lock, lock_path_for
from site_builder.pipeline.patch import patch_live, patchable
from site_builder.pipeline.plan import BuildPlan, plan_readers
from site_builder.pipeline.public import config_json, shell_manifest, write_shell
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.retained import (
    Carried,
    carry_snapshots,
    read_live_seq,
    write_carried,
)
from site_builder.pipeline.seal import link_file
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
    attachment_sources,
    run_tasks,
    task_context,
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
    patch: bool = True  # a correction within the live snapshot is patched in (patch.py)


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
                image_cache_dir=options.state_dir / "images",
                config=export.config,
            )
            results, doc_keys = _render_and_seal(plan, state=state, ctx=ctx, options=options)
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
            shell = shell_manifest(theme)[1]
            public = content_hash(
                {
                    "config": config_json(export.config).decode(),
                    "shell": shell,
                    "snapshot": [snapshot.epoch, snapshot.term, str(export.config.published)],
                    "earlier": [s.info.seq for s in carried.snapshots],
                }
            )
            unchanged = _nothing_changed(state, hashes, public, carried.revoked, ctx, live=live)
            tasks = {r.bundle_id: [r.key, r.bundle_id, *r.files] for r in results if r.key}
            if unchanged:
                shutil.rmtree(staging, ignore_errors=True)
                if (tasks, doc_keys) != (state.tasks, state.task_docs):  # e.g. an older state
                    state.tasks, state.task_docs = tasks, doc_keys
                    save_state(options.state_dir, state, master=keys.master)
                return _finished(summary, seq=state.seq, carried=carried, started=started)
            after = _StateAfter(
                carried=[s.record for s in carried.snapshots],
                records=records,
                keyrings=hashes,
                public=public,
                tasks=tasks,
                task_docs=doc_keys,
                master_fp=ctx.master_fp,
                retention_until=export.config.retention_until.isoformat(),
            )
            patch = options.patch and patchable(
                state,
                live=live,
                hashes=hashes,
                public=public,
                revoked=carried.revoked,
                master_fp=ctx.master_fp,
            )
            if patch and live is not None:
                rev, snapshot = state.rev + 1, replace(snapshot, seq=state.seq)
                patch_live(
                    live=live,
                    staging=staging,
                    results=results,
                    contents=contents,
                    changed=summary.keyrings_changed,
                    snapshot=snapshot,
                    master=keys.master,
                    rev=rev,
                )
                save_state(options.state_dir, after.state(snapshot, rev=rev), master=keys.master)
                shutil.rmtree(staging, ignore_errors=True)
                summary.published = summary.patched = True
                summary.keyrings_written = len(summary.keyrings_changed)
                return _finished(summary, seq=state.seq, carried=carried, started=started)
            if live is not None:
                _link_reused(results, live=live, site=staging)
                write_carried(carried, live=live, site=staging, keys=keys)
            write_shell(staging, theme=theme, service_worker=options.service_worker)
            summary.keyrings_written = write_snapshot(
                staging,
                snapshot=snapshot,
                earlier=[s.info for s in carried.snapshots],
                contents=contents,
                master=keys.master,
                config=export.config,
                shell=shell,
            )
            save_state(options.state_dir, after.state(snapshot, rev=0), master=keys.master)
            layout.publish(staging, seq=seq)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        keys.forget_retired()  # every retained keyring is now sealed under the current key
        layout.remove_leftovers(keep={layout.out.resolve(), *([live] if live else [])})
    summary.published = True
    return _finished(summary, seq=seq, carried=carried, started=started)


def _finished(summary: BuildSummary, *, seq: int, carried: Carried, started: float) -> BuildSummary:
    """The summary of a build that leaves snapshot `seq` live (published or not)."""
    summary.seq = seq
    summary.snapshots = [seq, *(s.info.seq for s in carried.snapshots)]
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


@dataclass(frozen=True, slots=True)
class _StateAfter:
    """What the build state will say once this build is live (a new tree or a patch)."""

    carried: list[SnapshotRecord]
    records: dict[str, BlobRecord]
    keyrings: dict[str, str]
    public: str
    tasks: dict[str, list[str]]
    task_docs: dict[str, list[str]]
    master_fp: str
    retention_until: str

    def state(self, snapshot: SnapshotInfo, *, rev: int) -> BuildState:
        current = SnapshotRecord(
            seq=snapshot.seq,
            epoch=snapshot.epoch,
            term=snapshot.term,
            published=snapshot.published,
            retention_until=self.retention_until,
            master=self.master_fp,
            blobs=sorted({r.path for r in self.records.values()}),
        )
        return BuildState(
            seq=snapshot.seq,
            master=self.master_fp,
            snapshots=[current, *self.carried],
            blobs=self.records,
            keyrings=self.keyrings,
            public=self.public,
            tasks=self.tasks,
            task_docs=self.task_docs,
            rev=rev,
        )


def _previous_dir(layout: SiteLayout, live: Path | None) -> Path | None:
    """The snapshot directory before the live one: kept one build longer for slow readers."""
    live_seq = layout.snapshot_seq(live) if live is not None else None
    if live_seq is None:
        return None
    return max((e for e in layout.snapshots() if e[0] < live_seq), default=(0, None))[1]


def _render_and_seal(
    plan: BuildPlan, *, state: BuildState, ctx: WorkContext, options: BuildOptions
) -> tuple[list[BundleResult], dict[str, list[str]]]:
    """The results of every task, and each child task's [folder signature, docs key]."""
    previous = state.blobs if state.master == ctx.master_fp and ctx.live is not None else {}
    salt = inputs.build_salt(master_fp=ctx.master_fp, theme_hash=ctx.theme_hash, config=ctx.config)
    root = str(ctx.export_root)
    collected: list[BundleResult] = []
    misses: list[BundleTask] = []
    tasks = [BundleTask(group=g) for g in plan.groups]
    tasks += [BundleTask(child=c) for c in plan.children]
    sig_of: dict[str, str] = {}
    for task in tasks:
        bundle = _bundle_id(task, ctx.pkey)
        stored, known = state.tasks.get(bundle), state.task_docs.get(bundle)
        sig = task.child.docs.sig if task.child is not None else None
        in_memory = task.child is None or not isinstance(task.child.docs, StoredChild)
        docs_key, files = "", stored[2:] if stored is not None else []
        if sig is not None and stored is not None and known is not None and known[0] == sig:
            docs_key = known[1]  # an unchanged folder: no document read
        elif in_memory:  # a group's plans, or a child the loader could not store
            docs = task_documents(task)
            sources = attachment_sources(docs)
            docs_key = inputs.docs_key(docs=docs, attachments=sources, export_root=root)
            files = [ids.file_blob_id(ctx.pkey, s) for s in sources]
        # else: a changed or new child; its worker reads the documents and makes the keys
        if sig is not None:
            sig_of[bundle] = sig
        readers = list(task.child.readers if task.child else task.group.readers)  # type: ignore[union-attr]
        context = task_context(task)
        key = docs_key and inputs.task_key(
            salt=salt, context=context, readers=readers, docs_key=docs_key
        )
        hit = _unchanged(stored, key=key, previous=previous, live=ctx.live) if key else None
        if hit is not None:
            hit.docs_key = docs_key
            collected.append(hit)
            continue
        # Each task gets only its own records: the whole state in every task would be O(n²).
        own = {b: previous[b] for b in [bundle, *files] if b in previous}
        misses.append(
            BundleTask(child=task.child, group=task.group, previous=own, key=key, docs_key=docs_key)
        )
    results = run_tasks(ctx, misses, jobs=options.jobs)
    bar = tqdm(results, total=len(misses), unit="bundle", disable=not options.progress, leave=False)
    collected.extend(bar)
    problems = [p for r in collected for p in r.problems]
    if problems:
        raise BuildFailed(problems)
    doc_keys = {
        r.bundle_id: [sig_of[r.bundle_id], r.docs_key]
        for r in collected
        if r.bundle_id in sig_of and r.docs_key
    }
    return collected, doc_keys


def _bundle_id(task: BundleTask, pkey: bytes) -> str:
    if task.child is not None:
        return ids.child_bundle_id(pkey, task.child.person.id)
    assert task.group is not None
    return ids.plan_bundle_id(pkey, task.group.group_id)


def _unchanged(
    stored: list[str] | None,
    *,
    key: str,
    previous: dict[str, BlobRecord],
    live: Path | None,
) -> BundleResult | None:
    """The previous build's result for a task whose inputs are all the same, if still live."""
    if stored is None or stored[0] != key or live is None:
        return None
    blob_ids = stored[1:]
    records = {b: previous[b] for b in blob_ids if b in previous}
    if len(records) != len(blob_ids):
        return None
    if not all(os.path.isfile(os.path.join(live, r.path)) for r in records.values()):
        return None
    return BundleResult(
        bundle_id=blob_ids[0],
        key=key,
        records=records,
        files=blob_ids[1:],
        reused=list(dict.fromkeys(blob_ids)),
    )


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
