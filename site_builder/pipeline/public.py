"""The public files: latest.json, config.json, the app shell and the service worker.

Nothing here is personal: config.json carries the municipality's public FAQ and e-service links.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import markdown

from site_builder.export.config import ExportConfig
from site_builder.pipeline.keyrings import SnapshotInfo
from site_builder.pipeline.sanitize import sanitize_html
from site_builder.pipeline.theme import Theme

# Literal placeholders in service_worker/sw.js (JSON values, so the source stays valid JS).
PRECACHE_PLACEHOLDER = '"__PRECACHE_MANIFEST__"'
SHELL_VERSION_PLACEHOLDER = '"__SHELL_VERSION__"'


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode()


def config_json(config: ExportConfig) -> bytes:
    faq = [
        {
            "question": entry.question,
            "answer_html": sanitize_html(markdown.markdown(entry.answer, output_format="html")),
        }
        for entry in config.faq
    ]
    return _json_bytes(
        {
            "v": 1,
            "municipality": config.municipality,
            "languages": list(config.languages),
            "auto_lock_minutes": config.auto_lock_minutes,
            "service_links": [
                {"kind": s.kind, "label": s.label, "url": str(s.url)} for s in config.service_links
            ],
            "faq": faq,
        }
    )


def latest_json(current: SnapshotInfo, earlier: list[SnapshotInfo], *, shell: str) -> bytes:
    snapshots = [current, *sorted(earlier, key=lambda s: s.seq, reverse=True)]
    return _json_bytes(
        {
            "v": 1,
            **current.as_json(),
            "snapshots": [s.as_json() for s in snapshots],
            "shell": shell,
        }
    )


def with_module_preloads(html: str, modules: list[str]) -> str:
    """Announce every module of the app in the document head, so the browser fetches the whole
    module graph at once instead of one import level per round trip."""
    links = "".join(f'<link rel="modulepreload" href="/{rel}">\n' for rel in modules)
    marker = '<script type="module"'
    at = html.find(marker)
    return html if at < 0 or not links else html[:at] + links + html[at:]


def shell_contents(theme: Theme) -> dict[str, bytes]:
    """The bytes of every shell file as published: index.html with its module preloads."""
    files = theme.shell_files()
    contents = {rel: src.read_bytes() for rel, src in sorted(files.items())}
    modules = sorted(rel for rel in files if rel.endswith(".js"))
    if "index.html" in contents:
        html = with_module_preloads(contents["index.html"].decode("utf-8"), modules)
        contents["index.html"] = html.encode("utf-8")
    return contents


def _manifest(contents: dict[str, bytes]) -> tuple[list[dict[str, str]], str]:
    manifest = [
        {"url": "/" + rel, "revision": hashlib.sha256(data).hexdigest()[:16]}
        for rel, data in contents.items()
    ]
    version = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16]
    return manifest, version


def shell_manifest(theme: Theme) -> tuple[list[dict[str, str]], str]:
    """The precache manifest of the shell and its version hash."""
    return _manifest(shell_contents(theme))


def write_shell(site: Path, *, theme: Theme, service_worker: Path) -> str:
    """Write the shell to the site root and write sw.js; returns the shell version."""
    contents = shell_contents(theme)
    for rel, data in contents.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    manifest, version = _manifest(contents)  # of the bytes just written, read once
    if service_worker.is_file():
        source = service_worker.read_text(encoding="utf-8")
        source = source.replace(PRECACHE_PLACEHOLDER, json.dumps(manifest))
        source = source.replace(SHELL_VERSION_PLACEHOLDER, json.dumps(version))
        (site / "sw.js").write_text(source, encoding="utf-8")
    return version
