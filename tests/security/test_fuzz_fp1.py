"""Fuzz the fp1 parser: any change to a valid blob raises BlobError and returns no plaintext."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from site_builder.fp1 import BlobError, blob_aad, open_blob, open_json, padme, seal, seal_json

FUZZ = settings(max_examples=200, deadline=None)
KEY = bytes(range(32))
BLOB_ID = "abcdefghijklmnopqrstuvwxyz"
CONTENT = {"v": 1, "kind": "child", "child": {"givenName": "Åsa"}, "larlogg": ["x" * 300]}
VALID = {kind: seal_json(CONTENT, key=KEY, kind=kind, blob_id=BLOB_ID) for kind in ("child",)}
VALID["file"] = seal(b"%PDF-1.4 " + b"y" * 600, key=KEY, kind="file", blob_id=BLOB_ID)
KINDS = st.sampled_from(sorted(VALID))


def _rejected(data: bytes, *, kind: str, key: bytes = KEY, blob_id: str = BLOB_ID) -> None:
    opened = None
    with pytest.raises(BlobError):
        opened = open_blob(data, key=key, kind=kind, blob_id=blob_id)
    assert opened is None  # nothing, not even a prefix, came out


def test_the_valid_blobs_open() -> None:
    assert open_json(VALID["child"], key=KEY, kind="child", blob_id=BLOB_ID) == CONTENT
    assert open_blob(VALID["file"], key=KEY, kind="file", blob_id=BLOB_ID).startswith(b"%PDF")


@FUZZ
@given(kind=KINDS, data=st.data())
def test_any_bit_flip_is_rejected(kind: str, data: st.DataObject) -> None:
    blob = bytearray(VALID[kind])
    for _ in range(data.draw(st.integers(1, 3))):
        blob[data.draw(st.integers(0, len(blob) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    assume(bytes(blob) != VALID[kind])
    _rejected(bytes(blob), kind=kind)


@FUZZ
@given(kind=KINDS, data=st.data())
def test_any_cut_insert_or_splice_is_rejected(kind: str, data: st.DataObject) -> None:
    blob = bytearray(VALID[kind])
    start = data.draw(st.integers(0, len(blob)))
    end = data.draw(st.integers(start, min(len(blob), start + 64)))
    blob[start:end] = data.draw(st.binary(max_size=32))
    assume(bytes(blob) != VALID[kind])
    _rejected(bytes(blob), kind=kind)


@FUZZ
@given(data=st.binary(max_size=600), kind=st.sampled_from(["keyring", "child", "plan", "file"]))
def test_random_bytes_are_rejected(data: bytes, kind: str) -> None:
    _rejected(data, kind=kind)


@FUZZ
@given(
    kind=KINDS,
    other_kind=st.sampled_from(["keyring", "child", "plan", "file"]),
    blob_id=st.text(min_size=1, max_size=30),
    key=st.binary(min_size=32, max_size=32),
)
def test_wrong_key_kind_or_id_is_rejected(
    kind: str, other_kind: str, blob_id: str, key: bytes
) -> None:
    assume((other_kind, blob_id, key) != (kind, BLOB_ID, KEY))
    _rejected(VALID[kind], kind=other_kind, key=key, blob_id=blob_id)


@FUZZ
@given(payload=st.binary(max_size=200), pad_edit=st.sampled_from(["no_marker", "garbage"]))
def test_bad_padding_or_deflate_under_a_valid_tag_is_rejected(
    payload: bytes, pad_edit: str
) -> None:
    # A blob sealed by someone holding the key, but not in fp1's inner format: still refused
    # whole (the tag alone is not enough).
    # "garbage": good padding around a stream whose first block type (0b11) is reserved.
    body = b"\xff" + payload + b"\x80" if pad_edit == "garbage" else payload + b"\x01"
    padded = body + b"\x00" * (padme(len(body)) - len(body))
    nonce = os.urandom(12)
    sealed = AESGCM(KEY).encrypt(nonce, padded, blob_aad("child", BLOB_ID))
    blob = b"FP1B\x01" + nonce + sealed
    with pytest.raises(BlobError):
        open_json(blob, key=KEY, kind="child", blob_id=BLOB_ID)
