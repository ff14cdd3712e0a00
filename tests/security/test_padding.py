"""The inner padding (docs/fp1.md: x || 0x80 || 0x00*) is checked for every kind of blob, not only
where a bad deflate stream would fail anyway: a `file` blob without its marker would otherwise
open to bytes the sealer never wrote."""

from __future__ import annotations

import pytest

from site_builder.fp1 import BlobError, open_blob
from tests.security.padded import KEY, KINDS, PAYLOAD, bad_paddings, body, good, sealed_padded


@pytest.mark.parametrize("kind", KINDS)
def test_a_blob_without_its_padding_marker_is_refused(kind: str) -> None:
    assert open_blob(good(kind), key=KEY, kind=kind, blob_id="blob-1") == PAYLOAD
    for name, data in bad_paddings(kind).items():
        with pytest.raises(BlobError, match="bad padding"):
            open_blob(data, key=KEY, kind=kind, blob_id="blob-1")
        assert name


@pytest.mark.parametrize("kind", ["keyring", "child", "plan"])
def test_a_cut_or_extended_deflate_stream_is_refused(kind: str) -> None:
    """Authentic and well padded, but the deflate stream inside ends early or has bytes after
    its end: refused whole, never the part that inflates."""
    raw = body(kind)
    for name, stream in {"cut": raw[:-2], "trailing": raw + b"tail"}.items():
        data = sealed_padded(kind, stream + b"\x80" + b"\x00" * 40)
        with pytest.raises(BlobError, match="bad deflate stream"):
            open_blob(data, key=KEY, kind=kind, blob_id="blob-1")
        assert name
