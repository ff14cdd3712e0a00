"""The signing key in the state dir: `keys/signing.key` (raw Ed25519 seed, mode 0600, like the
master key) and the public key list `keys/signing-keys.json` that the build publishes as
`keys.json` and pins into the app shell. Rotation closes the old key's validity (`until`) and keeps
it in the list, so material it signed earlier still verifies.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from site_builder.fp1.encoding import b64u_encode
from site_builder.fp1.sign import Signer, key_id, public_bytes

SIGNING_FILE = Path("keys") / "signing.key"
KEY_LIST_FILE = Path("keys") / "signing-keys.json"


class SigningKeyError(ValueError):
    """The signing key or its list cannot be used; the message says which file and the fix."""


def _write_private(path: Path, private: Ed25519PrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    os.replace(tmp, path)  # nothing half-written


def _write_list(path: Path, key_list: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(key_list, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_key_list(state_dir: Path) -> dict[str, Any]:
    path = state_dir / KEY_LIST_FILE
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"v": 1, "keys": []}
    except (OSError, ValueError) as exc:
        raise SigningKeyError(
            f"{path}: unreadable ({exc}); fix: restore it from a backup"
        ) from None
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list):
        raise SigningKeyError(f"{path}: keys: expected a list; fix: restore it from a backup")
    return value


def new_signing_key(state_dir: Path, *, today: str) -> str:
    """Make a signing key (closing the current one's validity today); returns its key id."""
    path = state_dir / SIGNING_FILE
    key_list = read_key_list(state_dir)
    for entry in key_list["keys"]:
        if entry.get("until") is None:
            entry["until"] = today
    private = Ed25519PrivateKey.generate()
    public = public_bytes(private)
    key_list["keys"].append(
        {
            "kid": key_id(public),
            "alg": "Ed25519",
            "public": b64u_encode(public),
            "from": today,
            "until": None,
        }
    )
    _write_private(path, private)
    _write_list(state_dir / KEY_LIST_FILE, key_list)
    return key_id(public)


def load_signer(
    state_dir: Path, *, today: str, create: bool = True
) -> tuple[Signer, dict[str, Any]]:
    """(signer, public key list). A state dir from before signing gets its key on first use."""
    path = state_dir / SIGNING_FILE
    if not path.exists():
        if not create:
            raise SigningKeyError(f"no signing key at {path}; run: site-builder keys init")
        new_signing_key(state_dir, today=today)
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SigningKeyError(f"{path} is readable by others; run: chmod 600 {path}")
    try:
        private = Ed25519PrivateKey.from_private_bytes(path.read_bytes())
    except ValueError:
        raise SigningKeyError(
            f"{path}: not a 32-byte Ed25519 key; fix: restore it from a backup"
        ) from None
    signer = Signer(private=private, today=today)
    key_list = read_key_list(state_dir)
    if not any(k.get("kid") == signer.kid for k in key_list["keys"]):
        raise SigningKeyError(
            f"{state_dir / KEY_LIST_FILE}: does not list the key in {path}; fix: restore the list"
        )
    return signer, key_list
