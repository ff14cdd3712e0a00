"""The master key files in the state dir: `keys/master.key` and, after `keys rotate`, the
`keys/retired.key` that the next build uses once to re-seal earlier snapshots, then deletes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from site_builder.fp1 import MasterKey, pseudonym_key
from site_builder.fp1.sign import Signer
from site_builder.pipeline.plan import ids
from site_builder.pipeline.state.build_state import state_key
from site_builder.pipeline.state.signing import load_signer

MASTER_FILE = Path("keys") / "master.key"
RETIRED_FILE = Path("keys") / "retired.key"


class KeyMissing(FileNotFoundError):
    """No master key yet."""


@dataclass(frozen=True, slots=True)
class KeySet:
    master: MasterKey
    retired: MasterKey | None = None
    retired_path: Path | None = None
    # The Ed25519 signing key and the public key list (signing.py); None only in unit tests
    # that never publish to a browser: keyrings sealed without it carry no signature.
    signer: Signer | None = None
    key_list: dict[str, Any] | None = None

    @property
    def all(self) -> list[MasterKey]:
        return [self.master, *([self.retired] if self.retired else [])]

    @property
    def state_key(self) -> bytes:
        return state_key(self.master)

    def by_fingerprint(self, fingerprint: str) -> MasterKey | None:
        return next((k for k in self.all if fingerprint_of(k) == fingerprint), None)

    def forget_retired(self) -> None:
        if self.retired_path is not None:
            self.retired_path.unlink(missing_ok=True)


def fingerprint_of(master: MasterKey) -> str:
    return ids.master_fingerprint(pseudonym_key(master))


def load_keys(state_dir: Path) -> KeySet:
    path = state_dir / MASTER_FILE
    try:
        master = MasterKey.load(path)
    except FileNotFoundError:
        raise KeyMissing(f"no master key at {path}; run: site-builder keys init") from None
    retired_path = state_dir / RETIRED_FILE
    retired = MasterKey.load(retired_path, env={}) if retired_path.exists() else None
    signer, key_list = load_signer(state_dir, today=utc_today())
    return KeySet(
        master=master,
        retired=retired,
        retired_path=retired_path if retired else None,
        signer=signer,
        key_list=key_list,
    )


def utc_today() -> str:
    return datetime.now(UTC).date().isoformat()
