"""fp1: the encrypted format shared by the Python build and the browser app.

See docs/fp1.md for the byte-level specification; tests/vectors/fp1.json holds the test vectors
that both sides check.
"""

from site_builder.fp1.blob import (
    BLOB_MAGIC,
    COMPRESSED_KINDS,
    BlobError,
    blob_aad,
    open_blob,
    open_json,
    padme,
    seal,
    seal_json,
)
from site_builder.fp1.encoding import b32lower, b64u_decode, b64u_encode
from site_builder.fp1.keys import (
    MasterKey,
    MasterKeyConflict,
    keyring_blob_id,
    pseudonym_key,
    reader_id,
    reader_key,
    subject_for_eppn,
    subject_for_pnr,
)

__all__ = [
    "BLOB_MAGIC",
    "COMPRESSED_KINDS",
    "BlobError",
    "MasterKey",
    "MasterKeyConflict",
    "b32lower",
    "b64u_decode",
    "b64u_encode",
    "blob_aad",
    "keyring_blob_id",
    "open_blob",
    "open_json",
    "padme",
    "pseudonym_key",
    "reader_id",
    "reader_key",
    "seal",
    "seal_json",
    "subject_for_eppn",
    "subject_for_pnr",
]
