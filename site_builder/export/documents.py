"""Front matter of the documentation files: Markdown with YAML front matter.

    children/<person id>/larlogg/*.md          learning-log posts (pedagogisk dokumentation)
    children/<person id>/iup.md                individual development plan
    children/<person id>/omdomen/*.md          written assessments, one file per subject
    children/<person id>/utvecklingssamtal.md  the coming development talk
    groups/<group id>/planeringar/*.md         unit plans shared by a group
Attachments (images, PDF) lie beside the Markdown that names them.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class _FrontMatter(BaseModel):
    # `level: 3` means the level "3": teachers should not have to quote numbers.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


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
    agreements: list[str] = Field(
        default_factory=list,
        description="What was agreed at this talk, added after it; shown first once it is held.",
    )


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


class DocumentChanged(RuntimeError):
    """A file changed between loading the export and reading its body: build again."""


class JsonText(Protocol):
    """Front matter JSON fetched when first needed (parse_cache.FrontText)."""

    def get(self) -> str: ...


class Document(Generic[FM]):
    """One parsed Markdown file: validated front matter, the Markdown body, where it came from.

    The body may be read lazily (`root` given, `body` None): a rebuild whose render cache already
    holds a document's fragment never reads its body at all. The front matter may be validated
    lazily too (`front_json` and `model` instead of `front`): a document of an unchanged folder,
    made from the parse cache, is validated only if a later stage reads `front`.
    """

    __slots__ = (
        "_body",
        "_front",
        "_front_json",
        "_model",
        "_root",
        "_source",
        "attachment_files",
        "body_line",
        "rel",
        "sha256",
    )

    def __init__(
        self,
        *,
        source: Path | str,
        body_line: int,
        sha256: str,
        front: FM | None = None,
        front_json: str | JsonText | None = None,
        model: type[FM] | None = None,
        attachment_files: tuple[str, ...] | None = None,
        body: str | None = None,
        root: Path | None = None,
    ) -> None:
        if body is None and root is None:
            raise ValueError("a Document needs its body or the export root to read it from")
        if front is None and (front_json is None or model is None or attachment_files is None):
            raise ValueError("a Document needs its front matter, or its JSON, model and files")
        self._front = front
        self._front_json = front_json
        self._model = model
        if attachment_files is None:
            refs: list[AttachmentRef] = getattr(front, "attachments", [])
            attachment_files = tuple(ref.file for ref in refs)
        self.attachment_files = attachment_files  # each attachment's `file`, in order
        # Relative to the export root; `rel` is its POSIX text (no Path made unless asked for).
        self._source = source if isinstance(source, Path) else None
        self.rel = source.as_posix() if isinstance(source, Path) else source
        self.body_line = body_line  # 1-based line where the body starts, for error messages
        self.sha256 = sha256  # of the raw file bytes: the render cache key
        self._body = body
        self._root = root

    @property
    def front(self) -> FM:
        if self._front is None:
            assert self._model is not None and self._front_json is not None
            text = self._front_json
            self._front = self._model.model_validate_json(
                text if isinstance(text, str) else text.get()
            )
            self._front_json = None
        return self._front

    def drop_front(self) -> None:
        """Keep only the front matter's JSON text (validated again when read): a parsed export
        held as text costs a fraction of the memory of 300,000 validated models."""
        if self._front_json is not None and self._model is not None:
            self._front = None

    @property
    def source(self) -> Path:
        if self._source is None:
            self._source = Path(self.rel)
        return self._source

    @property
    def body(self) -> str:
        if self._body is None:
            assert self._root is not None
            raw = (self._root / self.source).read_bytes()
            if hashlib.sha256(raw).hexdigest() != self.sha256:
                raise DocumentChanged(f"{self.source} changed during the build; build again")
            text = raw.decode("utf-8").removeprefix("\ufeff")
            self._body = "\n".join(text.split("\n")[self.body_line - 1 :])
        return self._body

    def __repr__(self) -> str:
        return f"Document({self.rel!r}, sha256={self.sha256[:12]!r})"
