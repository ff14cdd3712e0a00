"""Opaque pseudonyms for everything inside keyrings and bundles (children, blobs, posts).

An id is an HMAC under the fp1 pseudonym key P of a label that names the thing inside the export
(e.g. `child|<person id>`). Ids are stable across builds, so a blob whose plaintext did not change
keeps its AAD, and the app can tell what is new since the last visit; without M they reveal
nothing about the export.
"""

from __future__ import annotations

import hashlib
import hmac

from site_builder.fp1 import b32lower

ID_LENGTH = 26


def pseudonym(pkey: bytes, label: str) -> str:
    digest = hmac.new(pkey, label.encode("utf-8"), hashlib.sha256).digest()
    return b32lower(digest)[:ID_LENGTH]


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
