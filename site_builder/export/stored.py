"""A child whose folder has not changed since its parse-cache shard was stored.

The loader compares the folder's signature (from the survey's walk) with the shard index and,
when they match, keeps only this reference: no shard is read and no Document is made in the main
process. The documents are made from the shard the first time something reads them — usually a
build worker rendering the child because something else about it changed. An unchanged child
that nothing reads costs its signature and nothing more.
"""

from __future__ import annotations

from pathlib import Path

from site_builder.export.cached import cached_child
from site_builder.export.documents import (
    Assessment,
    DevelopmentTalk,
    Document,
    Iup,
    LearningLogPost,
)
from site_builder.export.files import ExportFiles
from site_builder.export.fingerprint import child_signature
from site_builder.export.folders import load_child_folder
from site_builder.export.model import ChildDocs
from site_builder.export.parse_cache import FolderCache, load_index, load_shard
from site_builder.export.problems import ExportInvalid
from site_builder.export.survey import Survey

LevelCodes = dict[str, set[str]]


class StoredChild:
    """Reads like ChildDocs; loads from the shard (or, if it changed meanwhile, the folder)."""

    __slots__ = ("_cache_dir", "_docs", "_files", "_levels", "person_id", "sig")

    def __init__(
        self,
        *,
        person_id: str,
        sig: str,
        files: ExportFiles,
        cache_dir: Path,
        levels: LevelCodes,
    ) -> None:
        self.person_id, self.sig = person_id, sig
        self._files, self._cache_dir, self._levels = files, cache_dir, levels
        self._docs: ChildDocs | None = None

    def __getstate__(self) -> tuple[object, ...]:  # to a worker: the reference, not the docs
        return self.person_id, self.sig, self._files, self._cache_dir, self._levels

    def __setstate__(self, state: tuple[object, ...]) -> None:
        person_id, sig, files, cache_dir, levels = state
        self.__init__(  # type: ignore[misc]
            person_id=person_id, sig=sig, files=files, cache_dir=cache_dir, levels=levels
        )

    def docs(self) -> ChildDocs:
        if self._docs is None:
            self._docs = self._load()
        return self._docs

    def _load(self) -> ChildDocs:
        rel = f"children/{self.person_id}"
        cache = load_shard(self._cache_dir, rel)
        if cache.sig == self.sig and cache.old:
            return cached_child(self._files, self.person_id, rel, cache, sig=self.sig)
        # Another build rewrote the shard since this one was loaded: read the folder itself.
        folder = self._files.root / "children" / self.person_id
        docs, problems = load_child_folder(self._files, folder, self._levels, FolderCache())
        if problems:
            raise ExportInvalid(problems)
        return docs

    @property
    def posts(self) -> list[Document[LearningLogPost]]:
        return self.docs().posts

    @property
    def iup(self) -> Document[Iup] | None:
        return self.docs().iup

    @property
    def assessments(self) -> list[Document[Assessment]]:
        return self.docs().assessments

    @property
    def talk(self) -> Document[DevelopmentTalk] | None:
        return self.docs().talk


class StoredIndex:
    """Which children's folders are as their shards recorded, judged by the survey's walks."""

    def __init__(self, *, cache_dir: Path | None, files: ExportFiles, survey: Survey | None):
        self.cache_dir, self.files, self.survey = cache_dir, files, survey
        self.sigs = load_index(cache_dir) if survey is not None else {}
        self.kept: dict[str, str] = {}  # folder → signature of the children kept as references

    def child(self, folder: Path, levels: LevelCodes) -> StoredChild | None:
        rel = f"children/{folder.name}"
        sig = self.sigs.get(rel)
        tree = self.survey.tree(rel) if self.survey is not None else None
        if sig is None or tree is None or self.cache_dir is None:
            return None
        signed = child_signature(self.files, folder, levels, tree=tree)
        if signed is None or signed[0] != sig:
            return None
        self.kept[rel] = sig
        return StoredChild(
            person_id=folder.name,
            sig=sig,
            files=self.files,
            cache_dir=self.cache_dir,
            levels=levels,
        )
