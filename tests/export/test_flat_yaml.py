"""The one-line-per-field fast path reads front matter exactly as PyYAML would, or declines."""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.export.files import _YamlLoader
from site_builder.export.flat_yaml import parse_flat

KEYS = st.sampled_from(
    ["date", "title", "goals", "agreements", "duration_minutes", "yes", "On", "NULL", "y", "_x"]
)
TEXT = st.text(max_size=12)  # any code point: quotes, backslashes, tabs, NEL, BOM, controls
PLAIN_TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), max_size=12)
JSONISH = st.recursive(
    TEXT | st.integers() | st.floats(allow_nan=False) | st.none() | st.booleans(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def values(draw: st.DrawFn) -> str:
    compact = draw(st.booleans())
    separators = (",", ":") if compact else (", ", ": ")
    value: str = draw(
        st.one_of(
            st.dates().map(lambda d: d.isoformat()),
            st.integers(min_value=-5, max_value=10**6).map(str),
            JSONISH.map(lambda v: json.dumps(v, ensure_ascii=False, separators=separators)),
            JSONISH.map(lambda v: json.dumps(v, ensure_ascii=True)),
            TEXT,
            st.sampled_from(["0", "00", "012", "1_000", "1e3", "2026-9-4", "~", "[a, b]"]),
        )
    )
    return value


def yaml_reads(lines: list[str]) -> Any:
    try:
        return yaml.load("\n".join(lines), Loader=_YamlLoader)  # noqa: S506 (safe loader)
    except (yaml.YAMLError, ValueError):
        return "YAML refuses it"


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(KEYS, values(), st.sampled_from(["", " ", "\r", "  "])), max_size=4))
@example([("agreements", '{"school":["a"]}', "")])
@example([("title", '"Höst\u2028"', "")])
@example([("title", '"a\x85b"', "")])  # NEL: a line break, folded to a space
@example([("title", '"a\u2029 b"', "")])  # paragraph separator: eats the next space
@example([("title", '"a\x7fb"', "")])  # DEL: YAML refuses it
@example([("title", '"a" # note', "")])
def test_fast_path_agrees_with_pyyaml(fields: list[tuple[str, str, str]]) -> None:
    lines = [f"{key}: {value}{end}" for key, value, end in fields]
    fast = parse_flat(lines)
    if fast is not None:
        assert fast == yaml_reads(lines)


@given(
    title=PLAIN_TEXT.filter(lambda t: '"' not in t and "\\" not in t),
    goals=st.lists(PLAIN_TEXT, max_size=3),
    minutes=st.integers(min_value=0, max_value=240),
)
def test_generated_shape_takes_the_fast_path(title: str, goals: list[str], minutes: int) -> None:
    # What export programs write: the fast path must accept it, or it saves nothing.
    lines = [
        "date: 2026-11-16",
        f'title: "{title}"',
        f"goals: {json.dumps(goals, ensure_ascii=False)}",
        f"duration_minutes: {minutes}",
    ]
    if any("\\" in line for line in lines):  # json escaped a quote: PyYAML's job
        return
    assert parse_flat(lines) == yaml_reads(lines)
    assert parse_flat(lines) is not None


def test_block_style_is_left_to_pyyaml() -> None:
    assert parse_flat(["attachments:", "  - file: bild.png"]) is None
    assert parse_flat(["# a comment", "date: 2026-01-01"]) is None
    assert parse_flat(["title: Plain words"]) is None
    assert parse_flat([]) is None
