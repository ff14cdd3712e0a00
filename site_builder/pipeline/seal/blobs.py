"""Seal: encrypt a plaintext under a fresh random key and write it content-addressed,
or keep the previous file when nothing it is made from changed and no reader was revoked.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from site_builder.fp1 import b64u_encode, seal
from site_builder.fp1.blob import canonical_json
from site_builder.pipeline.state.build_state import BlobRecord


def blob_path(ciphertext: bytes) -> tuple[str, str]:
    """(site path, b64u SHA-256) of a blob file named by the hash of its ciphertext."""
    digest = hashlib.sha256(ciphertext)
    hexdigest = digest.hexdigest()
    return f"b/{hexdigest[:2]}/{hexdigest}.bin", b64u_encode(digest.digest())


def write_new_file(site: Path, relative: str, data: bytes) -> None:
    target = site / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def link_file(source_site: Path, site: Path, relative: str) -> None:
    """Reuse an unchanged file of the live site in the new one: a hard link, a copy if need be."""
    target = site / relative
    for attempt in range(2):
        try:
            os.link(source_site / relative, target)
        except FileExistsError:
            pass
        except FileNotFoundError:
            if attempt == 0 and not target.parent.is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)  # first file of its folder
                continue
            shutil.copy2(source_site / relative, target)  # raises what is really missing
        except OSError:
            shutil.copy2(source_site / relative, target)  # e.g. another file system
        return


def reusable(
    previous: BlobRecord | None, *, fingerprint: str, readers: list[str], live: Path | None
) -> bool:
    """Same inputs, no reader lost since it was sealed, and the file is still published."""
    return (
        previous is not None
        and live is not None
        and previous.fingerprint == fingerprint
        and set(previous.readers) <= set(readers)
        and (live / previous.path).is_file()
    )


def seal_to_site(
    site: Path,
    payload: bytes | dict[str, Any],
    *,
    kind: str,
    blob_id: str,
    fingerprint: str,
    readers: list[str],
    media_type: str | None = None,
    name: str | None = None,
) -> BlobRecord:
    key = os.urandom(32)
    plain = payload if isinstance(payload, bytes) else canonical_json(payload)
    data = seal(plain, key=key, kind=kind, blob_id=blob_id)
    path, sha = blob_path(data)
    write_new_file(site, path, data)
    return BlobRecord(
        kind=kind,
        fingerprint=fingerprint,
        key=b64u_encode(key),
        path=path,
        sha256=sha,
        plain=b64u_encode(hashlib.sha256(plain).digest()),
        size=len(data),
        readers=sorted(readers),
        type=media_type,
        name=name,
    )
