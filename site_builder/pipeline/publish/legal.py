"""config.json's `legal` part: the privacy notice's and accessibility statement's facts.

In: the validated ExportConfig. Out: plain JSON (texts as {"sv": …, "<code>"?: …} in the
languages given, dates as YYYY-MM-DD) that the app's legal views
(themes/default/shell/app/views/legal.js) render with textContent — never as HTML. Everything is
about the municipality: a board's name, public mailboxes, decisions and dates; nothing about a
child or a family.
"""

from __future__ import annotations

from typing import Any

from site_builder.export.config import ExportConfig
from site_builder.export.legal import Accessibility, Privacy, TextField, text


def _text(value: TextField | None) -> dict[str, str] | None:
    if value is None:
        return None
    return text(value).as_dict()


def _privacy(p: Privacy, *, config: ExportConfig) -> dict[str, Any]:
    return {
        "controller": _text(p.controller),
        "controller_org_number": p.controller_org_number,
        "controller_email": p.controller_email,
        "controller_phone": p.controller_phone,
        "controller_address": p.controller_address,
        "purpose": _text(p.purpose),
        "legal_basis": _text(p.legal_basis),
        "dpo_email": p.dpo_email,
        "dpo_phone": p.dpo_phone,
        "retention_policy": _text(p.retention_policy),
        # This export's term and its gallring date; earlier terms kept their own when published.
        "term": config.term,
        "retention_until": config.retention_until.isoformat(),
        "log_retention_days": p.log_retention_days,
        "imy_url": str(p.imy_url),
        "reviewed": p.reviewed.isoformat(),
    }


def _accessibility(a: Accessibility) -> dict[str, Any]:
    return {
        "compliance": a.compliance,
        "contact_email": a.contact_email,
        "contact_phone": a.contact_phone,
        "feedback_url": str(a.feedback_url) if a.feedback_url else None,
        "response_days": a.response_days,
        "evaluation": a.evaluation,
        "evaluation_note": _text(a.evaluation_note),
        "assessed": a.assessed.isoformat(),
        "known_issues": [
            {
                "description": _text(issue.description),
                "wcag": issue.wcag,
                "fix_by": issue.fix_by.isoformat() if issue.fix_by else None,
            }
            for issue in a.known_issues
        ],
        "disproportionate_burden": [_text(t) for t in a.disproportionate_burden],
        "not_covered": [_text(t) for t in a.not_covered],
        "digg_url": str(a.digg_url),
        "reviewed": a.reviewed.isoformat(),
    }


def legal_json(config: ExportConfig) -> dict[str, Any]:
    """The `legal` object of config.json."""
    return {
        "privacy": _privacy(config.privacy, config=config),
        "accessibility": _accessibility(config.accessibility),
    }
