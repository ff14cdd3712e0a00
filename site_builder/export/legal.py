"""export.toml's [privacy] and [accessibility]: what the law asks the municipality to publish.

The privacy notice (GDPR arts. 13–14) and the accessibility statement (lagen om tillgänglighet
till digital offentlig service, in the shape of DIGG's template) are rendered by the app from
these fields (pipeline/publish/legal.py puts them in config.json). Every field without a default is
required: `validate` refuses an export that lacks one, so nothing is published without them.
Everything here is about the municipality, never about a child or a family.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

from site_builder.export.texts import Texts, texts

# A public function mailbox (dataskyddsombud@…, tillganglighet@…), not a person's address.
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()-]{5,20}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A text in Swedish and optionally the app's other languages (export/texts.py): in export.toml
# either `purpose = "…"` (Swedish) or `purpose = { sv = "…", en = "…", ar = "…" }`. The app shows
# the reader's language, else the Swedish text marked lang="sv" with a note.
Text = Texts
text = texts
TextField = Texts


class Privacy(_Strict):
    """[privacy]: the privacy notice (personuppgiftspolicy) the app shows before sign-in."""

    controller: TextField = Field(
        description="Personuppgiftsansvarig: the board (nämnd), e.g. "
        "'Barn- och utbildningsnämnden, Exempelby kommun'."
    )
    controller_org_number: str | None = Field(
        default=None, pattern=r"^\d{6}-\d{4}$", description="Organisationsnummer, NNNNNN-NNNN."
    )
    controller_email: Email = Field(description="The board's public mailbox.")
    controller_phone: Phone | None = None
    controller_address: str | None = Field(default=None, min_length=1, description="Postal.")
    purpose: TextField = Field(description="Why the documentation is shown to families.")
    legal_basis: TextField = Field(
        description="Rättslig grund, e.g. art. 6.1 e GDPR with the Education Act's provisions."
    )
    dpo_email: Email = Field(description="The data protection officer's (dataskyddsombud) mailbox.")
    dpo_phone: Phone | None = None
    retention_policy: TextField = Field(
        description="Gallring: which decision (dokumenthanteringsplan) sets `retention_until`."
    )
    log_retention_days: int = Field(
        ge=1, le=3650, description="How long the key service's access log (pseudonyms) is kept."
    )
    imy_url: HttpUrl = Field(description="Where to complain to IMY (Integritetsskyddsmyndigheten).")
    reviewed: date = Field(description="When the notice was last reviewed (YYYY-MM-DD).")


class KnownIssue(_Strict):
    """One known accessibility shortcoming (brist) the municipality lists in the statement."""

    description: TextField
    wcag: str | None = Field(
        default=None, pattern=r"^\d\.\d{1,2}\.\d{1,2}$", description="Success criterion, '1.4.10'."
    )
    fix_by: date | None = Field(default=None, description="When it is planned to be fixed.")


class Accessibility(_Strict):
    """[accessibility]: the accessibility statement (tillgänglighetsredogörelse), with what
    DIGG's template asks for: compliance, known shortcomings, how they were found and when,
    a feedback channel and the link to DIGG's report form."""

    compliance: Literal["full", "partial", "none"] = Field(
        description="Förenlig: 'full' (helt), 'partial' (delvis) or 'none' (inte förenlig)."
    )
    contact_email: Email = Field(description="Where to report a barrier or ask for content.")
    contact_phone: Phone | None = None
    feedback_url: HttpUrl | None = Field(default=None, description="A feedback e-service.")
    response_days: int | None = Field(default=None, ge=1, le=90, description="Working days.")
    evaluation: Literal["self", "external"] = Field(
        description="Utvärderingsmetod: 'self' (självskattning) or 'external' (extern granskning)."
    )
    evaluation_note: TextField | None = Field(
        default=None, description="Who reviewed what, and how (tools, assistive technology)."
    )
    assessed: date = Field(description="When compliance was last assessed (YYYY-MM-DD).")
    known_issues: list[KnownIssue] = Field(
        description="Known shortcomings; `known_issues = []` when none are known."
    )
    disproportionate_burden: list[TextField] = Field(
        default_factory=list, description="Oskäligt betungande anpassning (12 §), with reasons."
    )
    not_covered: list[TextField] = Field(
        default_factory=list, description="Content outside the law's scope (9 §)."
    )
    digg_url: HttpUrl = Field(description="DIGG's report form: https://www.digg.se/tdosanmalan.")
    reviewed: date = Field(description="When the statement was last updated (YYYY-MM-DD).")


_TABLES: dict[str, type[BaseModel]] = {"privacy": Privacy, "accessibility": Accessibility}
_NAMED = re.compile(r"\b(privacy|accessibility)\.(\w+)$")


def what_is_missing(location: str) -> str | None:
    """For a missing `privacy.x` / `accessibility.x`, what the law's page needs it for (the
    field's description), so the administrator knows what to ask for; else None."""
    named = _NAMED.search(location)
    if named is None:
        return None
    field = _TABLES[named[1]].model_fields.get(named[2])
    return field.description if field else None


def overdue_reviews(*, privacy: Privacy, accessibility: Accessibility, today: date) -> list[str]:
    """Reminders (not errors) for a notice or statement last reviewed over a year ago: the
    municipality reviews both every year (docs/deploy.md)."""
    reviewed = {
        "privacy.reviewed": privacy.reviewed,
        "accessibility.reviewed": accessibility.reviewed,
    }
    return [
        f"export.toml: {name} is {when.isoformat()}, over a year ago — review the "
        f"{'privacy notice' if name.startswith('privacy') else 'accessibility statement'} "
        "and update the date (docs/deploy.md)"
        for name, when in reviewed.items()
        if (today - when).days > 365
    ]
