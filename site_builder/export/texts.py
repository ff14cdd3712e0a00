"""The municipality's own texts in the app's languages (export.toml; docs/export-format.md).

Every text export.toml shows to families (a service link's label, a scale's words, telephone
hours, IUP headings, talk questions, the privacy notice's texts…) is written one way: a plain
string is the Swedish text, and a table gives it in more languages, Swedish required:

    label = "Anmäl frånvaro"
    label = { sv = "Anmäl frånvaro", en = "Report an absence", ar = "…", fi = "…" }

In: that TOML value. Out: a frozen `Texts` (`.sv` and `.get(code)`; `.as_dict()` for the app's
JSON: {"sv": …, "<code>": …} with only the languages given). A wrong value is a pydantic error
whose message names the language and whose `fix` (problems.py) says what to write.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

# The app's languages (the same codes as its interface catalogues): Swedish first.
Language = Literal["sv", "en", "ar", "fa", "so", "ti", "fi"]
LANGUAGES: tuple[str, ...] = get_args(Language)
DOCS = "docs/export-format.md#texts-in-several-languages"


def _error(kind: str, message: str, fix: str) -> PydanticCustomError:
    # `fix` travels in the error's context; problems_from_validation shows it as the fix.
    return PydanticCustomError(kind, message, {"fix": fix})


class Texts(BaseModel):
    """One text in Swedish (`sv`, required) and optionally in the app's other languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sv: str
    en: str | None = None
    ar: str | None = None
    fa: str | None = None
    so: str | None = None
    ti: str | None = None
    fi: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_toml(cls, value: Any) -> Any:
        """A string is Swedish; a table is checked language by language with a clear message."""
        if isinstance(value, str):
            value = {"sv": value}
        if not isinstance(value, dict):
            raise _error(
                "fp_texts",
                "not a text",
                'write "…" (Swedish) or { sv = "…", en = "…" } with the languages you have',
            )
        for code, text in value.items():
            if code not in LANGUAGES:
                raise _error(
                    "fp_language",
                    f"unknown language code {code!r}",
                    f"use one of {', '.join(LANGUAGES)} ({DOCS})",
                )
            if not isinstance(text, str) or not text.strip():
                raise _error(
                    "fp_text_empty",
                    f"the {code} text is empty",
                    f'write the text in quotes, or leave out `{code} = ""` so the Swedish text '
                    "is shown",
                )
        if "sv" not in value:
            given = ", ".join(sorted(value))
            raise _error(
                "fp_no_swedish",
                f"a translation ({given}) without the Swedish text",
                'add sv = "…": the Swedish text is what readers of any other language fall back '
                f"to ({DOCS})",
            )
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # `site-builder schema`: a plain string (Swedish) is as valid as the table.
        table = handler.resolve_ref_schema(handler(core_schema))
        table["required"] = ["sv"]
        table["minProperties"] = 1
        for prop in table.get("properties", {}).values():
            prop.pop("anyOf", None)
            prop.pop("default", None)
            prop.update({"type": "string", "minLength": 1})
        swedish = {"type": "string", "minLength": 1, "description": "The Swedish text."}
        return {
            "anyOf": [swedish, table],
            "description": 'A text: "…" (Swedish) or { sv = "…", en = "…", ar = "…", … }.',
        }

    def get(self, code: str) -> str | None:
        """The text in `code`, or None when the municipality gave none."""
        found: str | None = getattr(self, code, None) if code in LANGUAGES else None
        return found

    def as_dict(self) -> dict[str, str]:
        """{"sv": …, "<code>": …}: the languages given, in the app's order."""
        out = {code: self.get(code) for code in LANGUAGES}
        return {code: text for code, text in out.items() if text}


def texts(value: str | Texts) -> Texts:
    """A Swedish string as Texts; Texts as they are."""
    return Texts(sv=value) if isinstance(value, str) else value


def with_legacy(data: Any, *, field: str, legacy: str, code: str = "en") -> Any:
    """export.toml's older `<field>_en` twin (still valid) moved into `<field>`'s table.

    Giving both `label_en` and `label = { en = … }` is refused (which one would win is unclear);
    `label_en` without `label` becomes a translation without its Swedish text (refused by
    Texts). `data` is the raw table of a model's `mode="before"` validator."""
    if not isinstance(data, dict) or data.get(legacy) is None:
        return data
    data = dict(data)
    extra = data.pop(legacy)
    current = data.get(field)
    if not isinstance(current, str | dict | None):
        return data  # not a text at all: Texts names the problem
    table = {"sv": current} if isinstance(current, str) else dict(current or {})
    if code in table:
        raise _error(
            "fp_text_twice",
            f"{field} is given in {code} twice: in `{legacy}` and in `{field}`",
            f"keep `{field} = {{ sv = …, {code} = … }}` and remove `{legacy}` ({DOCS})",
        )
    table[code] = extra
    data[field] = table
    return data
