"""Sealing and opening fp1 blob files.

file      = "FP1B" || 0x01 || nonce(12) || AES-256-GCM(key, nonce, plaintext, aad) || tag(16)
aad       = "fp1|" + kind + "|" + blob_id
plaintext = pad(raw-deflate(json))   for bundle kinds (keyring, child, plan)
            pad(bytes)               for file attachments
pad(x)    = x || 0x80 || 0x00 * n    so that the length is padme(len(x) + 1)
"""

from __future__ import annotations

import json
import os
import zlib
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BLOB_MAGIC = b"FP1B"
BLOB_VERSION = 0x01
NONCE_LENGTH = 12
TAG_LENGTH = 16
HEADER_LENGTH = len(BLOB_MAGIC) + 1 + NONCE_LENGTH
MIN_PADDED = 256
COMPRESSED_KINDS = frozenset({"keyring", "child", "plan"})
KINDS = COMPRESSED_KINDS | {"file"}


class BlobError(ValueError):
    """A blob could not be opened: wrong key, altered bytes or wrong context. Never partial."""


def blob_aad(kind: str, blob_id: str) -> bytes:
    if kind not in KINDS:
        raise ValueError(f"unknown blob kind {kind!r}")
    return f"fp1|{kind}|{blob_id}".encode()


def padme(length: int) -> int:
    """The Padmé padded length (PURBs): at most ~12 % overhead, leaks O(log log n) bits."""
    length = max(length, MIN_PADDED)
    exponent = length.bit_length() - 1
    size_bits = exponent.bit_length()
    last_bits = exponent - size_bits
    mask = (1 << last_bits) - 1
    return (length + mask) & ~mask


def pad(data: bytes) -> bytes:
    target = padme(len(data) + 1)
    return data + b"\x80" + b"\x00" * (target - len(data) - 1)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        raise BlobError("bad padding")
    return stripped[:-1]


def _deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(level=6, wbits=-15)
    return compressor.compress(data) + compressor.flush()


def _inflate_raw(data: bytes) -> bytes:
    decompressor = zlib.decompressobj(wbits=-15)
    try:
        out = decompressor.decompress(data) + decompressor.flush()
    except zlib.error as exc:
        raise BlobError(f"bad deflate stream: {exc}") from None
    if not decompressor.eof or decompressor.unused_data:
        raise BlobError("bad deflate stream: truncated or trailing data")
    return out


def seal(
    payload: bytes, *, key: bytes, kind: str, blob_id: str, nonce: bytes | None = None
) -> bytes:
    """Encrypt `payload` into an fp1 blob file. `nonce` is for test vectors only."""
    aad = blob_aad(kind, blob_id)
    body = _deflate_raw(payload) if kind in COMPRESSED_KINDS else payload
    nonce = os.urandom(NONCE_LENGTH) if nonce is None else nonce
    if len(nonce) != NONCE_LENGTH:
        raise ValueError("nonce must be 12 bytes")
    sealed = AESGCM(key).encrypt(nonce, pad(body), aad)
    return BLOB_MAGIC + bytes([BLOB_VERSION]) + nonce + sealed


def open_blob(data: bytes, *, key: bytes, kind: str, blob_id: str) -> bytes:
    """Decrypt and verify an fp1 blob; raises BlobError, never returns partial plaintext."""
    if len(data) < HEADER_LENGTH + TAG_LENGTH or data[:4] != BLOB_MAGIC:
        raise BlobError("not an fp1 blob")
    if data[4] != BLOB_VERSION:
        raise BlobError(f"unsupported fp1 version {data[4]}")
    nonce = data[5:HEADER_LENGTH]
    try:
        padded = AESGCM(key).decrypt(nonce, data[HEADER_LENGTH:], blob_aad(kind, blob_id))
    except InvalidTag:
        raise BlobError("authentication failed") from None
    body = unpad(padded)
    return _inflate_raw(body) if kind in COMPRESSED_KINDS else body


def canonical_json(value: Any) -> bytes:
    """Deterministic UTF-8 JSON, so equal content seals to equal plaintext hashes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal_json(
    value: Any, *, key: bytes, kind: str, blob_id: str, nonce: bytes | None = None
) -> bytes:
    return seal(canonical_json(value), key=key, kind=kind, blob_id=blob_id, nonce=nonce)


def open_json(data: bytes, *, key: bytes, kind: str, blob_id: str) -> Any:
    raw = open_blob(data, key=key, kind=kind, blob_id=blob_id)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BlobError(f"bad JSON inside blob: {exc}") from None
