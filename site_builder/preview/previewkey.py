"""The preview's own master key: created on first use in the preview's state dir, never the
production key (the SITE_BUILDER_MASTER_KEY environment variable is ignored on purpose)."""

from __future__ import annotations

from pathlib import Path

from site_builder.fp1 import MasterKey
from site_builder.pipeline.state.keystore import MASTER_FILE, KeySet, utc_today
from site_builder.pipeline.state.signing import load_signer


def preview_keys(state_dir: Path) -> tuple[KeySet, bool]:
    """The preview's key set, and whether the key was just created."""
    path = state_dir / MASTER_FILE
    created = not path.exists()
    if created:
        MasterKey.generate().write(path)
    signer, key_list = load_signer(state_dir, today=utc_today())
    master = MasterKey.load(path, env={})
    return KeySet(master=master, signer=signer, key_list=key_list), created
