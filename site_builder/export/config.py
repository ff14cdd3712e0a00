"""export.toml: the municipality, its school units and how the export may be read."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from site_builder.export.legal import Accessibility, Privacy

RelationType = Literal["Vårdnadshavare", "Annan ansvarig", "God man", "Utsedd behörig"]
Language = Literal["sv", "en"]


def _default_reader_relations() -> list[RelationType]:
    return ["Vårdnadshavare"]


def _default_languages() -> list[Language]:
    return ["sv", "en"]


class _Strict(BaseModel):
    # Unknown keys in our own files are typos: report them instead of ignoring them.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceLink(_Strict):
    """A municipal e-service the app links to (contact details, absence, placement...)."""

    kind: Literal["contact", "absence", "placement", "other"]
    label: str = Field(min_length=1)
    label_en: str | None = Field(default=None, min_length=1, description="The label in English.")
    url: HttpUrl


class ScaleLevel(_Strict):
    code: str = Field(min_length=1, description="What teachers write, e.g. 'F', 'E', 'A', '3'.")
    label: str = Field(min_length=1, description="Words shown to families.")
    en: str | None = Field(default=None, min_length=1, description="The label in English.")


class AssessmentScale(_Strict):
    """A school's own scale for written assessments, ordered from lowest to highest level."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    name_en: str | None = Field(default=None, min_length=1, description="The name in English.")
    levels: list[ScaleLevel] = Field(min_length=2)


class IupHeadingsEn(_Strict):
    goals_heading: str | None = None
    plan_heading: str | None = None
    agreements_heading: str | None = None
    school_heading: str | None = None
    student_heading: str | None = None
    home_heading: str | None = None


class IupTemplate(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    goals_heading: str = "Mål"
    plan_heading: str = "Framåtsyftande planering"
    agreements_heading: str = "Överenskommelser"
    school_heading: str = "Skolan"
    student_heading: str = "Eleven"
    home_heading: str = "Hemmet"
    en: IupHeadingsEn | None = Field(
        default=None, description="English headings; a missing one falls back to the app's own."
    )


class TalkTemplate(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    student_questions: list[str] = Field(default_factory=list)
    guardian_questions: list[str] = Field(default_factory=list)
    # The same questions in English, in the same order (shown in the English app).
    student_questions_en: list[str] = Field(default_factory=list)
    guardian_questions_en: list[str] = Field(default_factory=list)


class SchoolUnit(_Strict):
    """A school unit in the export; `code` is the organisation's schoolUnitCode in the register."""

    code: str = Field(pattern=r"^\d{8}$", description="Skolenhetskod (8 digits).")
    name: str = Field(min_length=1)
    scale: str | None = Field(default=None, description="Id of an [[scales]] entry.")
    iup_template: str | None = None
    talk_template: str | None = None


class AccessPolicy(_Strict):
    reader_relation_types: list[RelationType] = Field(
        default_factory=_default_reader_relations,
        description="SS 12000 relation types whose holders read the child's documentation.",
    )
    protected_identity: Literal["exclude", "include"] = Field(
        default="exclude",
        description="Children whose securityMarking is not 'Ingen': left out of the published "
        "site (default), or published to their readers like everyone else.",
    )
    student_reads_from_school_year: int | None = Field(
        default=7, ge=0, le=13, description="Students from this school year read their own."
    )


class FaqEntry(_Strict):
    question: str = Field(min_length=1)
    answer: str = Field(min_length=1, description="Markdown.")
    lang: Language = Field(default="sv", description="The language of this entry.")
    audience: Literal["all", "guardian", "student"] = Field(
        default="all", description="Who the entry speaks to; the help page groups by it."
    )


class Contact(_Strict):
    """Who families contact about the app and the register (public: shown before sign-in)."""

    name: str = Field(min_length=1, description="e.g. 'Barn- och utbildningsförvaltningen'.")
    phone: str | None = Field(default=None, min_length=1)
    email: str | None = Field(default=None, min_length=3)
    url: HttpUrl | None = None
    hours: str | None = Field(default=None, description="Telephone hours, in Swedish.")
    hours_en: str | None = Field(default=None, description="Telephone hours, in English.")


class ExportConfig(_Strict):
    municipality: str = Field(min_length=1)
    term: str = Field(pattern=r"^(HT|VT)\d{4}$", description="Term label, e.g. HT2026.")
    epoch: str = Field(pattern=r"^\d{4}$", description="School year the term belongs to.")
    published: date | None = Field(default=None, description="Defaults to the build date.")
    retention_until: date = Field(description="Gallring: the snapshot is removed after this.")
    languages: list[Language] = Field(default_factory=_default_languages)
    theme: str | None = Field(default=None, description="Theme folder under the export.")
    auto_lock_minutes: int = Field(default=30, ge=1, le=24 * 60)
    lock_grace_minutes: int = Field(
        default=3,
        ge=0,
        le=60,
        description="A page load within this long after the last activity stays unlocked.",
    )
    max_file_mb: int = Field(default=20, ge=1, le=500)
    school_units: list[SchoolUnit] = Field(min_length=1)
    scales: list[AssessmentScale] = Field(default_factory=list)
    iup_templates: list[IupTemplate] = Field(default_factory=list)
    talk_templates: list[TalkTemplate] = Field(default_factory=list)
    service_links: list[ServiceLink] = Field(default_factory=list)
    access: AccessPolicy = Field(default_factory=AccessPolicy)
    faq: list[FaqEntry] = Field(default_factory=list)
    # Required: the privacy notice and accessibility statement the law asks for (legal.py).
    privacy: Privacy = Field(description="The privacy notice (GDPR arts. 13-14).")
    accessibility: Accessibility = Field(description="The accessibility statement (DOS law).")
    contact: Contact | None = Field(
        default=None, description="The municipality's contact for families (no-documentation page)."
    )
