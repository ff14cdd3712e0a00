"""A builder that stays running: `build --watch` and the preview (`watch`) build through it.

A one-shot build starts from nothing: it walks the export, loads the register, plans 15,000
readers and checks 10,000 task keys before it can find the one post that changed (seconds at
10,000 children). Kept in one process, the export, the plan and the last build's results stay in
memory; file events say which children's folders changed, only those are read again, and the
build memo (incremental/memo.py) re-does only the work that depends on them. Anything else that
changes — export.toml, register.json, groups/, a child's folder appearing or going — loads the
whole export again, as does the first build and any build after one that failed.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path

from site_builder.export.loader import load_export
from site_builder.export.model import Export
from site_builder.export.problems import Problem
from site_builder.export.reload import reload_children
from site_builder.pipeline.build import BuildOptions, build
from site_builder.pipeline.incremental.memo import BuildMemo
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.state.keystore import KeySet


def _settle_the_heap() -> None:
    """Collect once, then freeze what survives: the export, the plan and the memo live until
    the next whole load. A full collection scans every object — 0.5 s at 10,000 children — and
    would otherwise run every few incremental builds."""
    gc.collect()
    gc.freeze()


class ResidentBuilder:
    """Not thread-safe: one build at a time (the watchers call it from one thread)."""

    def __init__(
        self,
        *,
        export_root: Path,
        options: BuildOptions,
        keys: KeySet,
        skip_broken: bool = False,
        today: Callable[[], date] | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        self._export_root = export_root
        self._root = export_root.resolve()  # again at each whole load: it may be a swapped link
        self._options = options
        self._keys = keys
        self._skip_broken = skip_broken
        self._today = today  # a builder running for days dates each build by its own day
        self._say = say
        self._memo = BuildMemo()
        self._export: Export | None = None
        self._skipped: list[Problem] = []  # the problems of children left out as broken
        self.loads = 0  # whole-export loads so far (the first build's included)

    def build(self, changed: Iterable[Path] | None = None) -> tuple[BuildSummary, list[Problem]]:
        """Build after `changed` (paths from file events; None: unknown, load everything).
        Raises what build_export raises; the next build then loads the whole export."""
        names = self._children_changed(changed)
        options = self._options
        if self._today is not None:
            options = replace(options, today=self._today())
        loaded = False
        try:
            export = self._reloaded(names, cache_dir=options.state_dir) if names else None
            if export is None and names != set():
                export, loaded = self._load_all(), True
            export = export or self._export
            assert export is not None
            summary = build(
                export, options=options, keys=self._keys, say=self._say, memo=self._memo
            )
        except BaseException:
            self._export = None
            raise
        self._export = export
        if loaded:
            _settle_the_heap()
        return summary, list(self._skipped)

    def _reloaded(self, names: set[str], *, cache_dir: Path) -> Export | None:
        """The export with those children read again; None when one of them is now left out
        as broken (the whole export is loaded again, for a complete list of what was left out)."""
        assert self._export is not None
        export, skipped = reload_children(
            self._export, names, cache_dir=cache_dir, skip_broken=self._skip_broken
        )
        return None if skipped else export

    def _load_all(self) -> Export:
        self.loads += 1
        self._export = None
        gc.unfreeze()  # what the last load left may be garbage now
        self._root = self._export_root.resolve()
        loaded = load_export(
            self._export_root,
            skip_broken_children=self._skip_broken,
            jobs=self._options.jobs,
            cache_dir=self._options.state_dir,
        )
        self._skipped = loaded.skipped
        return loaded.export

    def _children_changed(self, changed: Iterable[Path] | None) -> set[str] | None:
        """The children whose folders alone changed; None when anything else in the export did.
        Paths outside the export (a theme) need no reload: every build reads the theme."""
        if changed is None or self._export is None:
            return None
        names: set[str] = set()
        for path in changed:
            try:
                parts = path.absolute().relative_to(self._root).parts
            except ValueError:
                continue
            if len(parts) < 3 or parts[0] != "children" or parts[1] not in self._export.children:
                return None
            folder = self._root / "children" / parts[1]
            if folder.is_symlink() or not folder.is_dir():
                return None
            names.add(parts[1])
        return names
