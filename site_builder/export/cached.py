"""A child's documents made from its parse-cache shard, when nothing under its folder changed.

Nothing is opened, parsed or validated: each Document keeps its front matter as the JSON text
stored when it was last validated, and is validated again only if a later stage reads it.
"""

from __future__ import annotations

from pathlib import Path

from site_builder.export.documents import (
    FM,
    Assessment,
    DevelopmentTalk,
    Document,
    Iup,
    LearningLogPost,
)
from site_builder.export.files import ExportFiles
from site_builder.export.model import ChildDocs
from site_builder.export.parse_cache import Entry, FolderCache, FrontText


def _doc(model: type[FM], rel: str, entry: Entry, root: Path, cache: FolderCache) -> Document[FM]:
    return Document(
        front_json=FrontText(cache.texts, entry[4]),
        model=model,
        attachment_files=tuple(entry[7]),
        source=rel,
        body_line=entry[5],
        sha256=entry[6],
        root=root,
    )


def cached_child(
    files: ExportFiles, person_id: str, rel_base: str, cache: FolderCache, *, sig: str | None
) -> ChildDocs:
    """The same ChildDocs a full load of the folder gives (posts and assessments by name)."""
    posts: list[Document[LearningLogPost]] = []
    assessments: list[Document[Assessment]] = []
    iup: Document[Iup] | None = None
    talk: Document[DevelopmentTalk] | None = None
    root, start, entries = files.root, len(rel_base) + 1, cache.old
    for rel in sorted(entries):
        entry, sub = entries[rel], rel[start:]
        if sub.startswith("larlogg/"):
            posts.append(_doc(LearningLogPost, rel, entry, root, cache))
        elif sub.startswith("omdomen/"):
            assessments.append(_doc(Assessment, rel, entry, root, cache))
        elif sub == "iup.md":
            iup = _doc(Iup, rel, entry, root, cache)
        elif sub == "utvecklingssamtal.md":
            talk = _doc(DevelopmentTalk, rel, entry, root, cache)
    return ChildDocs(
        person_id=person_id, posts=posts, iup=iup, assessments=assessments, talk=talk, sig=sig
    )
