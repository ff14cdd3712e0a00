"""The inner padding (docs/fp1.md: x || 0x80 || 0x00*) is checked for every kind of blob, not only
where a bad deflate stream would fail anyway: a `file` blob without its marker would otherwise
open to bytes the sealer never wrote. Sealing pads to exactly the Padmé length and refuses what
would break the format (a nonce of another length, an unknown kind)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from site_builder.fp1 import BlobError, blob_aad, open_blob, open_json, seal, seal_json
from site_builder.fp1.blob import canonical_json
from tests.security.padded import KEY, KINDS, PAYLOAD, bad_paddings, body, good, sealed_padded


@pytest.mark.parametrize("kind", KINDS)
def test_a_blob_without_its_padding_marker_is_refused(kind: str) -> None:
    assert open_blob(good(kind), key=KEY, kind=kind, blob_id="blob-1") == PAYLOAD
    for name, data in bad_paddings(kind).items():
        with pytest.raises(BlobError, match=r"^bad padding$"):
            open_blob(data, key=KEY, kind=kind, blob_id="blob-1")
        assert name


@pytest.mark.parametrize("kind", ["keyring", "child", "plan"])
def test_a_cut_or_extended_deflate_stream_is_refused(kind: str) -> None:
    """Authentic and well padded, but the deflate stream inside ends early or has bytes after
    its end: refused whole, never the part that inflates."""
    raw = body(kind)
    for name, stream in {"cut": raw[:-2], "trailing": raw + b"tail"}.items():
        data = sealed_padded(kind, stream + b"\x80" + b"\x00" * 40)
        with pytest.raises(BlobError, match=r"^bad deflate stream: truncated or trailing data$"):
            open_blob(data, key=KEY, kind=kind, blob_id="blob-1")
        assert name
    not_deflate = sealed_padded(kind, b"\xff" * 8 + b"\x80" + b"\x00" * 40)
    with pytest.raises(BlobError, match=r"^bad deflate stream: Error -3 .*invalid block type$"):
        open_blob(not_deflate, key=KEY, kind=kind, blob_id="blob-1")


@pytest.mark.parametrize(
    ("payload", "reason"),
    [(b"<html>", "Expecting value: line 1 column 1"), (b'{"v": "\xe5"}', "'utf-8' codec")],
)
def test_a_bundle_that_is_not_utf8_json_is_refused(payload: bytes, reason: str) -> None:
    data = seal(payload, key=KEY, kind="child", blob_id="blob-1")
    with pytest.raises(BlobError, match=f"^bad JSON inside blob: {reason}"):
        open_json(data, key=KEY, kind="child", blob_id="blob-1")


@pytest.mark.parametrize(
    ("size", "padded"),
    [(0, 256), (254, 256), (255, 256), (256, 272), (271, 272), (272, 288), (1000, 1024)],
)
def test_a_file_is_padded_to_exactly_the_padme_length_of_its_size_plus_the_marker(
    size: int, padded: int
) -> None:
    """docs/fp1.md: `body || 0x80 || 0x00…` up to padme(len(body) + 1): the published size tells
    only the Padmé bucket; 255 bytes still fit 256 with their marker, 256 take the next bucket."""
    blob = seal(b"\x07" * size, key=KEY, kind="file", blob_id="blob-1")
    assert len(blob) == 5 + 12 + padded + 16
    inner = AESGCM(KEY).decrypt(blob[5:17], blob[17:], blob_aad("file", "blob-1"))
    assert inner == b"\x07" * size + b"\x80" + bytes(padded - size - 1)


def test_sealing_refuses_a_nonce_of_another_length_and_an_unknown_kind() -> None:
    for nonce in (bytes(8), bytes(16)):
        with pytest.raises(ValueError, match=r"^nonce must be 12 bytes$"):
            seal(PAYLOAD, key=KEY, kind="file", blob_id="blob-1", nonce=nonce)
    for call, data in ((seal, PAYLOAD), (open_blob, good("file"))):
        with pytest.raises(ValueError, match=r"^unknown blob kind 'zip'$"):
            call(data, key=KEY, kind="zip", blob_id="blob-1")


def test_seal_json_seals_the_canonical_json_under_the_given_nonce() -> None:
    """The fixed nonce of the test vectors reaches the blob (make_vectors.py seals with it)."""
    value = json.loads(PAYLOAD)
    sealed = seal_json(value, key=KEY, kind="child", blob_id="blob-1", nonce=bytes([9] * 12))
    assert sealed[5:17] == bytes([9] * 12)
    assert sealed == seal(
        canonical_json(value), key=KEY, kind="child", blob_id="blob-1", nonce=bytes([9] * 12)
    )


GOOD_FILE = good("file")
NOT_FP1 = "not an fp1 blob"
ALTERED = "authentication failed"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", NOT_FP1, id="empty"),
        pytest.param(b"FP1B", NOT_FP1, id="magic only"),
        pytest.param(GOOD_FILE[:32], NOT_FP1, id="shorter than header and tag"),
        pytest.param(b"FP1C" + GOOD_FILE[4:], NOT_FP1, id="other magic"),
        pytest.param(GOOD_FILE[:4] + b"\x02" + GOOD_FILE[5:], "unsupported fp1 version 2", id="v2"),
        pytest.param(GOOD_FILE[:17] + GOOD_FILE[-16:], ALTERED, id="header and tag only"),
        pytest.param(GOOD_FILE[:-1], ALTERED, id="one byte short"),
        pytest.param(GOOD_FILE[:100] + b"\x00" + GOOD_FILE[101:], ALTERED, id="ciphertext"),
    ],
)
def test_an_altered_blob_is_refused_with_what_is_wrong(data: bytes, message: str) -> None:
    """`site-builder inspect` prints this reason ("keyring does not open (…)"): not an fp1 file
    at all (too short for its header and tag, or another magic), a version this build does not
    read, or bytes the GCM tag refuses — a header and tag with nothing between are a blob whose
    tag fails, like any other cut."""
    assert GOOD_FILE[100] != 0
    with pytest.raises(BlobError, match=f"^{message}$"):
        open_blob(data, key=KEY, kind="file", blob_id="blob-1")
