"""Every child's folder of the export, in worker processes when there are many.

In: the export's files, config and register, and what earlier builds stored (parse-cache shards,
`StoredIndex`). Out: each child's documents — parsed, made from its shard, or a `StoredChild`
that reads its shard only when rendered — and the problems per child, including a child without
a guardian in the register.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from site_builder.export.config import ExportConfig
from site_builder.export.files import ExportFiles
from site_builder.export.fingerprint import TreeStat
from site_builder.export.folders import LevelCodes, load_child_folder, scale_levels
from site_builder.export.model import ChildDocuments
from site_builder.export.parse_cache import FolderCache, write_shard
from site_builder.export.problems import Problem
from site_builder.export.register import Register
from site_builder.export.stored import StoredChild, StoredIndex
from site_builder.export.walk import folder_names

T = TypeVar("T")
R = TypeVar("R")
PARALLEL_FROM = 200  # children; below this, starting processes costs more than it saves


def cpus() -> int:
    return os.cpu_count() or 1


ChildTask = tuple[
    ExportFiles, Path, LevelCodes, FolderCache, tuple[int, TreeStat] | None, Path | None
]


def load_child_task(
    task: ChildTask,
) -> tuple[ChildDocuments, list[Problem], FolderCache | None]:
    """A child's documents; a StoredChild (and no cache to save) when its shard is complete."""
    files, folder, levels, cache, surveyed, cache_dir = task
    unchanged = bool(cache.old)  # the shard is still the folder's (see load_child_folder)
    docs, problems = load_child_folder(files, folder, levels, cache, surveyed)
    unchanged = unchanged and cache.new is cache.old
    if cache_dir is not None and docs.sig is not None and not problems:
        # Stored here, in whichever process parsed it: the main process keeps a reference,
        # and a build worker reads the shard again only to render the child.
        if not unchanged:
            write_shard(cache_dir, f"children/{folder.name}", cache)
        child = StoredChild(
            person_id=folder.name, sig=docs.sig, files=files, cache_dir=cache_dir, levels=levels
        )
        return child, problems, None
    cache.old = {}  # only the entries this build used travel back
    # The checks are done: front matter travels back and stays in memory as text only.
    for doc in [*docs.posts, *docs.assessments, docs.iup, docs.talk]:
        if doc is not None:
            doc.drop_front()
    return docs, problems, task[3]


def _map(fn: Callable[[T], R], items: list[T], *, jobs: int) -> Iterator[R]:
    """Map in worker processes when it pays off (parsing YAML is CPU-bound)."""
    if jobs <= 1 or len(items) < PARALLEL_FROM:
        yield from map(fn, items)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(fn, items, chunksize=max(1, len(items) // (jobs * 8)))


def load_children(
    files: ExportFiles,
    config: ExportConfig,
    register: Register,
    *,
    jobs: int,
    shard: Callable[[str], FolderCache],
    fresh: dict[str, FolderCache],
    known: StoredIndex,
) -> tuple[dict[str, ChildDocuments], dict[str, list[Problem]]]:
    persons = {p.id: p for p in register.persons}
    children: dict[str, ChildDocuments] = {}
    problems: dict[str, list[Problem]] = {}
    levels_for = scale_levels(config, register)
    survey = known.survey
    base = files.root / "children"
    folders = [base / name for name in folder_names(base)]
    work: list[ChildTask] = []
    cached: list[ChildTask] = []
    for folder in folders:
        person = persons.get(folder.name)
        if person is None:
            problems[folder.name] = [
                Problem(
                    files.rel(folder),
                    "folder name",
                    f"no person with id {folder.name!r} in register.json",
                    "name the folder after the child's person id",
                )
            ]
            continue
        levels = levels_for(person)
        if (kept := known.child(folder, levels)) is not None:
            children[folder.name], problems[folder.name] = kept, []
            continue
        rel = f"children/{folder.name}"
        cache = shard(rel)
        tree = survey.tree(rel) if survey else None
        surveyed = (survey.started_ns, tree) if survey and tree else None
        task = (files, folder, levels, cache, surveyed, known.cache_dir)
        (cached if cache.old else work).append(task)
    # Folders with cache entries cost a stat per file: in this process, since sending their
    # documents back from a worker would cost more. Only unparsed folders go to the pool.
    loaded = [*map(load_child_task, cached), *_map(load_child_task, work, jobs=jobs)]
    by_name = {docs.person_id: (docs, found, used) for docs, found, used in loaded}
    for folder in folders:
        if folder.name in by_name:
            docs, found, used = by_name[folder.name]
            children[docs.person_id], problems[docs.person_id] = docs, found
            if used is not None:
                fresh[f"children/{docs.person_id}"] = used
            elif docs.sig is not None:  # its shard was written by the task
                known.kept[f"children/{docs.person_id}"] = docs.sig
    for i, person in enumerate(register.persons):
        if (person.id in children or person.enrolments) and not person.responsibles:
            problems.setdefault(person.id, []).append(
                Problem(
                    "register.json",
                    f"persons[{i}].responsibles",
                    f"the child {person.id} has no guardian",
                    "add the guardians under responsibles (relationType Vårdnadshavare)",
                )
            )
    return children, problems
