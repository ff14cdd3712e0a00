"""Problems found in an export: what a school administrator needs to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True, slots=True)
class Problem:
    file: str  # relative to the export root
    location: str  # "line 12", a JSON path like "persons[3].civicNo.value", or a field name
    message: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        return f"{where}: {self.message}\n    fix: {self.fix}"

    def line(self) -> str:
        """One terminal line: file:location: message — fix: …"""
        return f"{self.file}:{self.location}: {self.message}" + (
            f" — fix: {self.fix}" if self.fix else ""
        )


class ExportInvalid(Exception):
    """The export has problems; every one found is listed, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the export")
        self.problems = problems


def json_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_FIXES = {
    "missing": "add the field",
    "extra_forbidden": "remove it, or check its spelling against docs/export-format.md",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use the format shown in docs/export-format.md",
    "string_too_short": "fill in a value",
    "too_short": "add at least the required number of entries",
    "url_parsing": "write a full https:// address",
}


# Missing tables whose fields a reader cannot guess: say what goes in them and where to read more.
_LEGAL_DOCS = "see docs/export-format.md#privacy-and-accessibility"
TABLE_FIXES = {
    ("privacy",): "add a [privacy] table (controller, controller_email, purpose, legal_basis, "
    f"dpo_email, retention_policy, log_retention_days, imy_url, reviewed): {_LEGAL_DOCS}",
    ("accessibility",): "add an [accessibility] table (compliance, contact_email, evaluation, "
    f"assessed, known_issues, digg_url, reviewed): {_LEGAL_DOCS}",
}


def _missing_fix(loc: tuple[Any, ...]) -> str:
    """`add `x`` for a top-level key; inside a table, name the table it belongs in."""
    if loc in TABLE_FIXES:
        return TABLE_FIXES[loc]
    if len(loc) > 1 and all(isinstance(part, str) for part in loc):
        return f"add `{loc[-1]} = …` under [{'.'.join(loc[:-1])}] (see docs/export-format.md)"
    return f"add `{loc[-1]}`"


def problems_from_validation(
    error: ValidationError, *, file: str, prefix: str = "", lines: dict[str, int] | None = None
) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems; `lines` maps a top-level key to its line."""
    found = []
    for err in error.errors(include_url=False):
        loc: tuple[Any, ...] = tuple(err["loc"])
        path = json_path(loc)
        where = f"{prefix}{path}" if path else prefix.rstrip(".") or "(whole file)"
        if lines and loc and isinstance(loc[0], str) and loc[0] in lines:
            where = f"line {lines[loc[0]]}: {where}"
        fix = _FIXES.get(err["type"], "correct the value (see docs/export-format.md)")
        if err["type"] == "missing":
            fix = _missing_fix(loc) if loc else fix
        # Our own validators (export/texts.py) carry their fix in the error's context.
        fix = str((err.get("ctx") or {}).get("fix", fix))
        found.append(Problem(file=file, location=where, message=err["msg"], fix=fix))
    return found
