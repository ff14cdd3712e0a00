"""Running the preview: the first build, the watcher and the loopback server, stopped together."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import uvicorn

from site_builder.pipeline.build import BuildOptions
from site_builder.pipeline.shell.theme import THEMES_ROOT
from site_builder.preview.app import create_preview_app
from site_builder.preview.events import EventHub
from site_builder.preview.outdir import preview_site_link
from site_builder.preview.previewkey import preview_keys
from site_builder.preview.rebuild import PreviewBuilder
from site_builder.watch.debounce import Debouncer
from site_builder.watch.watcher import ExportWatcher

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _PreviewServer(uvicorn.Server):
    """Ends the open event streams first, so stopping never waits for a page to go away.

    uvicorn re-raises a caught SIGINT/SIGTERM after its shutdown, which would kill the process
    before the watcher stops; here Ctrl+C or SIGTERM ends `run()` normally instead.
    """

    def __init__(self, config: uvicorn.Config, *, hub: EventHub) -> None:
        super().__init__(config)
        self._hub = hub

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._hub.close()
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def run_preview(
    *,
    export: Path,
    out: Path,
    state_dir: Path,
    host: str,
    port: int,
    theme: str | None,
    quiet: float,
    say: Callable[[str], None],
) -> None:
    site = preview_site_link(out)
    keys, created = preview_keys(state_dir)
    if created:
        say(f"watch: created the preview key {state_dir}/keys/master.key (not the published key)")
    options = BuildOptions(
        out=site, state_dir=state_dir, theme=theme, jobs=os.cpu_count() or 1, wait=True
    )
    hub = EventHub()
    builder = PreviewBuilder(export_root=export, options=options, keys=keys, hub=hub, say=say)
    builder.rebuild()
    url_host = f"[{host}]" if ":" in host else host
    base_url = f"http://{url_host}:{port}"
    app = create_preview_app(
        site_dir=site,
        master=keys.master,
        export_root=export,
        base_url=base_url,
        hub=hub,
        builder=builder,
    )
    watcher = ExportWatcher(
        folders=[export, THEMES_ROOT],
        excluded=(out, state_dir),
        debouncer=Debouncer(on_settled=builder.rebuild, quiet=quiet),
    )
    watcher.start()
    say(f"watch: watching {export} and {THEMES_ROOT}")
    say(f"watch: preview on {base_url}/ (dev e-ID: pick any family) — Ctrl+C stops")
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,  # would record URLs; the key service logs its own lines
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=2,
    )
    try:
        _PreviewServer(config, hub=hub).run()
    finally:
        hub.close()
        watcher.stop()
        say("watch: stopped")
