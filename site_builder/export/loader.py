"""load_export: read the whole export, gather every problem, return validated models.

Nothing downstream runs on an invalid export: either every file is valid (optionally leaving out
children whose own files are broken, reported in `skipped`) or ExportInvalid lists all problems.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from site_builder.export.cached import cached_child
from site_builder.export.checks import check_config, check_register
from site_builder.export.config import ExportConfig
from site_builder.export.documents import (
    FM,
    Assessment,
    DevelopmentTalk,
    Document,
    Iup,
    LearningLogPost,
    UnitPlan,
)
from site_builder.export.files import ExportFiles, key_lines, split_front_matter
from site_builder.export.fingerprint import TreeStat, child_signature
from site_builder.export.model import ChildDocs, ChildDocuments, Export
from site_builder.export.parse_cache import (
    RACY_NS,
    FolderCache,
    load_shard,
    save_shards,
    write_shard,
)
from site_builder.export.problems import ExportInvalid, Problem, problems_from_validation
from site_builder.export.register import Person, Register
from site_builder.export.stored import StoredChild, StoredIndex
from site_builder.export.survey import Survey
from site_builder.export.top_level import link_out, load_config, load_register
from site_builder.export.walk import RealDirs, check_attachments, folder_names, md_names

LevelCodes = dict[str, set[str]]
T = TypeVar("T")
R = TypeVar("R")
PARALLEL_FROM = 200  # children; below this, starting processes costs more than it saves


def _cpus() -> int:
    return os.cpu_count() or 1


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
    children, child_problems = _load_children(
        files, config, register, jobs=jobs or _cpus(), shard=shard, fresh=fresh, known=known
    )
    plans, plan_problems = _load_groups(files, register, shard=shard, fresh=fresh)
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


def _parse_doc(
    files: ExportFiles,
    path: str,
    model: type[FM],
    cache: FolderCache,
    *,
    rel: str,
) -> Document[FM] | list[Problem]:
    """`path` is absolute; `rel` the same inside the export. Strings throughout: no Path."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return [Problem(rel, "", f"cannot read the file: {exc.strerror}", "check that it exists")]
    hit = cache.lookup(rel, st) if stat.S_ISREG(st.st_mode) else None
    if hit is not None:
        try:  # the cached front matter was valid when stored; the model may have changed since
            stored = cache.front(hit)
            front = model.model_validate_json(stored)
            return Document(
                front=front,
                front_json=stored,
                model=model,
                source=rel,
                body_line=hit[5],
                sha256=hit[6],
                root=files.root,
            )
        except ValidationError:
            cache.new.pop(rel, None)
    raw = files.read_bytes(path)
    if isinstance(raw, Problem):
        return [raw]
    text = files.decode(path, raw)
    if isinstance(text, Problem):
        return [text]
    split = split_front_matter(text, rel=rel)
    if isinstance(split, Problem):
        return [split]
    data, _, body_line = split
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        head = "\n".join(text.split("\n")[1 : body_line - 2])
        lines = key_lines(head, offset=1)
        return problems_from_validation(exc, file=rel, prefix="front matter: ", lines=lines)
    sha = hashlib.sha256(raw).hexdigest()
    dumped = parsed.model_dump_json()
    doc = Document(
        front=parsed,
        front_json=dumped,
        model=model,
        source=rel,
        body_line=body_line,
        sha256=sha,
        root=files.root,
    )
    cache.store(rel, st, dumped, body_line, sha, list(doc.attachment_files))
    # The body is read again when rendered (lazily): a parsed document travels from a loader
    # worker to a build worker without its text, and a render-cache hit never needs it.
    return doc


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
        post = _parse_doc(files, path, LearningLogPost, cache, rel=rel)
        if isinstance(post, list):
            problems += post
            continue
        if post.front.attachments:
            problems += check_attachments(files, post, post.front.attachments, dirs=dirs)
        posts.append(post)
    for name in md_names(os.path.join(base, "omdomen")):
        path, rel = f"{base}/omdomen/{name}", f"{rel_base}/omdomen/{name}"
        doc = _parse_doc(files, path, Assessment, cache, rel=rel)
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
        parsed_iup = _parse_doc(files, f"{base}/iup.md", Iup, cache, rel=f"{rel_base}/iup.md")
        problems += parsed_iup if isinstance(parsed_iup, list) else []
        iup = None if isinstance(parsed_iup, list) else parsed_iup
    talk_name = "utvecklingssamtal.md"
    if talk_name in names and os.path.exists(f"{base}/{talk_name}"):
        parsed_talk = _parse_doc(
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


def _load_children(
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


def _load_groups(
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
            plan = _parse_doc(files, path, UnitPlan, cache, rel=rel)
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
