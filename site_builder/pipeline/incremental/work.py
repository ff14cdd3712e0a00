"""The per-bundle work of render + seal, run in a process pool (or in-process with --jobs 1).

A task is one child (its bundle and attachments) or one group (its plan bundle and attachments).
A bundle whose inputs did not change and whose readers were not cut is reused without rendering;
otherwise its documents are rendered (through the render cache) and it is sealed under a new key.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from site_builder.export.config import ExportConfig
from site_builder.export.documents import Document
from site_builder.export.problems import ExportInvalid
from site_builder.pipeline.incremental import inputs
from site_builder.pipeline.plan import ids
from site_builder.pipeline.plan.readers import ChildPlan, GroupPlan
from site_builder.pipeline.render.attachments import (
    ATTACHMENT_PIPELINE_VERSION,
    AttachmentError,
    attachment_kind,
    prepare_attachment,
    published_name,
)
from site_builder.pipeline.render.bundles import Views, child_bundle, plan_bundle
from site_builder.pipeline.render.converters import AttachmentView
from site_builder.pipeline.render.fragments import RenderCache, Renderer
from site_builder.pipeline.render.image_cache import PreparedCache
from site_builder.pipeline.seal.blobs import reusable, seal_to_site
from site_builder.pipeline.shell.theme import Theme
from site_builder.pipeline.state.build_state import (
    BlobRecord,
    StateError,
    decrypt_state_bytes,
    encrypt_state_bytes,
    write_atomic,
)


@dataclass(frozen=True, slots=True)
class WorkContext:
    """The same for every task of one build; sent once to each worker."""

    export_root: Path
    site: Path  # the new snapshot being assembled
    live: Path | None  # the published site, whose unchanged blobs are reused
    theme: Theme
    theme_hash: str
    pkey: bytes
    master_fp: str
    state_key: bytes
    cache_dir: Path
    config: ExportConfig
    image_cache_dir: Path | None = None  # prepared images by source hash (image_cache.py)


@dataclass(frozen=True, slots=True)
class BundleTask:
    child: ChildPlan | None = None
    group: GroupPlan | None = None
    previous: dict[str, BlobRecord] = field(default_factory=dict)
    key: str = ""  # the task's input key (inputs.task_key), stored with its results
    docs_key: str = ""  # its documents' part; both "" when the worker is to make them


@dataclass(slots=True)
class BundleResult:
    bundle_id: str
    key: str = ""
    docs_key: str = ""
    records: dict[str, BlobRecord] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    sealed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    rendered: int = 0
    bytes_written: int = 0
    problems: list[str] = field(default_factory=list)


def _digest(*parts: Any) -> str:
    encoded = json.dumps(parts, sort_keys=True, default=_json_default).encode()
    return hashlib.sha256(encoded).hexdigest()


def _json_default(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if callable(dump) else str(value)


class Worker:
    """Holds one Renderer (jinja2 Environment, Markdown) per process."""

    def __init__(self, ctx: WorkContext) -> None:
        self.ctx = ctx
        self.renderer = Renderer(ctx.theme)
        self.images = PreparedCache(folder=ctx.image_cache_dir, state_key=ctx.state_key)
        self.salt = inputs.build_salt(
            master_fp=ctx.master_fp, theme_hash=ctx.theme_hash, config=ctx.config
        )

    def run(self, task: BundleTask) -> BundleResult:
        try:
            docs = task_documents(task)
        except ExportInvalid as exc:  # a stored child re-read from its folder (stored.py)
            return BundleResult(bundle_id="", problems=[str(p) for p in exc.problems])
        readers = list(task.child.readers if task.child else task.group.readers)  # type: ignore[union-attr]
        if task.child is not None:
            bundle_id = ids.child_bundle_id(self.ctx.pkey, task.child.person.id)
        else:
            assert task.group is not None
            bundle_id = ids.plan_bundle_id(self.ctx.pkey, task.group.group_id)
        result = BundleResult(bundle_id=bundle_id, key=task.key, docs_key=task.docs_key)
        if not task.key:  # the main process left the documents unread: the keys are made here
            sources = attachment_sources(docs)
            root = str(self.ctx.export_root)
            result.docs_key = inputs.docs_key(docs=docs, attachments=sources, export_root=root)
            context = task_context(task)
            result.key = inputs.task_key(
                salt=self.salt, context=context, readers=readers, docs_key=result.docs_key
            )
        views = self._attachments(docs, readers=readers, task=task, result=result)
        if result.problems:
            return result
        fingerprint = _digest(
            "bundle",
            self.ctx.master_fp,
            self.ctx.theme_hash,
            _bundle_inputs(task, self.ctx.config),
            [(d.source.as_posix(), d.sha256) for d in docs],
            {k: [asdict(v) for v in vs] for k, vs in views.items()},
        )
        previous = task.previous.get(bundle_id)
        if previous is not None and reusable(
            previous, fingerprint=fingerprint, readers=readers, live=self.ctx.live
        ):
            self._reuse(bundle_id, previous, result)
            return result
        cache = RenderCache(self._load_cache(bundle_id))
        if task.child is not None:
            payload = child_bundle(
                task.child,
                config=self.ctx.config,
                pkey=self.ctx.pkey,
                renderer=self.renderer,
                cache=cache,
                views=views,
            )
            kind = "child"
        else:
            assert task.group is not None
            payload = plan_bundle(
                task.group, pkey=self.ctx.pkey, renderer=self.renderer, cache=cache, views=views
            )
            kind = "plan"
        record = seal_to_site(
            self.ctx.site,
            payload,
            kind=kind,
            blob_id=bundle_id,
            fingerprint=fingerprint,
            readers=readers,
        )
        self._store_cache(bundle_id, cache.current)
        result.rendered += cache.rendered
        self._sealed(bundle_id, record, result)
        return result

    def _attachments(
        self,
        docs: list[Document[Any]],
        *,
        readers: list[str],
        task: BundleTask,
        result: BundleResult,
    ) -> Views:
        views: Views = {}
        for doc in docs:
            for ref in getattr(doc.front, "attachments", []):
                source = attachment_source(doc, ref.file)
                label = f"{source} (named in {doc.source.as_posix()})"
                kind = attachment_kind(ref.file)
                path = self.ctx.export_root / source
                if source.startswith("../") or not path.is_file() or kind == "other":
                    result.problems.append(
                        f"{label}: missing, outside the export or not an image/PDF; "
                        "fix the `attachments` entry"
                    )
                    continue
                blob_id = ids.file_blob_id(self.ctx.pkey, source)
                name = published_name(ref.file)
                views.setdefault(doc.source.as_posix(), []).append(
                    AttachmentView(ref.file, blob_id, kind, name, ref.alt, ref.caption)
                )
                if blob_id in result.records:
                    continue
                source_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
                fingerprint = _digest(
                    "file", ATTACHMENT_PIPELINE_VERSION, self.ctx.master_fp, source_sha256
                )
                result.files.append(blob_id)
                previous = task.previous.get(blob_id)
                if previous is not None and reusable(
                    previous, fingerprint=fingerprint, readers=readers, live=self.ctx.live
                ):
                    self._reuse(blob_id, previous, result)
                    continue
                try:
                    if kind == "image":
                        prepared = self.images.prepare(
                            path, source_sha256=source_sha256, label=label
                        )
                    else:
                        prepared = prepare_attachment(path, label=label)
                except AttachmentError as exc:
                    result.problems.append(str(exc))
                    continue
                record = seal_to_site(
                    self.ctx.site,
                    prepared.data,
                    kind="file",
                    blob_id=blob_id,
                    fingerprint=fingerprint,
                    readers=readers,
                    media_type=prepared.media_type,
                    name=name,
                )
                self._sealed(blob_id, record, result)
        return views

    def _reuse(self, blob_id: str, record: BlobRecord, result: BundleResult) -> None:
        # Linked into the new snapshot by the main process, and only if the build publishes.
        result.records[blob_id] = record
        result.reused.append(blob_id)

    def _sealed(self, blob_id: str, record: BlobRecord, result: BundleResult) -> None:
        result.records[blob_id] = record
        result.sealed.append(blob_id)
        result.bytes_written += record.size

    def _cache_path(self, bundle_id: str) -> Path:
        return self.ctx.cache_dir / bundle_id[:2] / f"{bundle_id}.bin"

    def _load_cache(self, bundle_id: str) -> dict[str, str]:
        path = self._cache_path(bundle_id)
        try:
            plain = decrypt_state_bytes(path.read_bytes(), key=self.ctx.state_key, label=bundle_id)
            loaded = json.loads(plain)
        except (OSError, StateError, ValueError):
            return {}  # no cache or an unreadable one: render again
        return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}

    def _store_cache(self, bundle_id: str, fragments: dict[str, str]) -> None:
        plain = json.dumps(fragments, sort_keys=True).encode()
        data = encrypt_state_bytes(plain, key=self.ctx.state_key, label=bundle_id)
        # A cache, not a record: a torn file fails authentication and is rendered again.
        write_atomic(self._cache_path(bundle_id), data, durable=False)


def attachment_source(doc: Document[Any], file: str) -> str:
    """An attachment's path inside the export (POSIX), from the Markdown file that names it."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(doc.rel), file))


