"""Fixtures for build tests: a scratch export, a master key, and a build runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from site_builder.fp1 import (
    MasterKey,
    b64u_decode,
    keyring_blob_id,
    open_json,
    reader_id,
    reader_key,
    subject_for_pnr,
)
from site_builder.pipeline.build import BuildOptions, build
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.state.keystore import MASTER_FILE, KeySet, load_keys
from tests.build.scratch import ScratchExport, make_scratch


@dataclass
class Workspace:
    scratch: ScratchExport
    out: Path
    state_dir: Path
    themes_root: Path
    service_worker: Path

    @property
    def keys(self) -> KeySet:
        return load_keys(self.state_dir)

    def build(self, **overrides: Any) -> BuildSummary:
        options = BuildOptions(
            out=self.out,
            state_dir=self.state_dir,
            jobs=overrides.pop("jobs", 1),
            themes_root=self.themes_root,
            service_worker=self.service_worker,
            today=overrides.pop("today", date(2026, 11, 28)),
            **overrides,
        )
        return build(self.scratch.load(), options=options, keys=self.keys, say=lambda _: None)

    def latest(self) -> dict[str, Any]:
        return dict(json.loads((self.out / "latest.json").read_text()))

    def rid(self, who: str) -> str:
        from tests.build.scratch import PNR

        return reader_id(self.keys.master, subject_for_pnr(PNR[who]))

    def keyring(self, who: str, *, seq: int | None = None) -> dict[str, Any]:
        seq = self.latest()["seq"] if seq is None else seq
        rid = self.rid(who)
        data = (self.out / "s" / str(seq) / "k" / f"{rid}.bin").read_bytes()
        key = reader_key(self.keys.master, epoch="2026", rid=rid)
        return dict(open_json(data, key=key, kind="keyring", blob_id=keyring_blob_id(rid, seq)))

    def open_entry(self, entry: dict[str, Any]) -> Any:
        data = (self.out / entry["path"]).read_bytes()
        key = b64u_decode(entry["key"])
        if entry["kind"] == "file":
            from site_builder.fp1 import open_blob

            return open_blob(data, key=key, kind="file", blob_id=entry["id"])
        return open_json(data, key=key, kind=entry["kind"], blob_id=entry["id"])


def write_test_theme(root: Path) -> tuple[Path, Path]:
    """themes/default with the real templates and a tiny shell, and a service worker source."""
    from site_builder.pipeline.shell.theme import THEMES_ROOT

    themes = root / "themes"
    (themes / "default").mkdir(parents=True)
    (themes / "default" / "templates").symlink_to(THEMES_ROOT / "default" / "templates")
    shell = themes / "default" / "shell"
    (shell / "app").mkdir(parents=True)
    (shell / "index.html").write_text("<!doctype html><title>Familjeportalen</title>\n")
    (shell / "app" / "main.js").write_text("export const ok = true;\n")
    sw = root / "sw.js"
    sw.write_text('const PRECACHE = "__PRECACHE_MANIFEST__";\nconst V = "__SHELL_VERSION__";\n')
    return themes, sw


def workspace_at(tmp_path: Path, *, new: bool) -> Workspace:
    """The workspace under `tmp_path`; `new` creates its key and theme (the first time)."""
    scratch = make_scratch(tmp_path / "export")
    state_dir = tmp_path / "state"
    if new:
        MasterKey.generate().write(state_dir / MASTER_FILE)
        write_test_theme(tmp_path / "src")
    themes, sw = tmp_path / "src" / "themes", tmp_path / "src" / "sw.js"
    return Workspace(
        scratch=scratch,
        out=tmp_path / "out" / "site",
        state_dir=state_dir,
        themes_root=themes,
        service_worker=sw,
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return workspace_at(tmp_path, new=True)


@pytest.fixture
def site_files() -> Callable[[Path], dict[str, bytes]]:
    def read(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }

    return read
