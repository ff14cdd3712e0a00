"""A fast path for front matter written one `key: value` per line, as export programs write it.

Register systems and scripts (benchmarks/generate.py too) write every field on one line: quoted
strings, dates, small integers, JSON-style lists and maps. Building those values through PyYAML
costs more than everything else the loader does, so lines of exactly that shape are read here.
Anything else (block lists, comments, plain words, escapes, odd characters) returns None and
PyYAML reads the whole front matter instead, so the result never differs from PyYAML's.
"""

from __future__ import annotations

import json
import re
from typing import Any

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): (.*)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # kept as text, like files._YamlLoader does
_INT = re.compile(r"0|[1-9][0-9]*")
# Keys YAML 1.1 reads as booleans or null rather than as the word.
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})
# Tabs, characters YAML refuses, the BOM, and what YAML reads as a line break inside a quoted
# string (\r, NEL, LS, PS): leave all of those to PyYAML.
_NOT_PLAIN = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_JSON = json.JSONDecoder()
_MAX_FLOW_KEY = 1000  # YAML limits implicit keys in flow mappings to 1024 characters


def parse_flat(lines: list[str]) -> dict[str, Any] | None:
    """The mapping in `lines` when every line is `key: value` of a simple shape, else None."""
    data: dict[str, Any] = {}
    for line in lines:
        line = line.removesuffix("\r")  # CRLF files: \r\n is one line break to YAML too
        match = _KEY_LINE.fullmatch(line)
        if match is None or _NOT_PLAIN.search(line):
            return None
        key, raw = match.group(1), match.group(2).rstrip(" ")
        if key.lower() in _YAML_WORDS:
            return None
        value = _value(raw)
        if value is None:
            return None
        data[key] = value
    return data or None


def _value(raw: str) -> Any:
    if _DATE.fullmatch(raw):
        return raw
    if _INT.fullmatch(raw):
        return int(raw)
    if raw[:1] not in ('"', "[", "{") or "\\" in raw:
        return None
    if raw[0] == '"' and raw.find('"', 1) == len(raw) - 1:  # "text": the most common value
        return raw[1:-1]
    try:
        value = _JSON.decode(raw)
    except ValueError:
        return None
    return value if _only_text(value) else None


def _only_text(value: Any) -> bool:
    """Strings, and lists and maps of them: JSON and YAML agree on those, not on every number."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(_only_text(item) for item in value)
    if isinstance(value, dict):
        return all(len(k) < _MAX_FLOW_KEY and _only_text(v) for k, v in value.items())
    return False