def attachment_sources(docs: list[Document[Any]]) -> list[str]:
    """Every attachment of the documents, as paths inside the export (the blob ids' sources)."""
    return [attachment_source(doc, file) for doc in docs for file in doc.attachment_files]


def task_documents(task: BundleTask) -> list[Document[Any]]:
    if task.group is not None:
        return list(task.group.docs)
    assert task.child is not None
    docs = task.child.docs
    singles = [d for d in (docs.iup, docs.talk) if d is not None]
    return [*docs.posts, *docs.assessments, *singles]


def _bundle_inputs(task: BundleTask, config: ExportConfig) -> Any:
    """Everything besides documents and attachments that shapes the bundle's JSON."""
    context = task_context(task)
    if task.group is not None:
        return context
    return [*context, config.scales, config.iup_templates, config.talk_templates]


def task_context(task: BundleTask) -> list[Any]:
    """The register-derived inputs of a task's bundle (the export config is added apart)."""
    if task.group is not None:
        return ["plan", task.group.group_id, task.group.name]
    child = task.child
    assert child is not None
    person = child.person
    return [
        "child",
        person.id,
        person.givenName,
        person.familyName,
        child.school,
        child.group_name,
        child.school_year,
        child.groups,
        child.school_type,
        child.contacts,
        child.school_key,
        child.received,
    ]


# The pool initializer's per-process Worker (one jinja2 Environment per process).
_PROCESS_WORKER: list[Worker] = []


def _init_process(ctx: WorkContext) -> None:
    _PROCESS_WORKER.append(Worker(ctx))


def _run_in_process(task: BundleTask) -> BundleResult:
    return _PROCESS_WORKER[0].run(task)


def run_tasks(ctx: WorkContext, tasks: list[BundleTask], *, jobs: int) -> Iterator[BundleResult]:
    """Results in task order; a process pool when jobs > 1 and there is enough work."""
    if jobs <= 1 or len(tasks) < 2 * jobs:
        worker = Worker(ctx)
        for task in tasks:
            yield worker.run(task)
        return
    mp_context = get_context("forkserver")
    chunk = max(1, min(64, len(tasks) // (jobs * 8)))
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=mp_context, initializer=_init_process, initargs=(ctx,)
    ) as pool:
        yield from pool.map(_run_in_process, tasks, chunksize=chunk)
