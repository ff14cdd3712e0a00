"""Build state, kept outside the site: what was sealed with which key, and which snapshots exist.

It maps every blob id to its inputs' fingerprint, key, file and readers, so unchanged blobs keep
their file and URL across snapshots and a revoked reader's blobs get new keys. It holds blob keys,
so it is encrypted (AES-256-GCM under HKDF(M, info "fp1 build state")) and written atomically.
The published site stays the truth about which snapshots exist: the state is checked against it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from site_builder.fp1 import MasterKey

STATE_FILE = "state.bin"
STATE_VERSION = 1


class StateError(ValueError):
    """The state file cannot be read with this master key."""


class BlobRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    fingerprint: str  # hash of everything the plaintext is made from
    key: str  # b64u, 32 bytes
    path: str  # b/<hh>/<sha256 hex>.bin
    sha256: str  # b64u of the file's SHA-256
    plain: str | None = None  # b64u SHA-256 of the plaintext (canonical JSON, or the file bytes)
    size: int
    readers: list[str]  # rids that could read this version (new key when one is revoked)
    type: str | None = None
    name: str | None = None


class SnapshotRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    epoch: str
    term: str
    published: str
    retention_until: str
    master: str  # fingerprint of the master key its keyrings are sealed under
    blobs: list[str] = Field(default_factory=list)  # blob paths its keyrings name
    # person ids of children withdrawn from its keyrings after publication (protected identity):
    # a build opens the keyrings only when the plan protects someone not listed here yet
    withdrawn: list[str] = Field(default_factory=list)
    # keyring child id -> the rids whose keyring names that child (publish/terms.py: the signed
    # term list of later snapshots); empty in a state from before term lists: not listed then
    child_readers: dict[str, list[str]] = Field(default_factory=dict)


class BuildState(BaseModel):
    v: int = STATE_VERSION
    seq: int = 0
    master: str = ""
    snapshots: list[SnapshotRecord] = Field(default_factory=list)
    blobs: dict[str, BlobRecord] = Field(default_factory=dict)
    keyrings: dict[str, str] = Field(default_factory=dict)  # rid -> keyring plaintext sha256
    # bundle id -> [task input key, bundle id, file blob ids...]: an unchanged task is reused
    # without a worker (inputs.py); the order of the file ids is the keyrings' order.
    tasks: dict[str, list[str]] = Field(default_factory=dict)
    # child bundle id -> [folder signature, docs key]: while the folder is unchanged, its task
    # key is made without reading a document (inputs.docs_key)
    task_docs: dict[str, list[str]] = Field(default_factory=dict)
    public: str = ""  # hash of latest.json minus seq, config.json, shell and sw.js
    rev: int = 0  # corrections patched into the live snapshot since it was published (patch.py)
    # blob paths of the live snapshot that corrections replaced → when (unix seconds); removed
    # from the live tree once older than patch.SUPERSEDED_GRACE_SECONDS
    superseded: dict[str, int] = Field(default_factory=dict)


def state_key(master: MasterKey) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"fp1 build state").derive(
        master.secret
    )


def encrypt_state_bytes(data: bytes, *, key: bytes, label: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, data, b"fp1|state|" + label.encode())


def decrypt_state_bytes(data: bytes, *, key: bytes, label: str) -> bytes:
    try:
        return AESGCM(key).decrypt(data[:12], data[12:], b"fp1|state|" + label.encode())
    except (InvalidTag, ValueError):
        raise StateError("not readable with this master key") from None


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600, durable: bool = True) -> None:
    """Write to a temporary file beside `path`, fsync (when `durable`), then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_state(state_dir: Path, *, keys: list[MasterKey]) -> BuildState:
    """Read the state with the first key that opens it (current, then the retired key)."""
    path = state_dir / STATE_FILE
    if not path.exists():
        return BuildState()
    data = path.read_bytes()
    for master in keys:
        try:
            plain = decrypt_state_bytes(data, key=state_key(master), label=STATE_FILE)
        except StateError:
            continue
        try:
            return BuildState.model_validate_json(plain)
        except ValidationError as exc:
            raise StateError(
                f"{path}: unreadable build state ({exc.error_count()} errors)"
            ) from None
    raise StateError(
        f"{path}: cannot be opened with the master key; if the key was replaced, move the state "
        "away and build again (every blob gets a new key and URL)"
    )


def save_state(state_dir: Path, state: BuildState, *, master: MasterKey) -> None:
    plain = state.model_dump_json().encode()
    data = encrypt_state_bytes(plain, key=state_key(master), label=STATE_FILE)
    write_atomic(state_dir / STATE_FILE, data)
