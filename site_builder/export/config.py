"""export.toml: the municipality, its school units and how the export may be read."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from site_builder.export.legal import Accessibility, Privacy
from site_builder.export.texts import Language, Texts, with_legacy

RelationType = Literal["Vårdnadshavare", "Annan ansvarig", "God man", "Utsedd behörig"]


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
    label: Texts = Field(description='"…" (Swedish) or { sv = "…", en = "…", ar = "…" }.')
    url: HttpUrl

    @model_validator(mode="before")
    @classmethod
    def _older_english(cls, data: Any) -> Any:
        # `label_en` (before the app had more languages) still works; docs prefer label.en.
        return with_legacy(data, field="label", legacy="label_en")


class ScaleLevel(_Strict):
    code: str = Field(min_length=1, description="What teachers write, e.g. 'F', 'E', 'A', '3'.")
    label: Texts = Field(description="Words shown to families, in Swedish and other languages.")

    @model_validator(mode="before")
    @classmethod
    def _older_english(cls, data: Any) -> Any:
        return with_legacy(data, field="label", legacy="en")


class AssessmentScale(_Strict):
    """A school's own scale for written assessments, ordered from lowest to highest level."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Texts
    levels: list[ScaleLevel] = Field(min_length=2)

    @model_validator(mode="before")
    @classmethod
    def _older_english(cls, data: Any) -> Any:
        return with_legacy(data, field="name", legacy="name_en")


IUP_HEADINGS = (
    "goals_heading",
    "plan_heading",
    "agreements_heading",
    "school_heading",
    "student_heading",
    "home_heading",
)


class IupTemplate(_Strict):
    """The IUP page's headings; each a Swedish text or a table of languages (texts.py). A
    heading left at its Swedish default is shown in the app's own translation of it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    goals_heading: Texts = Texts(sv="Mål")
    plan_heading: Texts = Texts(sv="Framåtsyftande planering")
    agreements_heading: Texts = Texts(sv="Överenskommelser")
    school_heading: Texts = Texts(sv="Skolan")
    student_heading: Texts = Texts(sv="Eleven")
    home_heading: Texts = Texts(sv="Hemmet")

    @model_validator(mode="before")
    @classmethod
    def _older_english(cls, data: Any) -> Any:
        # The older `en = { goals_heading = "…" }` table: each heading's English text.
        if not isinstance(data, dict) or not isinstance(data.get("en"), dict):
            return data
        data = dict(data)
        english = data.pop("en")
        for name, value in english.items():
            if name not in IUP_HEADINGS:
                data[f"en.{name}"] = value  # reported as an unknown field, named
                continue
            data[f"{name}_en"] = value
            default = cls.model_fields[name].default
            data.setdefault(name, default.sv)
            data = with_legacy(data, field=name, legacy=f"{name}_en")
        return data


class TalkTemplate(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    student_questions: list[Texts] = Field(default_factory=list)
    guardian_questions: list[Texts] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _older_english(cls, data: Any) -> Any:
        # The older `student_questions_en = [...]`: the English of each question, same order.
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for name in ("student_questions", "guardian_questions"):
            english = data.pop(f"{name}_en", None)
            if english is None:
                continue
            questions = data.get(name) or []
            if not isinstance(english, list) or len(english) != len(questions):
                raise ValueError(
                    f"{name}_en must have one English text per question in {name} "
                    f"({len(questions)}), in the same order; better: write each question as "
                    '{ sv = "…", en = "…" } (docs/export-format.md#texts-in-several-languages)'
                )
            data[name] = [
                with_legacy({"q": q, "q_en": en}, field="q", legacy="q_en")["q"]
                for q, en in zip(questions, english, strict=True)
            ]
        return data


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
    lang: Language = Field(
        default="sv", description="The language of this entry: sv, en, ar, fa, so, ti or fi."
    )
    audience: Literal["all", "guardian", "student"] = Field(
        default="all", description="Who the entry speaks to; the help page groups by it."
    )


class Contact(_Strict):
    """Who families contact about the app and the register (public: shown before sign-in)."""

    name: Texts = Field(description="e.g. 'Barn- och utbildningsförvaltningen'.")
    phone: str | None = Field(default=None, min_length=1)
    email: str | None = Field(default=None, min_length=3)
    url: HttpUrl | None = None
    hours: Texts | None = Field(default=None, description="Telephone hours.")

    @model_validator(mode="before")
    @classmethod
    def _older_english(cls, data: Any) -> Any:
        return with_legacy(data, field="hours", legacy="hours_en")


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
