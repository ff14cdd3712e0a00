"""The documents of one folder: a child's (`load_child_folder`) or every group's plans.

In: the export's files, the folder and its parse-cache shard. Out: the folder's validated
documents and every problem found in them. A child's folder whose signature matches its shard is
made from the shard without reading a file; files changed within RACY_NS of the walk are not
trusted to the cache (their stat may not show a change made in the same tick).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from site_builder.export.cached import cached_child
from site_builder.export.config import ExportConfig
from site_builder.export.documents import (
    Assessment,
    DevelopmentTalk,
    Document,
    Iup,
    LearningLogPost,
    UnitPlan,
)
from site_builder.export.files import ExportFiles
from site_builder.export.fingerprint import TreeStat, child_signature
from site_builder.export.model import ChildDocs
from site_builder.export.parse_cache import RACY_NS, FolderCache
from site_builder.export.parse_doc import parse_doc
from site_builder.export.problems import Problem
from site_builder.export.register import Person, Register
from site_builder.export.walk import RealDirs, check_attachments, md_names

LevelCodes = dict[str, set[str]]


def scale_levels(config: ExportConfig, register: Register) -> Callable[[Person], LevelCodes]:
    """Level codes per scale id, and under "" the scale of the child's own school unit."""
    by_id = {s.id: {level.code for level in s.levels} for s in config.scales}
    orgs = {o.id: o.schoolUnitCode for o in register.organisations}
    units = {u.code: u for u in config.school_units}

    def levels_for(person: Person) -> LevelCodes:
        for enrolment in person.enrolments:
            unit = units.get(orgs.get(enrolment.enroledAt.id) or "")
            if unit and unit.scale in by_id:
                return {**by_id, "": by_id[unit.scale]}
        return by_id

    return levels_for


def load_child_folder(
    files: ExportFiles,
    folder: Path,
    levels: LevelCodes,
    cache: FolderCache,
    surveyed: tuple[int, TreeStat] | None = None,
) -> tuple[ChildDocs, list[Problem]]:
    """`surveyed`: when the survey walked this folder, and what it found."""
    problems: list[Problem] = []
    for sub in (folder, folder / "larlogg", folder / "omdomen"):
        if sub.is_symlink() and not files.inside(sub):
            link = Problem(
                files.rel(sub),
                "",
                "the folder is a link that points outside the export",
                "replace the link with the folder itself",
            )
            return ChildDocs(person_id=folder.name), [link]
    base, rel_base = str(folder), files.rel(folder)
    if cache.enabled:  # entries changed from the walk on (minus the granularity) are not stored
        cache.racy_from = (surveyed[0] if surveyed else time.time_ns()) - RACY_NS
    tree = surveyed[1] if surveyed else None
    signed = child_signature(files, folder, levels, tree=tree) if cache.enabled else None
    if signed is not None and signed[0] == cache.sig and cache.old:
        cache.new = cache.old  # nothing under the folder changed since it loaded cleanly
        return cached_child(files, folder.name, rel_base, cache, sig=cache.sig), []
    cache.sig = None
    docs, problems = _parse_child(files, folder, levels, cache, base=base, rel_base=rel_base)
    if signed is not None and not problems and signed[1] < (cache.racy_from or 0):
        cache.sig = signed[0]
        return replace(docs, sig=cache.sig), problems
    return docs, problems


