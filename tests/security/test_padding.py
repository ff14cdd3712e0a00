"""The inner padding (docs/fp1.md: x || 0x80 || 0x00*) is checked for every kind of blob, not only
where a bad deflate stream would fail anyway: a `file` blob without its marker would otherwise
open to bytes the sealer never wrote."""

from __future__ import annotations

import pytest

from site_builder.fp1 import BlobError, open_blob
from tests.security.padded import KEY, KINDS, PAYLOAD, bad_paddings, good


@pytest.mark.parametrize("kind", KINDS)
def test_a_blob_without_its_padding_marker_is_refused(kind: str) -> None:
    assert open_blob(good(kind), key=KEY, kind=kind, blob_id="blob-1") == PAYLOAD
    for name, data in bad_paddings(kind).items():
        with pytest.raises(BlobError, match="bad padding"):
            open_blob(data, key=KEY, kind=kind, blob_id="blob-1")
        assert name
