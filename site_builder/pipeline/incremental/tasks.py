"""Render + seal: one task per bundle (a child's documents, a group's unit plans).

A task whose inputs are all as the last build made them is not run: its result is taken from the
memo (the last build in this process, memo.py) or, via its task key, from the live site (the
build state names its blobs). Only the rest go to the workers (work.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from site_builder.export.stored import StoredChild
from site_builder.pipeline.incremental import inputs
from site_builder.pipeline.incremental.memo import BuildMemo, TaskMemo
from site_builder.pipeline.incremental.work import (
    BundleResult,
    BundleTask,
    WorkContext,
    attachment_sources,
    run_tasks,
    task_context,
    task_documents,
)
from site_builder.pipeline.plan import ids
from site_builder.pipeline.plan.readers import BuildPlan, ChildPlan, GroupPlan
from site_builder.pipeline.state.build_state import BlobRecord, BuildState


@dataclass(frozen=True, slots=True)
class Sealed:
    results: list[BundleResult]
    doc_keys: dict[str, list[str]]  # child bundle id → [folder signature, docs key]
    memo: dict[str, TaskMemo]  # for the next build in this process
    touched_readers: set[str]  # readers of every bundle not taken from the memo
    problems: list[str]  # what stops the build (an attachment that cannot be read, ...)


def render_and_seal(
    plan: BuildPlan,
    *,
    state: BuildState,
    ctx: WorkContext,
    memo: BuildMemo,
    jobs: int,
    progress: bool,
) -> Sealed:
    """The results of every task: from the memo (the last build in this process left this
    state and the task's plan entry is the same), from the live site, or sealed anew."""
    previous = state.blobs if state.master == ctx.master_fp and ctx.live is not None else {}
    salt = inputs.build_salt(master_fp=ctx.master_fp, theme_hash=ctx.theme_hash, config=ctx.config)
    root = str(ctx.export_root)
    collected: list[BundleResult] = []
    misses: list[BundleTask] = []
    tasks = [BundleTask(group=g) for g in plan.groups]
    tasks += [BundleTask(child=c) for c in plan.children]
    sig_of: dict[str, str] = {}
    last = memo.tasks if memo.current(state) else {}
    made: dict[str, TaskMemo] = {}
    touched: set[str] = set()
    for task in tasks:
        entry: ChildPlan | GroupPlan = task.child or task.group  # type: ignore[assignment]
        name = _memo_name(task)
        hit = _memo_hit(last.get(name), entry=entry, salt=salt, state=state)
        if hit is not None:
            collected.append(hit)
            made[name] = last[name]
            if task.child is not None and task.child.docs.sig is not None:
                sig_of[hit.bundle_id] = task.child.docs.sig
            continue
        touched.update(entry.readers)
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
        context = task_context(task)
        key = docs_key and inputs.task_key(
            salt=salt, context=context, readers=list(entry.readers), docs_key=docs_key
        )
        hit = _unchanged(stored, key=key, previous=previous, live=ctx.live) if key else None
        if hit is not None:
            hit.docs_key = docs_key
            collected.append(hit)
            made[name] = TaskMemo.of(entry, salt=salt, result=hit)
            continue
        # Each task gets only its own records: the whole state in every task would be O(n²).
        own = {b: previous[b] for b in [bundle, *files] if b in previous}
        misses.append(
            BundleTask(child=task.child, group=task.group, previous=own, key=key, docs_key=docs_key)
        )
    results = run_tasks(ctx, misses, jobs=jobs)
    bar = tqdm(results, total=len(misses), unit="bundle", disable=not progress, leave=False)
    for task, result in zip(misses, bar, strict=True):
        collected.append(result)
        entry = task.child or task.group  # type: ignore[assignment]
        if not result.problems:
            made[_memo_name(task)] = TaskMemo.of(entry, salt=salt, result=result)
    problems = [p for r in collected for p in r.problems]
    doc_keys = {
        r.bundle_id: [sig_of[r.bundle_id], r.docs_key]
        for r in collected
        if r.bundle_id in sig_of and r.docs_key
    }
    return Sealed(
        results=collected, doc_keys=doc_keys, memo=made, touched_readers=touched, problems=problems
    )


def _memo_name(task: BundleTask) -> str:
    return f"c:{task.child.person.id}" if task.child else f"g:{task.group.group_id}"  # type: ignore[union-attr]


def _memo_hit(
    memo: TaskMemo | None, *, entry: ChildPlan | GroupPlan, salt: str, state: BuildState
) -> BundleResult | None:
    """The last build's result when the task's plan entry and the build salt are the same
    objects and values: its blobs are live as that build left them (the memo is current)."""
    if memo is None or memo.entry is not entry or memo.salt != salt:
        return None
    stored = state.tasks.get(memo.result.bundle_id)
    return memo.result if stored is not None and stored[0] == memo.result.key else None


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
