"""Build an export on disk (through the real loader) and open what the build published."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from site_builder.export.loader import load_export
from site_builder.fp1 import (
    MasterKey,
    b64u_decode,
    keyring_blob_id,
    open_blob,
    open_json,
    reader_id,
    reader_key,
    subject_for_pnr,
)
from site_builder.pipeline.build import BuildOptions, build
from site_builder.pipeline.state.keystore import MASTER_FILE, load_keys

EPOCH = "2026"


@dataclass(frozen=True)
class BuiltSite:
    export: Path
    out: Path
    state_dir: Path

    @property
    def master(self) -> MasterKey:
        return load_keys(self.state_dir).master

    def build(self, *, today: date = date(2026, 11, 28)) -> None:
        loaded = load_export(self.export).export
        options = BuildOptions(out=self.out, state_dir=self.state_dir, today=today)
        build(loaded, options=options, keys=load_keys(self.state_dir), say=lambda _: None)

    def latest(self) -> dict[str, Any]:
        return dict(json.loads((self.out / "latest.json").read_text(encoding="utf-8")))

    def rid(self, pnr: str) -> str:
        return reader_id(self.master, subject_for_pnr(pnr))

    def keyring_path(self, rid: str, seq: int) -> Path:
        return self.out / "s" / str(seq) / "k" / f"{rid}.bin"

    def reader_key(self, rid: str) -> bytes:
        return reader_key(self.master, epoch=EPOCH, rid=rid)

    def keyring(self, rid: str, *, seq: int | None = None) -> dict[str, Any]:
        seq = self.latest()["seq"] if seq is None else seq
        data = self.keyring_path(rid, seq).read_bytes()
        key = self.reader_key(rid)
        return dict(open_json(data, key=key, kind="keyring", blob_id=keyring_blob_id(rid, seq)))

    def open_entry(self, entry: dict[str, Any]) -> Any:
        data = (self.out / entry["path"]).read_bytes()
        key = b64u_decode(entry["key"])
        if entry["kind"] == "file":
            return open_blob(data, key=key, kind="file", blob_id=entry["id"])
        return open_json(data, key=key, kind=entry["kind"], blob_id=entry["id"])

    def bundles(self, rid: str) -> list[dict[str, Any]]:
        """Every child and plan bundle in the reader's current keyring, decrypted."""
        ring = self.keyring(rid)
        return [self.open_entry(e) for e in ring["blobs"] if e["kind"] != "file"]


def built_site(tmp_path: Path, export: Path) -> BuiltSite:
    """A fresh master key and a first build of `export` under `tmp_path`."""
    state_dir = tmp_path / "state"
    MasterKey.generate().write(state_dir / MASTER_FILE)
    site = BuiltSite(export=export, out=tmp_path / "out" / "site", state_dir=state_dir)
    site.build()
    return site
