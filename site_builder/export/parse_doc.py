"""One document file → a validated `Document`, or the problems that name its file and field.

In: the file's path, its front-matter model and the folder's parse cache. Out: the `Document`
(its body is read again only when rendered) or a list of `Problem`s. An unchanged file costs one
stat: its front matter comes from the cache, validated again against the current model.
"""

from __future__ import annotations

import hashlib
import os
import stat

from pydantic import ValidationError

from site_builder.export.documents import FM, Document
from site_builder.export.files import ExportFiles, key_lines, split_front_matter
from site_builder.export.parse_cache import FolderCache
from site_builder.export.problems import Problem, problems_from_validation


def parse_doc(
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
