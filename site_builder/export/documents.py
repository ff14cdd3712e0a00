"""Front matter of the documentation files: Markdown with YAML front matter.

    children/<person id>/larlogg/*.md          learning-log posts (pedagogisk dokumentation)
    children/<person id>/iup.md                individual development plan
    children/<person id>/omdomen/*.md          written assessments, one file per subject
    children/<person id>/utvecklingssamtal.md  the coming development talk
    groups/<group id>/planeringar/*.md         unit plans shared by a group
Attachments (images, PDF) lie beside the Markdown that names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttachmentRef(_FrontMatter):
    file: str = Field(min_length=1, description="Path relative to the Markdown file.")
    alt: str = Field(default="", description="Text alternative for an image.")
    caption: str | None = None


class LearningLogPost(_FrontMatter):
    date: date
    author: str = Field(min_length=1)
    title: str = Field(min_length=1)
    subjects: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list, description="Curriculum goals (Lgr22, Lpfö).")
    attachments: list[AttachmentRef] = Field(default_factory=list)


class Agreements(_FrontMatter):
    school: list[str] = Field(default_factory=list)
    student: list[str] = Field(default_factory=list)
    home: list[str] = Field(default_factory=list)


class Iup(_FrontMatter):
    """Body: the forward plan (framåtsyftande planering) in Markdown."""

    updated: date
    author: str = Field(min_length=1)
    goals: list[str] = Field(min_length=1)
    agreements: Agreements = Field(default_factory=Agreements)


class Assessment(_FrontMatter):
    """Body: the teacher's comment in Markdown."""

    subject: str = Field(min_length=1)
    date: date
    author: str = Field(min_length=1)
    level: str = Field(min_length=1, description="A level code from the school's scale.")
    scale: str | None = Field(default=None, description="Scale id; default: the school unit's.")


class DevelopmentTalk(_FrontMatter):
    """Body: what the talk is about, in Markdown."""

    date: date
    time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    place: str = Field(min_length=1)
    duration_minutes: int = Field(default=30, ge=5, le=240)
    student_questions: list[str] | None = Field(
        default=None, description="Default: the school unit's talk template."
    )
    guardian_questions: list[str] | None = None
    previous_agreements: list[str] = Field(default_factory=list)


class MatrixRow(_FrontMatter):
    criterion: str = Field(min_length=1)
    levels: list[str] = Field(min_length=1, description="One text per column of the matrix.")


class UnitPlan(_FrontMatter):
    """Body: the plan's description in Markdown."""

    title: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    start: date
    end: date
    goals: list[str] = Field(default_factory=list)
    matrix_levels: list[str] = Field(default_factory=list, description="Column headings.")
    matrix: list[MatrixRow] = Field(default_factory=list)
    attachments: list[AttachmentRef] = Field(default_factory=list)


FM = TypeVar("FM", bound=_FrontMatter)


@dataclass(frozen=True, slots=True)
class Document(Generic[FM]):
    """One parsed Markdown file: validated front matter, the Markdown body, where it came from."""

    front: FM
    body: str
    source: Path  # relative to the export root
    body_line: int  # 1-based line where the body starts, for error messages
    sha256: str  # of the raw file bytes: the render cache key
