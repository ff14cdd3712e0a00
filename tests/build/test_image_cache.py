"""Prepared images are cached by source hash: the same bytes are re-encoded once."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from site_builder.pipeline.render.attachments import AttachmentError, prepare_attachment
from site_builder.pipeline.render.image_cache import PreparedCache
from tests.build.scratch import SECRETS_IN_IMAGE, metadata_image


def _photo(folder: Path, name: str) -> tuple[Path, str]:
    data = metadata_image()
    path = folder / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_same_source_is_encoded_once_and_read_back_encrypted(tmp_path: Path) -> None:
    key = os.urandom(32)
    a, sha = _photo(tmp_path, "a.jpg")
    b, _ = _photo(tmp_path, "b.jpg")  # another child's copy of the same photo
    cache = PreparedCache(folder=tmp_path / "images", state_key=key)
    first = cache.prepare(a, source_sha256=sha, label="a.jpg")
    assert cache.prepare(b, source_sha256=sha, label="b.jpg") == first
    assert cache.encoded == 1
    assert first == prepare_attachment(a, label="a.jpg")
    # A new worker (empty memory) reads it from the state dir; nothing there is plain.
    again = PreparedCache(folder=tmp_path / "images", state_key=key)
    assert again.prepare(b, source_sha256=sha, label="b.jpg") == first and again.encoded == 0
    stored = b"".join(p.read_bytes() for p in (tmp_path / "images").rglob("*.bin"))
    assert first.data not in stored and not any(s in stored for s in SECRETS_IN_IMAGE)
    # Another key cannot read it: the image is encoded again.
    other = PreparedCache(folder=tmp_path / "images", state_key=os.urandom(32))
    other.prepare(b, source_sha256=sha, label="b.jpg")
    assert other.encoded == 1


def test_a_broken_image_is_reported_and_not_cached(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.jpg"
    broken.write_bytes(b"not an image")
    cache = PreparedCache(folder=tmp_path / "images", state_key=os.urandom(32))
    sha = hashlib.sha256(b"not an image").hexdigest()
    for _ in range(2):
        with pytest.raises(AttachmentError, match=r"trasig\.jpg"):
            cache.prepare(broken, source_sha256=sha, label="trasig.jpg")
    assert not (tmp_path / "images").exists()
