"""The loaded, validated export: what every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass(frozen=True, slots=True)
class Export:
    root: Path
    config: ExportConfig
    register: Register
    children: dict[str, ChildDocs]  # by person id (the folder name under children/)
    group_plans: dict[str, list[Document[UnitPlan]]]  # by group id (folder under groups/)
