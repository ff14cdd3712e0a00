"""Prepared attachments cached by the hash of their source bytes and the pipeline's settings.

Re-encoding an image is the most expensive step per attachment, and the same photo often
appears in many children's posts (a class outing): each distinct source is encoded once, then
read back from the state dir (encrypted like the render cache: a photo of a child is personal
data) or from a small in-memory LRU within a worker.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

from site_builder.pipeline.render.attachments import (
    ATTACHMENT_PIPELINE_VERSION,
    MAX_LONG_SIDE,
    WEBP_QUALITY,
    PreparedAttachment,
    prepare_attachment,
)
from site_builder.pipeline.state.build_state import (
    StateError,
    decrypt_state_bytes,
    encrypt_state_bytes,
    write_atomic,
)

MEMORY_ENTRIES = 64  # a few MB at most: images are re-encoded to phone sizes
_SETTINGS = f"{ATTACHMENT_PIPELINE_VERSION}|{MAX_LONG_SIDE}|{WEBP_QUALITY}"


class PreparedCache:
    """One per worker process. `folder` None: memory only (no state dir)."""

    def __init__(self, *, folder: Path | None, state_key: bytes) -> None:
        self.folder = folder
        self.state_key = state_key
        self.memory: OrderedDict[str, PreparedAttachment] = OrderedDict()
        self.encoded = 0

    def prepare(self, path: Path, *, source_sha256: str, label: str) -> PreparedAttachment:
        """prepare_attachment(path), from the cache when these bytes were prepared before."""
        key = hashlib.sha256(f"{_SETTINGS}|{path.suffix.lower()}|{source_sha256}".encode())
        name = key.hexdigest()
        found = self.memory.get(name) or self._load(name)
        if found is None:
            found = prepare_attachment(path, label=label)  # raises AttachmentError
            self.encoded += 1
            self._store(name, found)
        self.memory[name] = found
        self.memory.move_to_end(name)
        while len(self.memory) > MEMORY_ENTRIES:
            self.memory.popitem(last=False)
        return found

    def _path(self, name: str) -> Path | None:
        return None if self.folder is None else self.folder / name[:2] / f"{name}.bin"

    def _load(self, name: str) -> PreparedAttachment | None:
        path = self._path(name)
        if path is None:
            return None
        try:
            plain = decrypt_state_bytes(path.read_bytes(), key=self.state_key, label=name)
        except (OSError, StateError):
            return None
        media_type, _, data = plain.partition(b"\n")
        return PreparedAttachment(data, media_type.decode("ascii", "replace"))

    def _store(self, name: str, prepared: PreparedAttachment) -> None:
        path = self._path(name)
        if path is None:
            return
        plain = prepared.media_type.encode("ascii") + b"\n" + prepared.data
        data = encrypt_state_bytes(plain, key=self.state_key, label=name)
        write_atomic(path, data, durable=False)  # a cache: a torn file fails authentication
