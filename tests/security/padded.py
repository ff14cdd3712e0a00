"""Blobs whose GCM tag is valid but whose inner padding is wrong: the 0x80 marker missing, or a
non-zero byte after it. Shared by the Python and the browser tests of the padding check."""

from __future__ import annotations

import zlib

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from site_builder.fp1 import BLOB_MAGIC, COMPRESSED_KINDS, blob_aad, padme

KEY = bytes(range(32))
NONCE = bytes(12)
KINDS = ("keyring", "child", "plan", "file")
PAYLOAD = b'{"v":1,"text":"Bron h\xc3\xb6ll."}'


def body(kind: str) -> bytes:
    if kind not in COMPRESSED_KINDS:
        return PAYLOAD
    compressor = zlib.compressobj(level=6, wbits=-15)
    return compressor.compress(PAYLOAD) + compressor.flush()


def sealed_padded(kind: str, padded: bytes, *, blob_id: str = "blob-1") -> bytes:
    """An fp1 blob file around `padded`, authentic under KEY: only the padding is wrong."""
    sealed = AESGCM(KEY).encrypt(NONCE, padded, blob_aad(kind, blob_id))
    return BLOB_MAGIC + b"\x01" + NONCE + sealed


def bad_paddings(kind: str) -> dict[str, bytes]:
    raw = body(kind)
    zeros = b"\x00" * (padme(len(raw) + 1) - len(raw))
    assert raw[-1] != 0x80  # else "no marker" would still end in one
    return {
        "no marker": sealed_padded(kind, raw + zeros),
        "no marker, no zeros": sealed_padded(kind, raw),
        "junk after the marker": sealed_padded(kind, raw + b"\x80" + zeros[:-2] + b"\x01"),
        "marker only": sealed_padded(kind, b"\x00" * 8),
    }


def good(kind: str) -> bytes:
    raw = body(kind)
    return sealed_padded(kind, raw + b"\x80" + b"\x00" * (padme(len(raw) + 1) - len(raw) - 1))
