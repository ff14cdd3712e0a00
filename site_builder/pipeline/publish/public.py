"""The public files: latest.json, config.json, the app shell and the service worker.

Nothing here is personal: config.json carries the municipality's public FAQ, e-service links and
the facts of its privacy notice and accessibility statement (legal.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import markdown

from site_builder.export.config import ExportConfig
from site_builder.pipeline.publish.legal import legal_json
from site_builder.pipeline.render.sanitize import sanitize_html
from site_builder.pipeline.seal.keyrings import SnapshotInfo
from site_builder.pipeline.shell.bundle_js import bundle_modules
from site_builder.pipeline.shell.catalogues import LOCALES, build_catalogues
from site_builder.pipeline.shell.theme import Theme

# Literal placeholders in service_worker/sw.js (JSON values, so the source stays valid JS).
PRECACHE_PLACEHOLDER = '"__PRECACHE_MANIFEST__"'
SHELL_VERSION_PLACEHOLDER = '"__SHELL_VERSION__"'
# In app/pinned.js: the municipality's public signing keys, written into the shell at build time.
PINNED_KEYS_PLACEHOLDER = '"__FP_SIGNING_KEYS__"'
PINNED_MODULE = "app/pinned.js"
# In app/i18n.js: the languages whose catalogues the build checked (catalogues.py).
LANGUAGES_PLACEHOLDER = '"__FP_LANGUAGES__"'
I18N_MODULE = "app/i18n.js"


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode()


def config_json(config: ExportConfig) -> bytes:
    faq = [
        {
            "question": entry.question,
            "answer_html": sanitize_html(markdown.markdown(entry.answer, output_format="html")),
            "lang": entry.lang,
            "audience": entry.audience,
        }
        for entry in config.faq
    ]
    contact: dict[str, Any] | None = None
    if config.contact:  # texts as {"sv": …, "<code>": …}: only the languages given
        contact = config.contact.model_dump(mode="json", exclude_none=True)
        contact["name"] = config.contact.name.as_dict()
        if config.contact.hours:
            contact["hours"] = config.contact.hours.as_dict()
    return _json_bytes(
        {
            "v": 1,
            "municipality": config.municipality,
            "languages": list(config.languages),
            "auto_lock_minutes": config.auto_lock_minutes,
            "lock_grace_minutes": min(config.lock_grace_minutes, config.auto_lock_minutes),
            "service_links": [
                {"kind": s.kind, "label": s.label.as_dict(), "url": str(s.url)}
                for s in config.service_links
            ],
            "faq": faq,
            "legal": legal_json(config),  # privacy notice and accessibility statement
            "contact": contact,
        }
    )


def latest_json(
    current: SnapshotInfo,
    earlier: list[SnapshotInfo],
    *,
    shell: str,
    key_id: str,
    retention: dict[int, str] | None = None,
) -> bytes:
    """`key_id` names the master key generation every keyring here is sealed under (an HMAC
    under a key derived from it: public, reveals nothing). The key service refuses to start
    with another key, and the app asks for one new sign-in when it changes (rotation).
    `retention`: seq → its retention date (gallring), so the app forgets a term's saved data
    on the device when the date passes and warns a month before (docs/app.md)."""
    snapshots = [current, *sorted(earlier, key=lambda s: s.seq, reverse=True)]
    dates = retention or {}

    def one(info: SnapshotInfo) -> dict[str, Any]:
        until = dates.get(info.seq)
        return {**info.as_json(), **({"retention_until": until} if until else {})}

    return _json_bytes(
        {
            "v": 1,
            **current.as_json(),
            "snapshots": [one(s) for s in snapshots],
            "shell": shell,
            "key_id": key_id,
        }
    )


ENTRY_SCRIPT = re.compile(r'<script type="module" src="/(?P<rel>[^"]+\.js)"></script>')


def keys_json(key_list: dict[str, Any] | None) -> bytes:
    """The public key list as published (`keys.json`) and pinned (app/pinned.js)."""
    return _json_bytes(key_list or {"v": 1, "keys": []})


def shell_contents(theme: Theme, *, key_list: dict[str, Any] | None = None) -> dict[str, bytes]:
    """The bytes of every shell file as published: the modules index.html loads are bundled
    into one file (bundle_js.py) that index.html loads instead of them; `key_list` (the public
    signing keys) is pinned into app/pinned.js."""
    files = theme.shell_files()
    contents = {rel: src.read_bytes() for rel, src in sorted(files.items())}
    if PINNED_MODULE in contents:
        pinned = json.dumps(key_list or {"v": 1, "keys": []}, separators=(",", ":"))
        source = contents[PINNED_MODULE].decode("utf-8")
        contents[PINNED_MODULE] = source.replace(PINNED_KEYS_PLACEHOLDER, pinned).encode("utf-8")
    _put_catalogues(contents, theme)
    html = contents.get("index.html", b"").decode("utf-8")
    entry = ENTRY_SCRIPT.search(html)
    if entry is None or entry["rel"] not in contents:
        return contents
    modules = {rel: data.decode("utf-8") for rel, data in contents.items() if rel.endswith(".js")}
    bundle, bundled = bundle_modules(modules, entry=entry["rel"])
    for rel in bundled:
        del contents[rel]
    bundle_rel = entry["rel"].removesuffix(".js") + ".bundle.js"
    contents[bundle_rel] = bundle.encode("utf-8")
    script = f'<script type="module" src="/{bundle_rel}"></script>'
    contents["index.html"] = html.replace(entry[0], script).encode("utf-8")
    return contents


def _put_catalogues(contents: dict[str, bytes], theme: Theme) -> None:
    """Each language's catalogue merged along the theme chain and checked (CatalogueError
    otherwise), and the list of them written into app/i18n.js."""
    if not any(rel.startswith(f"{LOCALES}/") for rel in contents):
        return
    catalogues, languages = build_catalogues(theme)
    for rel in [rel for rel in contents if rel.startswith(f"{LOCALES}/")]:
        del contents[rel]
    for code, messages in catalogues.items():
        contents[f"{LOCALES}/{code}.json"] = json.dumps(
            messages, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
    if I18N_MODULE in contents:
        offered = json.dumps(
            [{"code": x.code, "name": x.name, "dir": x.dir} for x in languages],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        source = contents[I18N_MODULE].decode("utf-8")
        contents[I18N_MODULE] = source.replace(LANGUAGES_PLACEHOLDER, offered).encode("utf-8")


def _manifest(contents: dict[str, bytes]) -> tuple[list[dict[str, str]], str]:
    manifest = [
        {"url": "/" + rel, "revision": hashlib.sha256(data).hexdigest()[:16]}
        for rel, data in contents.items()
    ]
    version = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16]
    return manifest, version


def shell_manifest(
    theme: Theme, *, key_list: dict[str, Any] | None = None
) -> tuple[list[dict[str, str]], str]:
    """The precache manifest of the shell and its version hash."""
    return _manifest(shell_contents(theme, key_list=key_list))


def write_shell(
    site: Path, *, theme: Theme, service_worker: Path, key_list: dict[str, Any] | None = None
) -> str:
    """Write the shell, keys.json (the public signing keys) and sw.js; returns the shell
    version."""
    contents = shell_contents(theme, key_list=key_list)
    (site / "keys.json").write_bytes(keys_json(key_list))
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
