"""Reloading some children's folders into an export that is already loaded.

The resident builder (pipeline/runs/resident.py) learns from file events which children's folders
changed. When nothing else did — export.toml, register.json, groups/, the set of children's
folders are as they were — only those folders are read again, with the loader's own per-child
code and checks; everything else in the export stays the objects it was, which is what lets the
build memo (pipeline/incremental/memo.py) keep the rest of the last build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from site_builder.export.children import load_child_task
from site_builder.export.files import ExportFiles
from site_builder.export.folders import scale_levels
from site_builder.export.model import ChildDocuments, Export
from site_builder.export.parse_cache import load_shard, write_shard
from site_builder.export.problems import ExportInvalid, Problem


def reload_children(
    export: Export,
    names: Iterable[str],
    *,
    cache_dir: Path | None,
    skip_broken: bool = False,
) -> tuple[Export, list[Problem]]:
    """`export` with the folders `children/<name>` read again; the problems of children left out
    with `skip_broken`. Raises ExportInvalid as load_export would (the export is unchanged)."""
    files = ExportFiles(root=export.root, max_bytes=export.config.max_file_mb * 1024 * 1024)
    persons = {p.id: p for p in export.register.persons}
    levels_for = scale_levels(export.config, export.register)
    children: dict[str, ChildDocuments] = dict(export.children)
    problems: list[Problem] = []
    skipped: list[Problem] = []
    for name in sorted(set(names)):
        rel = f"children/{name}"
        levels = levels_for(persons[name])
        task = (files, files.root / rel, levels, load_shard(cache_dir, rel), None, cache_dir)
        docs, found, used = load_child_task(task)
        if used is not None and cache_dir is not None and not found:
            write_shard(cache_dir, rel, used)  # the next load parses only what changes again
        if found and skip_broken:
            skipped += found
            children.pop(name, None)
        elif found:
            problems += found
        else:
            children[name] = docs
    if problems:
        raise ExportInvalid(problems)
    return replace(export, children=children), skipped
