"""`build()`: the data flow of DESIGN.md as a short list of stages.

    load + validate → plan → render + seal → write snapshot → swap

Everything is gathered and sealed into a staging directory before the live site is touched; the
swap is one atomic rename, and the build state is saved just before it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

from site_builder.export.model import Export
from site_builder.fp1 import pseudonym_key, reader_id
from site_builder.pipeline.incremental.memo import BuildMemo
from site_builder.pipeline.incremental.tasks import render_and_seal
from site_builder.pipeline.incremental.work import (
    BundleResult,
    WorkContext,
)
from site_builder.pipeline.plan import ids
from site_builder.pipeline.publish.lock import BuildLocked, build_lock, lock_path_for
from site_builder.pipeline.publish.patch import (
    patch_live,
    patchable,
    remove_blobs,
    superseded_blobs,
)
from site_builder.pipeline.publish.public import config_json, shell_manifest, write_shell
from site_builder.pipeline.publish.retained import (
    Carried,
    carry_snapshots,
    read_live_seq,
    write_carried,
)
from site_builder.pipeline.publish.snapshot import LayoutError, SiteLayout
from site_builder.pipeline.publish.write import write_snapshot
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.seal.blobs import link_file
from site_builder.pipeline.seal.keyrings import SnapshotInfo, content_hash, keyring_contents
from site_builder.pipeline.shell.theme import SERVICE_WORKER, THEMES_ROOT, ThemeError, resolve_theme
from site_builder.pipeline.state.build_state import (
    BlobRecord,
    BuildState,
    SnapshotRecord,
    StateError,
)
from site_builder.pipeline.state.keystore import KeySet


class BuildFailed(Exception):
    """The export cannot be published as it is; nothing was written to the site."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# What a build raises that a person can fix (or wait out); a resident builder reports these and
# keeps watching (the preview and `build --watch`), anything else is a bug.
BUILD_ERRORS = (BuildFailed, BuildLocked, LayoutError, StateError, ThemeError, OSError)


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
    patch: bool = True  # a correction within the live snapshot is patched in (publish/patch.py)


def build(
    export: Export,
    *,
    options: BuildOptions,
    keys: KeySet,
    say: Callable[[str], None] = print,
    memo: BuildMemo | None = None,
) -> BuildSummary:
    """`memo`: what the last build in this process left (incremental/memo.py); none: one-shot."""
    started = time.monotonic()
    memo = memo if memo is not None else BuildMemo()
    theme = resolve_theme(
        export_root=export.root,
        export_theme=export.config.theme,
        theme_name=options.theme,
        themes_root=options.themes_root,
    )
    pkey = pseudonym_key(keys.master)
    plan = memo.plan_for(export, pkey=pkey, rid_of=lambda s: reader_id(keys.master, s, pkey=pkey))
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
        state = memo.load_state(options.state_dir, keys=keys.all)
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
            sealed = render_and_seal(
                plan,
                state=state,
                ctx=ctx,
                memo=memo,
                jobs=options.jobs,
                progress=options.progress,
            )
            if sealed.problems:
                raise BuildFailed(sealed.problems)
            results, doc_keys = sealed.results, sealed.doc_keys
            records, files_of = _collect(results, summary)
            only = sealed.touched_readers if memo.keyrings_for(state, plan) else None
            made = keyring_contents(plan, pkey=pkey, records=records, files_of=files_of, only=only)
            contents = made if only is None else {**memo.contents, **made}
            hashes = {rid: content_hash(c) for rid, c in made.items()}
            hashes = hashes if only is None else {**memo.hashes, **hashes}
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
            remember = partial(
                memo.remember,
                tasks=sealed.memo,
                readers=plan.readers,
                contents=contents,
                hashes=hashes,
            )
            if unchanged:
                shutil.rmtree(staging, ignore_errors=True)
                if (tasks, doc_keys) != (state.tasks, state.task_docs):  # e.g. an older state
                    state.tasks, state.task_docs = tasks, doc_keys
                    memo.save_state(options.state_dir, state, master=keys.master)
                remember()
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
                new_state = after.state(snapshot, rev=rev)
                new_state.superseded, remove = superseded_blobs(
                    state,
                    named={r.path for r in records.values()},
                    earlier={p for s in after.carried for p in s.blobs},
                    now=int(time.time()),
                )
                memo.save_state(options.state_dir, new_state, master=keys.master)
                remember()
                remove_blobs(live, remove)  # after the state: a crash here leaves files only
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
            memo.save_state(options.state_dir, after.state(snapshot, rev=0), master=keys.master)
            layout.publish(staging, seq=seq)
            remember()
        except BaseException:
            memo.forget()  # what is live now is not known for certain
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
        return BuildState.model_construct(  # made here from typed parts: no re-validation
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
