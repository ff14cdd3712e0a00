"""School units' reply key pairs: `<state-dir>/school-keys/<unit code>.key` (PKCS#8 PEM, mode
0600, read only by `site-builder inbox`) and `<unit code>.pub.json` (the public JWK the build
seals into each child bundle). Never under the export or the published site."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1.wrap import public_key_from_jwk, public_key_to_jwk

SCHOOL_KEYS_DIR = "school-keys"


class SchoolKeyError(ValueError):
    """A school key is missing, unreadable or readable by others; the message names the fix."""


def key_paths(keys_dir: Path, unit: str) -> tuple[Path, Path]:
    return keys_dir / f"{unit}.key", keys_dir / f"{unit}.pub.json"


def create_school_key(keys_dir: Path, unit: str) -> bool:
    """Make the unit's key pair unless it exists; True when a new one was made. An existing
    private key is kept (replies sealed to it need it), and its public JWK written again when
    that file is missing or does not hold this key. Raises SchoolKeyError when the existing
    private key is unusable (`load_private_key`)."""
    private, public = key_paths(keys_dir, unit)
    if private.exists():
        kept = load_private_key(keys_dir, unit).public_key()
        if _read_jwk(public) != public_key_to_jwk(kept):
            _write_jwk(public, kept)
        return False
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    _write_jwk(public, key.public_key())
    return True


def _write_jwk(public: Path, key: ec.EllipticCurvePublicKey) -> None:
    tmp = public.with_suffix(".tmp")
    tmp.write_text(json.dumps(public_key_to_jwk(key)) + "\n", encoding="utf-8")
    os.replace(tmp, public)


def _read_jwk(path: Path) -> dict[str, str] | None:
    """The P-256 public JWK in `path` (normalised), or None when missing or broken."""
    try:
        jwk = json.loads(path.read_text(encoding="utf-8"))
        return public_key_to_jwk(public_key_from_jwk(jwk)) if isinstance(jwk, dict) else None
    except (OSError, ValueError):
        return None


def load_public_keys(keys_dir: Path) -> dict[str, dict[str, str]]:
    """Every unit's public JWK by unit code; a broken file is skipped (the unit then has no
    sending; `keys school` writes it again from the unit's private key)."""
    found: dict[str, dict[str, str]] = {}
    if not keys_dir.is_dir():
        return found
    for path in sorted(keys_dir.glob("*.pub.json")):
        jwk = _read_jwk(path)
        if jwk is not None:
            found[path.name.removesuffix(".pub.json")] = jwk
    return found


def load_private_key(keys_dir: Path, unit: str) -> ec.EllipticCurvePrivateKey:
    private, _ = key_paths(keys_dir, unit)
    try:
        mode = private.stat().st_mode
    except FileNotFoundError:
        raise SchoolKeyError(
            f"{private}: no key for school unit {unit}; "
            f"fix: copy the unit's key here, or run `site-builder keys school --unit {unit}` "
            "(a new key cannot open replies sealed to the old one)"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SchoolKeyError(f"{private}: readable by others; fix: chmod 600 {private}")
    try:
        key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    except ValueError:
        raise SchoolKeyError(f"{private}: not a PEM private key; fix: restore it") from None
    # Another curve (P-384) is an EC key too, but cannot open a reply sealed to a P-256 point: the
    # reply must wait for the right key, not be refused as forged.
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise SchoolKeyError(f"{private}: not a P-256 key; fix: restore it")
    return key
