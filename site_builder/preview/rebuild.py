"""One preview build: load + validate the export, build into the preview's own folder, report.

The builds go through a resident builder (pipeline/runs/resident.py): a save in one child's folder
reads that folder again and nothing else of the export.

A build never raises: validation problems and build errors go to the terminal and, as
`problems`, to every open page; the watcher keeps running and the last good preview stays live.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.export.loader import ExportInvalid
from site_builder.pipeline.build import BUILD_ERRORS, BuildFailed, BuildOptions
from site_builder.pipeline.runs.resident import ResidentBuilder
from site_builder.pipeline.state.keystore import KeySet
from site_builder.preview.events import EventHub

Say = Callable[[str], None]
# What a build may raise that is not a bug: reported, and the watcher goes on.


def _problem(message: str, *, file: str = "", fix: str = "") -> dict[str, str]:
    return {"file": file, "location": "", "message": message, "fix": fix}


def _problem_line(p: dict[str, Any]) -> str:
    where = ":".join(part for part in (p["file"], p["location"]) if part)
    fix = f" — fix: {p['fix']}" if p.get("fix") else ""
    return f"  {where + ': ' if where else ''}{p['message']}{fix}"


@dataclass
class PreviewBuilder:
    """Builds the preview; thread-safe (one build at a time), counts builds for the status."""

    export_root: Path
    options: BuildOptions
    keys: KeySet
    hub: EventHub
    say: Say = print
    builds: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _resident: ResidentBuilder = field(init=False)

    def __post_init__(self) -> None:
        self._resident = ResidentBuilder(
            export_root=self.export_root, options=self.options, keys=self.keys, say=lambda _m: None
        )

    def rebuild(self, changed: set[Path] | None = None) -> bool:
        """Build once; True when the build succeeded (changed or not)."""
        with self._lock:
            self.builds += 1
            number = self.builds
            why = "first build" if changed is None else f"{len(changed)} file(s) changed"
            self.say(f"watch: rebuild #{number} ({why})")
            problems = self._build_once(changed)
        if problems is None:
            return True
        self.say(
            f"watch: rebuild #{number}: {len(problems)} problem(s); "
            "the preview keeps its last good build:"
        )
        for p in problems:
            self.say(_problem_line(p))
        self.hub.build_failed(problems)
        return False

    def _build_once(self, changed: set[Path] | None) -> list[dict[str, Any]] | None:
        """None on success; else the problems to show."""
        started = time.monotonic()
        try:
            summary = self._resident.build(changed)[0]
        except ExportInvalid as exc:
            return [p.to_dict() for p in exc.problems]
        except BuildFailed as exc:
            return [_problem(line) for line in exc.problems]
        except BUILD_ERRORS as exc:
            return [_problem(str(exc))]
        except Exception as exc:  # a bug must not stop the watcher; the next save retries
            self.say(traceback.format_exc().rstrip())
            return [_problem(f"internal error in the build: {type(exc).__name__}: {exc}")]
        seconds = time.monotonic() - started
        if summary.published:
            self.say(
                f"watch: {'patched' if summary.patched else 'published'} preview snapshot "
                f"{summary.seq} in {seconds:.2f} s "
                f"({summary.documents_rendered} document(s) rendered, "
                f"{len(summary.keyrings_changed)} keyring(s) changed); reloading pages"
            )
            self.hub.site_changed()
        else:
            self.say(f"watch: nothing changed ({seconds:.2f} s)")
            self.hub.build_ok()
        return None
