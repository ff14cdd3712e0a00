"""The app's translation catalogues: checked, merged along the theme chain, published.

In: every theme layer's `shell/locales/<code>.json` (flat key → message; docs/languages.md).
Swedish (`sv.json` of the default theme) is the reference: every catalogue has each of its
messages, with the same `{placeholders}`, and each plural message in every CLDR plural category
its language uses (Babel's plural data), as `key_<category>` beside the base key ("other").
A more specific layer (the export's own theme, `--theme`) corrects or adds messages key by key;
a catalogue that only a specific layer has adds a language, and must then be complete.
Out: the merged catalogues as published bytes, and the language list the app offers
([{code, name, dir}], `languageName` being each language's name in its own script).
Problems are CatalogueError (a ThemeError) naming the file, the key and the fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import babel

from site_builder.pipeline.shell.theme import Theme, ThemeError

REFERENCE = "sv"
LOCALES = "locales"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
CATEGORIES = ("zero", "one", "two", "few", "many")  # "other" is the base key
CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


class CatalogueError(ThemeError):
    """A catalogue that cannot be published; the message names file, key and fix."""


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str
    dir: str  # "ltr" or "rtl"


def read_catalogue(path: Path) -> dict[str, str]:
    """One catalogue file: a JSON object of string messages, else CatalogueError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            'a catalogue is one object of "key": "message" pairs'
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    if not isinstance(data, dict):
        raise CatalogueError(f'{path}: must be one JSON object of "key": "message" pairs')
    for key, value in data.items():
        if not isinstance(value, str):
            raise CatalogueError(f'{path}: "{key}" must be a text in quotes, not {value!r}')
    return data


def plural_categories(code: str, *, path: Path) -> set[str]:
    """The CLDR plural categories of `code` other than "other" (Babel)."""
    try:
        locale = babel.Locale.parse(code.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        raise CatalogueError(
            f"{path}: {code!r} is not a language code Babel knows; name the file after the "
            "language's ISO 639 code (e.g. ar.json, so.json)"
        ) from None
    return set(locale.plural_form.tags) & set(CATEGORIES)


def plural_bases(reference: dict[str, str]) -> set[str]:
    """Messages that have plural forms in the reference (a base key and some `key_<cat>`)."""
    return {
        key.rsplit("_", 1)[0]
        for key in reference
        if "_" in key and key.rsplit("_", 1)[1] in CATEGORIES and key.rsplit("_", 1)[0] in reference
    }


def _base(key: str, plurals: set[str]) -> tuple[str, str | None]:
    """(base key, plural category or None) of a catalogue key."""
    head, _, tail = key.rpartition("_")
    return (head, tail) if head in plurals and tail in CATEGORIES else (key, None)


def _placeholders(message: str) -> set[str]:
    return set(PLACEHOLDER.findall(message))


def check_catalogue(
    messages: dict[str, str],
    *,
    code: str,
    reference: dict[str, str],
    path: Path,
    complete: bool = True,
) -> list[str]:
    """Problems of one catalogue against the reference, each naming file, key and fix.
    `complete=False` (a correction layer): only what it has is checked."""
    plurals = plural_bases(reference)
    needed = plural_categories(code, path=path)
    problems: list[str] = []
    for key, message in messages.items():
        base, category = _base(key, plurals)
        if base not in reference:
            problems.append(
                f'{path}: unknown key "{key}"; the app has no such message (check the spelling '
                f"against {REFERENCE}.json) — remove it"
            )
            continue
        if category is not None and category not in needed:
            problems.append(
                f'{path}: "{key}": {code} has no plural category "{category}" (it uses '
                f"{', '.join(sorted(needed | {'other'}))}); remove it"
            )
            continue
        want, have = _placeholders(reference[base]), _placeholders(message)
        # A plural form may leave out {n} ("1 new entry"); nothing else may differ.
        allowed = want - {"n"} if category is not None else want
        for name in sorted(want - have - (want - allowed)):
            problems.append(
                f'{path}: "{key}" lacks the placeholder {{{name}}} that {REFERENCE}.json has '
                f'("{reference[base]}"); put {{{name}}} where the value belongs'
            )
        for name in sorted(have - want):
            problems.append(
                f'{path}: "{key}" has the placeholder {{{name}}}, which the app never fills '
                f"(it fills {', '.join('{' + n + '}' for n in sorted(want)) or 'none'}); "
                "remove it or correct its name"
            )
    if complete:
        for key in reference:
            base, category = _base(key, plurals)
            if category is None and key not in messages:
                problems.append(
                    f'{path}: the message "{key}" is missing; add it, translated from '
                    f'{REFERENCE}.json: "{reference[key]}"'
                )
        for base in sorted(plurals):
            for category in sorted(needed):
                if f"{base}_{category}" not in messages:
                    problems.append(
                        f'{path}: the plural form "{base}_{category}" is missing ({code} '
                        f'needs the category "{category}"); add it, e.g. from {REFERENCE}.json: '
                        f'"{reference.get(f"{base}_{category}", reference[base])}"'
                    )
    return problems


def _layers(theme: Theme) -> dict[str, list[Path]]:
    """code → its catalogue files, least specific layer first."""
    found: dict[str, list[Path]] = {}
    for layer in reversed(theme.layers):
        folder = layer / "shell" / LOCALES
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                found.setdefault(path.stem, []).append(path)
    return found


def _direction(code: str) -> str:
    order = babel.Locale.parse(code.replace("-", "_")).character_order
    return "rtl" if order == "right-to-left" else "ltr"


def build_catalogues(theme: Theme) -> tuple[dict[str, dict[str, str]], list[Language]]:
    """Every language's merged, checked catalogue and the list of languages the app offers
    (Swedish first, then in file-name order). CatalogueError lists every problem found."""
    files = _layers(theme)
    if not files:
        return {}, []  # a shell without catalogues (a bare test theme): nothing to check
    if REFERENCE not in files:
        raise CatalogueError(
            f"{theme.layers[-1] / 'shell' / LOCALES / (REFERENCE + '.json')}: the reference "
            "catalogue is missing; every other catalogue is checked against it"
        )
    problems: list[str] = []
    merged: dict[str, dict[str, str]] = {}
    reference = read_catalogue(files[REFERENCE][0])
    for code in [REFERENCE, *sorted(c for c in files if c != REFERENCE)]:
        paths = files[code]
        if not CODE.match(code):
            problems.append(f"{paths[0]}: {code!r} is not a language code; rename it, e.g. fi.json")
            continue
        messages: dict[str, str] = {}
        for i, path in enumerate(paths):
            layer = reference if (code == REFERENCE and i == 0) else read_catalogue(path)
            # The first file of a language must be complete; later layers only correct.
            problems += check_catalogue(
                layer, code=code, reference=reference, path=path, complete=(i == 0)
            )
            messages.update(layer)
        merged[code] = messages
    if problems:
        raise CatalogueError("\n".join(problems))
    languages = [
        Language(code=code, name=messages.get("languageName", code), dir=_direction(code))
        for code, messages in merged.items()
    ]
    return merged, languages
