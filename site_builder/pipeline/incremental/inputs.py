"""Per-task input keys: the cheap test that lets an unchanged child cost one dict lookup.

A task's key hashes everything its blobs are made from — each document's sha256 (front matter and
body), each attachment's stat, the register-derived context, the theme, the readers and the
master key generation. When the key equals the one stored with the previous build, the previous
records are reused as they are: nothing is rendered, read, re-encoded or sealed. Any difference
sends the task to a worker, which still reuses what it can (attachments by content hash).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from site_builder.export.config import ExportConfig
from site_builder.export.documents import Document
from site_builder.pipeline.render.attachments import ATTACHMENT_PIPELINE_VERSION

KEY_VERSION = "task-2"


def _json_default(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if callable(dump) else str(value)


def digest(*parts: Any) -> str:
    encoded = json.dumps(parts, sort_keys=True, default=_json_default).encode()
    return hashlib.sha256(encoded).hexdigest()


def build_salt(*, master_fp: str, theme_hash: str, config: ExportConfig) -> str:
    """The inputs shared by every task of a build (computed once, not per child)."""
    return digest(
        KEY_VERSION,
        ATTACHMENT_PIPELINE_VERSION,
        master_fp,
        theme_hash,
        config.scales,
        config.iup_templates,
        config.talk_templates,
    )


def attachment_stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def docs_key(*, docs: list[Document[Any]], attachments: list[str], export_root: str) -> str:
    """A task's documents (path and sha256 each) and attachments (path and stat each).
    `attachments`: paths inside the export (POSIX, as in the blob ids). Stored with the folder's
    signature, it is reused without reading a document while the folder is unchanged."""
    h = hashlib.sha256(b"docs")
    for doc in docs:
        h.update(f"\0{doc.rel}\0{doc.sha256}".encode())
    for source in attachments:
        stat = attachment_stat(os.path.join(export_root, source))
        h.update(f"\1{source}\0{stat}".encode())
    return h.hexdigest()


def task_key(*, salt: str, context: Any, readers: list[str], docs_key: str) -> str:
    h = hashlib.sha256(salt.encode())
    h.update(json.dumps([context, sorted(readers)], default=_json_default).encode())
    h.update(docs_key.encode())
    return h.hexdigest()
