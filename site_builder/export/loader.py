"""load_export: read the whole export, gather every problem, return validated models.

Nothing downstream runs on an invalid export: either every file is valid (optionally leaving out
children whose own files are broken, reported in `skipped`) or ExportInvalid lists all problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder.export.checks import check_config, check_register
from site_builder.export.children import cpus, load_children
from site_builder.export.files import ExportFiles
from site_builder.export.folders import load_groups
from site_builder.export.model import Export
from site_builder.export.parse_cache import FolderCache, load_shard, save_shards
from site_builder.export.problems import ExportInvalid, Problem
from site_builder.export.stored import StoredIndex
from site_builder.export.survey import Survey
from site_builder.export.top_level import link_out, load_config, load_register

__all__ = ["ExportInvalid", "LoadResult", "Problem", "load_export"]

DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class LoadResult:
    export: Export
    skipped: list[Problem]  # problems of children left out with skip_broken_children


def load_export(
    root: Path,
    *,
    max_file_bytes: int | None = None,
    skip_broken_children: bool = False,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    survey: Survey | None = None,
) -> LoadResult:
    """Load and validate the export at `root`.

    `cache_dir` (the build's state dir) keeps parsed front matter between runs, so an unchanged
    file costs one stat; `jobs` worker processes parse the children's files in parallel.
    `survey` (taken just before) saves walking each child's folder again for its signature.
    """
    if not root.is_dir():
        raise ExportInvalid(
            [
                Problem(
                    str(root),
                    "",
                    "the export folder does not exist",
                    "give the path of the folder that holds export.toml",
                )
            ]
        )
    files = ExportFiles(root=root.resolve(), max_bytes=max_file_bytes or DEFAULT_MAX_FILE_BYTES)
    config = load_config(files)
    if isinstance(config, list):
        raise ExportInvalid(config)
    if max_file_bytes is None:
        files = ExportFiles(root=files.root, max_bytes=config.max_file_mb * 1024 * 1024)
    register = load_register(files)
    if isinstance(register, list):
        raise ExportInvalid(register)
    problems = check_register(register) + check_config(config, register)
    escaping = [link for name in ("children", "groups") if (link := link_out(files, name))]
    if escaping:  # never read documents through a link that leaves the export
        raise ExportInvalid(problems + escaping)
    stored: dict[str, FolderCache] = {}  # each folder's shard as loaded
    fresh: dict[str, FolderCache] = {}  # ... and as it is to be saved

    def shard(folder_rel: str) -> FolderCache:
        cache = load_shard(cache_dir, folder_rel)
        stored[folder_rel] = FolderCache(old=cache.old, sig=cache.sig)
        return cache

    known = StoredIndex(cache_dir=cache_dir, files=files, survey=survey)
    children, child_problems = load_children(
        files, config, register, jobs=jobs or cpus(), shard=shard, fresh=fresh, known=known
    )
    plans, plan_problems = load_groups(files, register, shard=shard, fresh=fresh)
    save_shards(cache_dir, fresh, previous=stored, kept=known.kept)  # folders that still exist
    problems += plan_problems
    skipped: list[Problem] = []
    for person_id, found in child_problems.items():
        if skip_broken_children and found:
            skipped += found
            children.pop(person_id, None)
        else:
            problems += found
    if problems:
        raise ExportInvalid(problems)
    export = Export(
        root=files.root, config=config, register=register, children=children, group_plans=plans
    )
    return LoadResult(export=export, skipped=skipped)
