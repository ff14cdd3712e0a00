"""`site-builder build --watch`: publish every settled change of the export, until stopped.

The same watcher and debouncer as the preview feed a resident builder (pipeline/runs/resident.py),
which writes the published site: a correction in one child's folder is read, sealed and patched
in without reloading the rest. A build that fails says why and leaves the live site as it was;
the watcher keeps going, and the fix is published when it is saved. Lines printed here carry
counts and file paths of the export, never a name or a document's text.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import FrameType

from site_builder.export.problems import ExportInvalid, Problem
from site_builder.pipeline.build import BUILD_ERRORS, BuildFailed, BuildOptions
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.runs.resident import ResidentBuilder
from site_builder.pipeline.state.keystore import KeySet
from site_builder.watch.debounce import Debouncer
from site_builder.watch.watcher import ExportWatcher

Say = Callable[[str], None]


class _Publisher:
    def __init__(
        self,
        builder: ResidentBuilder,
        *,
        say: Say,
        after: Callable[[int], None] | None = None,
    ) -> None:
        self._builder = builder
        self._say = say
        self._lock = threading.Lock()
        self._after = after  # gets the number of keyrings a publish changed (notify)

    def publish(self, changed: set[Path] | None = None) -> None:
        """One build; never raises (the watcher must keep running)."""
        with self._lock:
            started = time.monotonic()
            try:
                summary, skipped = self._builder.build(changed)
            except ExportInvalid as exc:
                self._say("the export is invalid; the published site is unchanged:")
                for problem in exc.problems:
                    self._say("  " + problem.line())
                return
            except BuildFailed as exc:
                self._say("the build failed; the published site is unchanged:")
                for line in exc.problems:
                    self._say("  " + line)
                return
            except BUILD_ERRORS as exc:
                self._say(f"error: {exc}; the published site is unchanged")
                return
            except Exception:  # a bug must not stop the watcher; the next change retries
                self._say(traceback.format_exc().rstrip())
                return
            self._say(_one_line(summary, seconds=time.monotonic() - started, skipped=skipped))
            if self._after is not None and summary.published:
                self._after(len(summary.keyrings_changed))


def _one_line(summary: BuildSummary, *, seconds: float, skipped: list[Problem]) -> str:
    if not summary.published:
        what = f"nothing changed; snapshot {summary.seq} stays live"
    else:
        verb = "patched" if summary.patched else "published"
        what = (
            f"{verb} snapshot {summary.seq} ({summary.documents_rendered} document(s) rendered, "
            f"{len(summary.keyrings_changed)} keyring(s) changed)"
        )
    left_out = f"; {len(skipped)} problem(s) in children left out" if skipped else ""
    return f"build --watch: {what} in {seconds:.2f} s{left_out}"


def folder_identity(path: Path) -> tuple[str, int, int] | None:
    """Where `path` leads and which folder it is; None while it is missing (mid-swap)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (os.path.realpath(path), st.st_dev, st.st_ino)


def run_build_watch(
    *,
    export: Path,
    options: BuildOptions,
    keys: KeySet,
    skip_broken: bool,
    quiet: float,
    say: Say,
    after_publish: Callable[[int], None] | None = None,
) -> None:
    """Build, then publish each settled change until SIGINT or SIGTERM. `after_publish`
    (e.g. notify's AfterPublish.published) gets the number of keyrings each publish changed."""
    builder = ResidentBuilder(
        export_root=export,
        options=options,
        keys=keys,
        skip_broken=skip_broken,
        today=date.today,
        say=say,
    )
    publisher = _Publisher(builder, say=say, after=after_publish)
    stop = threading.Event()

    def on_signal(_sig: int, _frame: FrameType | None) -> None:
        stop.set()

    def new_watcher() -> ExportWatcher:
        return ExportWatcher(
            folders=[export, options.themes_root],
            excluded=(options.out, options.state_dir),
            debouncer=Debouncer(on_settled=publisher.publish, quiet=quiet),
        )

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    watcher, watched = new_watcher(), folder_identity(export)
    try:
        watcher.start()  # before the first build: what changes during it is built next
        publisher.publish()
        say(f"build --watch: watching {export} and the themes; Ctrl+C stops")
        while not stop.wait(0.5):
            now = folder_identity(export)
            if now is None or now == watched:
                continue
            # An export tool that writes a new folder and renames it (or a link to it) into
            # place: the old folder's watches see nothing of the new one.
            say("build --watch: the export folder was replaced; watching the new one")
            watcher.stop()
            watcher, watched = new_watcher(), now
            watcher.start()
            publisher.publish()
    finally:
        watcher.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        say("build --watch: stopped")
