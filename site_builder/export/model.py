"""The loaded, validated export: what every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from site_builder.export.config import ExportConfig
from site_builder.export.documents import (
    Assessment,
    DevelopmentTalk,
    Document,
    Iup,
    LearningLogPost,
    UnitPlan,
)
from site_builder.export.register import Register


@dataclass(frozen=True, slots=True)
class ChildDocs:
    person_id: str
    posts: list[Document[LearningLogPost]] = field(default_factory=list)
    iup: Document[Iup] | None = None
    assessments: list[Document[Assessment]] = field(default_factory=list)
    talk: Document[DevelopmentTalk] | None = None
    sig: str | None = None  # the folder's signature when read (parse_cache), if trusted


class ChildDocuments(Protocol):
    """A child's documents as later stages read them: ChildDocs, or a StoredChild (stored.py)
    that makes them from the parse cache when first read."""

    @property
    def person_id(self) -> str: ...
    @property
    def sig(self) -> str | None: ...
    @property
    def posts(self) -> list[Document[LearningLogPost]]: ...
    @property
    def iup(self) -> Document[Iup] | None: ...
    @property
    def assessments(self) -> list[Document[Assessment]]: ...
    @property
    def talk(self) -> Document[DevelopmentTalk] | None: ...


@dataclass(frozen=True, slots=True)
class Export:
    root: Path
    config: ExportConfig
    register: Register
    children: dict[str, ChildDocuments]  # by person id (the folder name under children/)
    group_plans: dict[str, list[Document[UnitPlan]]]  # by group id (folder under groups/)
