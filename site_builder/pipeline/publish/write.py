"""Writing the new snapshot's own files into the staging directory: keyrings and the JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from site_builder.export.config import ExportConfig
from site_builder.fp1 import MasterKey
from site_builder.fp1.sign import Signer
from site_builder.pipeline.publish.public import config_json, latest_json
from site_builder.pipeline.seal.blobs import write_new_file
from site_builder.pipeline.seal.keyrings import (
    SnapshotInfo,
    keyring_path,
    seal_keyring,
)
from site_builder.pipeline.state.keystore import fingerprint_of


def write_snapshot(
    site: Path,
    *,
    snapshot: SnapshotInfo,
    earlier: list[SnapshotInfo],
    contents: dict[str, dict[str, Any]],
    master: MasterKey,
    signer: Signer | None,
    config: ExportConfig,
    shell: str,
    retention: dict[int, str] | None = None,
) -> int:
    """Seal one keyring per reader, then latest.json and config.json; returns keyrings written."""
    folder = site / "s" / str(snapshot.seq)
    (folder / "k").mkdir(parents=True, exist_ok=True)
    for rid, content in contents.items():
        data = seal_keyring(content, master=master, snapshot=snapshot, rid=rid, signer=signer)
        write_new_file(site, keyring_path(snapshot.seq, rid), data)
    write_new_file(site, "config.json", config_json(config))
    write_new_file(
        site,
        "latest.json",
        latest_json(
            snapshot, earlier, shell=shell, key_id=fingerprint_of(master), retention=retention
        ),
    )
    return len(contents)
