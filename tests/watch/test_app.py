"""The preview app in-process: index.html with the reload script, the waiting page, the no-op
worker, the status; and the output folder the preview owns."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from site_builder.fp1 import MasterKey
from site_builder.pipeline.build import BuildOptions
from site_builder.pipeline.state.keystore import KeySet
from site_builder.preview.app import RELOAD_TAG, create_preview_app, inject_reload
from site_builder.preview.events import EventHub
from site_builder.preview.outdir import MARKER, OutDirTaken, preview_site_link
from site_builder.preview.rebuild import PreviewBuilder
from tests.fresh_loop import run_on_fresh_loop
from tests.watch.harness import EXAMPLE

BASE = "http://127.0.0.1:8001"


def _client(site: Path) -> httpx.AsyncClient:
    hub, master = EventHub(), MasterKey.generate()
    builder = PreviewBuilder(
        export_root=EXAMPLE,
        options=BuildOptions(out=site, state_dir=site.parent / "state"),
        keys=KeySet(master=master),
        hub=hub,
    )
    app = create_preview_app(
        site_dir=site, master=master, export_root=EXAMPLE, base_url=BASE, hub=hub, builder=builder
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)


def test_inject_reload_goes_before_head_end() -> None:
    html = "<html><head><title>x</title></HEAD><body></body></html>"
    assert inject_reload(html) == (
        f"<html><head><title>x</title>{RELOAD_TAG}\n</HEAD><body></body></html>"
    )


@pytest.mark.parametrize("built", [True, False])
def test_index_carries_the_reload_script_and_the_site_file_does_not_change(
    tmp_path: Path, built: bool
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    original = '<!doctype html><html><head><script type="module" src="/app/main.js"></script>'
    original += "</head><body><main>app</main></body></html>"
    if built:
        (site / "index.html").write_text(original, encoding="utf-8")
    (site / "latest.json").write_text("{}", encoding="utf-8")

    async def fetch() -> dict[str, httpx.Response]:
        async with _client(site) as client:
            paths = ["/", "/index.html", "/sw.js", "/latest.json", "/__preview__/reload.js"]
            paths += ["/__preview__/reload.css", "/__preview__/status"]
            return {p: await client.get(p) for p in paths}

    got = run_on_fresh_loop(fetch)
    assert all(r.status_code == 200 for r in got.values())
    for page in ("/", "/index.html"):
        assert RELOAD_TAG in got[page].text
        assert got[page].headers["cache-control"] == "no-store"
        assert "script-src 'self'" in got[page].headers["content-security-policy"]
    if built:
        assert "<main>app</main>" in got["/"].text
        assert (site / "index.html").read_text(encoding="utf-8") == original
    else:
        assert "Förhandsvisning" in got["/"].text
    assert "skipWaiting" in got["/sw.js"].text and '"fetch"' not in got["/sw.js"].text
    assert got["/latest.json"].json() == {}  # everything else is the site app's
    assert "EventSource" in got["/__preview__/reload.js"].text
    assert got["/__preview__/status"].json() == {"builds": 0, "generation": 0, "problems": []}


def test_the_output_folder_is_the_previews_own(tmp_path: Path) -> None:
    out = tmp_path / "preview"
    assert preview_site_link(out) == out / "site"
    assert (out / MARKER).is_file()
    assert preview_site_link(out) == out / "site"  # again: it is ours
    taken = tmp_path / "build"
    taken.mkdir()
    (taken / "site").symlink_to(".site-1")
    with pytest.raises(OutDirTaken, match="did not make"):
        preview_site_link(taken)
    assert not (taken / MARKER).exists()
