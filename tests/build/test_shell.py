"""The published app shell: index.html announces every module, and the precache manifest
describes the bytes actually written (so the service worker's revisions match what it caches)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from site_builder.pipeline.public import shell_manifest, with_module_preloads, write_shell
from site_builder.pipeline.theme import SERVICE_WORKER, THEMES_ROOT, resolve_theme

EXAMPLE = Path(__file__).resolve().parents[2] / "content" / "example"


def test_index_preloads_every_module_before_the_entry_script(tmp_path: Path) -> None:
    theme = resolve_theme(
        export_root=EXAMPLE, export_theme=None, theme_name=None, themes_root=THEMES_ROOT
    )
    write_shell(tmp_path, theme=theme, service_worker=SERVICE_WORKER)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    preloaded = re.findall(r'<link rel="modulepreload" href="/([^"]+)">', html)
    modules = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "app").rglob("*.js"))
    assert preloaded == modules and "app/main.js" in modules and len(modules) > 10
    assert html.rindex("modulepreload") < html.index('<script type="module"')

    manifest, _ = shell_manifest(theme)
    for entry in manifest:
        written = (tmp_path / entry["url"].lstrip("/")).read_bytes()
        assert entry["revision"] == hashlib.sha256(written).hexdigest()[:16], entry["url"]
    assert json.dumps(manifest) in (tmp_path / "sw.js").read_text(encoding="utf-8")


def test_a_page_without_a_module_script_is_left_as_it_is() -> None:
    html = "<!doctype html><title>x</title><script src=/a.js></script>"
    assert with_module_preloads(html, ["app/a.js"]) == html
    assert with_module_preloads('<script type="module" src=/m.js>', []) == (
        '<script type="module" src=/m.js>'
    )
