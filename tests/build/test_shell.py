"""The published app shell: index.html loads one bundle of every app module (bundle_js.py), and
the precache manifest describes the bytes actually written (so the service worker's revisions
match what it caches)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from site_builder.pipeline.publish.public import shell_manifest, write_shell
from site_builder.pipeline.shell.bundle_js import bundle_modules
from site_builder.pipeline.shell.theme import SERVICE_WORKER, THEMES_ROOT, ThemeError, resolve_theme

EXAMPLE = Path(__file__).resolve().parents[2] / "content" / "example"
APP = THEMES_ROOT / "default" / "shell" / "app"


def test_index_loads_one_bundle_of_every_module(tmp_path: Path) -> None:
    theme = resolve_theme(
        export_root=EXAMPLE, export_theme=None, theme_name=None, themes_root=THEMES_ROOT
    )
    write_shell(tmp_path, theme=theme, service_worker=SERVICE_WORKER)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<script type="module" src="/([^"]+)">', html) == ["app/main.bundle.js"]
    published = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.js"))
    # besides the bundle, only what the archive loads when it is made (lazy/, vendor/)
    assert published == [
        "app/main.bundle.js",
        "lazy/archive.js",
        "sw.js",
        "vendor/jspdf-4.2.1.umd.min.js",
    ]
    bundle = (tmp_path / "app" / "main.bundle.js").read_text(encoding="utf-8")
    sources = sorted(p.relative_to(APP.parent).as_posix() for p in APP.rglob("*.js"))
    assert len(sources) > 10 and all(f"// {rel}\n" in bundle for rel in sources)
    assert (
        bundle.index("// app/fp1.js")
        < bundle.index("// app/data.js")
        < bundle.index("// app/main.js")
    )  # every module after the ones it imports
    assert not re.search(r"^\s*(import|export)\s", bundle, re.M)

    manifest, _ = shell_manifest(theme)
    for entry in manifest:
        written = (tmp_path / entry["url"].lstrip("/")).read_bytes()
        assert entry["revision"] == hashlib.sha256(written).hexdigest()[:16], entry["url"]
    assert json.dumps(manifest) in (tmp_path / "sw.js").read_text(encoding="utf-8")


def test_imports_become_destructurings_of_the_module_scopes() -> None:
    sources = {
        "app/main.js": 'import { a, b as c } from "./lib/b.js";\n'
        'import * as tools from "./tools.js";\nconsole.log(a, c, tools.z);\n',
        "app/lib/b.js": 'import { z } from "../tools.js";\n'
        "export const a = z + 1;\nexport async function b() {}\n",
        "app/tools.js": "export const z = 1;\nexport class Tool {}\n",
    }
    bundle, order = bundle_modules(sources, entry="app/main.js")
    assert order == ["app/tools.js", "app/lib/b.js", "app/main.js"]
    assert "return { z, Tool };" in bundle and "return { a, b };" in bundle
    assert "const { z } = __fp_module_0;" in bundle
    assert "const { a, b: c } = __fp_module_1;" in bundle
    assert "const tools = __fp_module_0;" in bundle
    assert "async function b() {}" in bundle and "export" not in bundle


REFUSED = {
    "export default": "export default function main() {}\n",
    "export let/var": "export let counter = 0;\n",
    "export { … } / export * lists": "const a = 1;\nexport { a };\n",
    "import() or import.meta": 'const lazy = () => import("./tools.js");\n',
    "import() or import.meta ": "const lazy = (url) => import(url);\n",
    "not a relative path": 'import { html } from "lit";\n',
    "no such module": 'import { x } from "./missing.js";\n',
    "an import cycle": 'import { z } from "./tools.js";\nexport const m = 1;\n',
}


def test_import_of_an_absolute_path_stays_for_the_browser() -> None:
    """A module outside the shell (the archive's PDF) is loaded when needed, not bundled."""
    main = 'export async function pdf() {\n  return import("/lazy/pdf.js");\n}\n'
    bundle, _ = bundle_modules({"app/main.js": main}, entry="app/main.js")
    assert 'import("/lazy/pdf.js")' in bundle


@pytest.mark.parametrize("construct", list(REFUSED))
def test_what_cannot_be_bundled_is_refused_naming_the_file(construct: str) -> None:
    tools = 'import { m } from "./main.js";\nexport const z = m;\n'
    sources = {"app/main.js": REFUSED[construct], "app/tools.js": tools}
    with pytest.raises(ThemeError, match=re.escape(construct.strip())) as refused:
        bundle_modules(sources, entry="app/main.js")
    assert "app/" in str(refused.value) and "bundle_js.py" in str(refused.value)
