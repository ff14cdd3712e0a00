"""Key derivation for fp1: pseudonymous reader ids and per-epoch reader keys.

Everything derives from one 32-byte master key M, so the key-release service needs M and its
configuration only: no database, no copy of the register.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from site_builder.fp1.encoding import b32lower, b64u_decode, b64u_encode

MASTER_KEY_ENV = "SITE_BUILDER_MASTER_KEY"
RID_LENGTH = 26


class MasterKeyConflict(ValueError):
    """SITE_BUILDER_MASTER_KEY is set and differs from the key file beside it."""


def _hkdf(*, ikm: bytes, salt: bytes | None, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass(frozen=True, slots=True)
class MasterKey:
    """The 32-byte secret every other fp1 key is derived from. Never published."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) != 32:
            raise ValueError("the master key must be exactly 32 bytes")

    def __repr__(self) -> str:  # keep the secret out of tracebacks and logs
        return "MasterKey(<secret>)"

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(os.urandom(32))

    @classmethod
    def from_b64u(cls, text: str) -> MasterKey:
        return cls(b64u_decode(text.strip()))

    def to_b64u(self) -> str:
        return b64u_encode(self.secret)

    @classmethod
    def load(cls, path: Path, *, env: dict[str, str] | None = None) -> MasterKey:
        """Read the key from the environment variable, else from `path` (raw 32 bytes)."""
        environ = os.environ if env is None else env
        from_env = None
        if environ.get(MASTER_KEY_ENV):
            try:
                from_env = cls.from_b64u(environ[MASTER_KEY_ENV])
            except ValueError:
                raise ValueError(
                    f"{MASTER_KEY_ENV} is not a base64url 32-byte key; unset it to use {path}"
                ) from None
            if not path.exists():
                return from_env
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise PermissionError(f"{path} is readable by others; run: chmod 600 {path}")
        from_file = cls(path.read_bytes())
        # Both present and different: after `keys rotate` the file holds the new key while an
        # exported variable still holds the old one. Silently preferring either would seal or
        # release with a key the other side does not have, so refuse and say which to keep.
        if from_env is not None and not hmac.compare_digest(from_env.secret, from_file.secret):
            raise MasterKeyConflict(
                f"{MASTER_KEY_ENV} differs from {path} (after `keys rotate` the file holds the "
                f"new key); unset {MASTER_KEY_ENV} so the key file is used, or remove the file"
            )
        return from_file

    def write(self, path: Path, *, force: bool = False) -> None:
        """Create the key file with mode 0600; refuses to overwrite unless `force`."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(self.secret)
        os.chmod(path, 0o600)


def subject_for_pnr(pnr: str) -> str:
    """Subject of a person identified by a 12-digit personnummer or samordningsnummer."""
    digits = pnr.replace("-", "").replace("+", "")
    if len(digits) != 12 or not digits.isdigit():
        raise ValueError("a personal identity number must have 12 digits")
    return "pnr:" + digits


def subject_for_eppn(eppn: str) -> str:
    """Subject of a student signing in with the school login."""
    value = eppn.strip().lower()
    if "@" not in value:
        raise ValueError("an eduPersonPrincipalName looks like user@school.example")
    return "eppn:" + value


def pseudonym_key(master: MasterKey) -> bytes:
    return _hkdf(ikm=master.secret, salt=None, info=b"fp1 pseudonym")


def reader_id(master: MasterKey, subject: str, *, pkey: bytes | None = None) -> str:
    """The rid: the only reader identifier anywhere in the published site and logs.

    Pass `pkey` (from `pseudonym_key`) when deriving many rids to skip the HKDF each time.
    """
    key = pseudonym_key(master) if pkey is None else pkey
    digest = hmac.new(key, subject.encode("utf-8"), hashlib.sha256).digest()
    return b32lower(digest)[:RID_LENGTH]


def reader_key(master: MasterKey, *, epoch: str, rid: str) -> bytes:
    """Kr for one reader and epoch (school year); derived on demand, never stored."""
    return _hkdf(
        ikm=master.secret, salt=epoch.encode("utf-8"), info=("fp1 reader " + rid).encode("utf-8")
    )


def keyring_blob_id(rid: str, seq: int) -> str:
    """The id bound into a keyring's AAD: `fp1|keyring|<rid>|<seq>`."""
    return f"{rid}|{seq}"