def _parse_child(
    files: ExportFiles,
    folder: Path,
    levels: LevelCodes,
    cache: FolderCache,
    *,
    base: str,
    rel_base: str,
) -> tuple[ChildDocs, list[Problem]]:
    problems: list[Problem] = []
    posts: list[Document[LearningLogPost]] = []
    assessments: list[Document[Assessment]] = []
    dirs = RealDirs(base)
    for name in md_names(os.path.join(base, "larlogg")):
        path, rel = f"{base}/larlogg/{name}", f"{rel_base}/larlogg/{name}"
        post = parse_doc(files, path, LearningLogPost, cache, rel=rel)
        if isinstance(post, list):
            problems += post
            continue
        if post.front.attachments:
            problems += check_attachments(files, post, post.front.attachments, dirs=dirs)
        posts.append(post)
    for name in md_names(os.path.join(base, "omdomen")):
        path, rel = f"{base}/omdomen/{name}", f"{rel_base}/omdomen/{name}"
        doc = parse_doc(files, path, Assessment, cache, rel=rel)
        if isinstance(doc, list):
            problems += doc
            continue
        scale = doc.front.scale or ""
        if doc.front.scale and scale not in levels:
            problems.append(
                Problem(
                    rel,
                    "front matter: scale",
                    f"no scale {scale!r} in export.toml",
                    "use a [[scales]] id",
                )
            )
        elif scale in levels and doc.front.level not in levels[scale]:
            allowed = ", ".join(sorted(levels[scale]))
            problems.append(
                Problem(
                    rel,
                    "front matter: level",
                    f"{doc.front.level!r} is not a level of the scale",
                    f"use one of: {allowed}",
                )
            )
        assessments.append(doc)
    iup = talk = None
    names = md_names(base)
    if "iup.md" in names and os.path.exists(f"{base}/iup.md"):
        parsed_iup = parse_doc(files, f"{base}/iup.md", Iup, cache, rel=f"{rel_base}/iup.md")
        problems += parsed_iup if isinstance(parsed_iup, list) else []
        iup = None if isinstance(parsed_iup, list) else parsed_iup
    talk_name = "utvecklingssamtal.md"
    if talk_name in names and os.path.exists(f"{base}/{talk_name}"):
        parsed_talk = parse_doc(
            files,
            f"{base}/{talk_name}",
            DevelopmentTalk,
            cache,
            rel=f"{rel_base}/{talk_name}",
        )
        problems += parsed_talk if isinstance(parsed_talk, list) else []
        talk = None if isinstance(parsed_talk, list) else parsed_talk
    for extra in names:
        if extra not in ("iup.md", talk_name):
            problems.append(
                Problem(
                    f"{rel_base}/{extra}",
                    "",
                    "unknown document in a child's folder",
                    "posts go in larlogg/, assessments in omdomen/",
                )
            )
    docs = ChildDocs(
        person_id=folder.name, posts=posts, iup=iup, assessments=assessments, talk=talk
    )
    return docs, problems


def load_groups(
    files: ExportFiles,
    register: Register,
    *,
    shard: Callable[[str], FolderCache],
    fresh: dict[str, FolderCache],
) -> tuple[dict[str, list[Document[UnitPlan]]], list[Problem]]:
    groups = {g.id for g in register.groups}
    plans: dict[str, list[Document[UnitPlan]]] = {}
    problems: list[Problem] = []
    base = files.root / "groups"
    for folder in sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []:
        if folder.name not in groups:
            problems.append(
                Problem(
                    files.rel(folder),
                    "folder name",
                    f"no group with id {folder.name!r} in register.json",
                    "name the folder after the group's id",
                )
            )
            continue
        cache = shard(files.rel(folder))
        cache.racy_from = time.time_ns() - RACY_NS
        dirs = RealDirs(str(folder))
        plans_dir = Path(files.rel(folder), "planeringar")
        for name in md_names(str(folder / "planeringar")):
            rel = f"{plans_dir.as_posix()}/{name}"
            path = str(folder / "planeringar" / name)
            plan = parse_doc(files, path, UnitPlan, cache, rel=rel)
            if isinstance(plan, list):
                problems += plan
                continue
            problems += check_attachments(files, plan, plan.front.attachments, dirs=dirs)
            width = len(plan.front.matrix_levels)
            for j, row in enumerate(plan.front.matrix):
                if width and len(row.levels) != width:
                    problems.append(
                        Problem(
                            plan.source.as_posix(),
                            f"front matter: matrix[{j}]",
                            f"{len(row.levels)} cells but {width} matrix_levels",
                            "give one text per column of matrix_levels",
                        )
                    )
            plans.setdefault(folder.name, []).append(plan)
        fresh[files.rel(folder)] = cache
    return plans, problems
