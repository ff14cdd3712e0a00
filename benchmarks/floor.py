"""The floor for this machine: the least work any build of these documents must do.

Per document: read, split off the front matter, Markdown → HTML, one jinja2 template; per child:
one JSON bundle raw-deflated, padded and sealed with AES-256-GCM (site_builder.fp1.seal) and
written under its hash; images sealed as they are. No YAML, no sanitizer, no image re-encoding,
no keyrings, no state: so a real build at 0.8 of this floor is doing very little extra.
A tight loop over children on all cores (multiprocessing).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown

from site_builder.fp1 import seal

TEMPLATE = '<article class="post"><h2>{{ title }}</h2>{{ html | safe }}</article>'


@dataclass(frozen=True, slots=True)
class FloorResult:
    wall_seconds: float
    documents: int
    bytes_written: int
    processes: int


def _write_blob(out: Path, sealed: bytes) -> int:
    name = hashlib.sha256(sealed).hexdigest()
    folder = out / name[:2]
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.bin").write_bytes(sealed)
    return len(sealed)


def _seal_folder(task: tuple[Path, Path]) -> tuple[int, int]:
    """Render and seal every document of one child (or group) folder; returns (docs, bytes)."""
    folder, out = task
    renderer = markdown.Markdown(extensions=["tables"])
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    fragments, written = [], 0
    for source in sorted(folder.rglob("*")):
        if source.suffix == ".md":
            text = source.read_text(encoding="utf-8")
            _, front, body = text.split("---\n", 2)
            html = renderer.reset().convert(body)
            fragments.append(template.render(title=front[:40], html=html))
        elif source.suffix == ".jpg":
            key = os.urandom(32)
            written += _write_blob(
                out, seal(source.read_bytes(), key=key, kind="file", blob_id=source.name)
            )
    bundle = json.dumps({"v": 1, "fragments": fragments}, ensure_ascii=False).encode()
    written += _write_blob(out, seal(bundle, key=os.urandom(32), kind="child", blob_id=folder.name))
    return len(fragments), written


def measure_floor(export: Path, out: Path, *, processes: int | None = None) -> FloorResult:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for prefix in range(256):
        (out / f"{prefix:02x}").mkdir()
    folders = sorted((export / "children").iterdir()) + sorted((export / "groups").iterdir())
    processes = processes or os.cpu_count() or 1
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(_seal_folder, [(folder, out) for folder in folders], chunksize=16)
    wall = time.perf_counter() - started
    return FloorResult(
        wall_seconds=wall,
        documents=sum(docs for docs, _ in results),
        bytes_written=sum(size for _, size in results),
        processes=processes,
    )
