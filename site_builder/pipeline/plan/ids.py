"""Opaque pseudonyms for everything inside keyrings and bundles (children, blobs, posts).

An id is an HMAC under the fp1 pseudonym key P of a label that names the thing inside the export
(e.g. `child|<person id>`). Ids are stable across builds, so a blob whose plaintext did not change
keeps its AAD, and the app can tell what is new since the last visit; without M they reveal
nothing about the export.
"""

from __future__ import annotations

import hmac

ID_LENGTH = 26
_B32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648 base32, lower case
# Base32 of the digest's first 20 bytes (160 bits) holds the first 32 characters; ID_LENGTH of
# them are kept. Same text as b32lower(digest)[:ID_LENGTH], without encoding all 32 bytes: ids
# are made tens of thousands of times per build.
_SHIFTS = tuple(155 - 5 * i for i in range(ID_LENGTH))


def pseudonym(pkey: bytes, label: str) -> str:
    bits = int.from_bytes(hmac.digest(pkey, label.encode("utf-8"), "sha256")[:20], "big")
    return "".join([_B32[(bits >> shift) & 31] for shift in _SHIFTS])


def child_id(pkey: bytes, person_id: str) -> str:
    return pseudonym(pkey, "child|" + person_id)


def group_id(pkey: bytes, group: str) -> str:
    return pseudonym(pkey, "group|" + group)


def child_bundle_id(pkey: bytes, person_id: str) -> str:
    return pseudonym(pkey, "blob|child|" + person_id)


def plan_bundle_id(pkey: bytes, group: str) -> str:
    return pseudonym(pkey, "blob|plan|" + group)


def file_blob_id(pkey: bytes, source: str) -> str:
    """`source` is the attachment's path relative to the export root."""
    return pseudonym(pkey, "blob|file|" + source)


def document_id(pkey: bytes, source: str) -> str:
    return pseudonym(pkey, "doc|" + source)


def master_fingerprint(pkey: bytes) -> str:
    """Names the master key generation (for rotation) without revealing anything about it."""
    return pseudonym(pkey, "fingerprint")
