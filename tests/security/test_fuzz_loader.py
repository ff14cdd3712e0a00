"""Fuzz the export loader: any export.toml, register.json or front matter gives either a valid
LoadResult or ExportInvalid with problems that name a file and a fix; never another exception.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.export.loader import ExportInvalid, LoadResult, load_export
from tests.export import minimal

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FILES = ("export.toml", "register.json", minimal.POST, minimal.IUP, minimal.PLAN)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.dates().map(str),
)
# Structures shaped a bit like the real files, so the fuzzer gets past the first check.
KEYS = st.sampled_from(
    ["persons", "groups", "organisations", "id", "givenName", "familyName", "civicNo", "value",
     "responsibles", "person", "relationType", "enrolments", "enroledAt", "schoolYear",
     "schoolType", "groupMemberships", "schoolUnitCode", "displayName", "date", "author",
     "title", "attachments", "file", "alt", "goals", "matrix", "levels"]
) | st.text(max_size=12)  # fmt: skip
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=30,
)


def _check(root: Path) -> None:
    """The loader's contract: a LoadResult whose bodies read, or ExportInvalid with problems."""
    try:
        result = load_export(root, jobs=1)
    except ExportInvalid as invalid:
        assert invalid.problems
        for problem in invalid.problems:
            assert problem.file and problem.message and problem.fix, problem
        return
    assert isinstance(result, LoadResult)
    for docs in result.export.children.values():
        for doc in (*docs.posts, *docs.assessments, docs.iup, docs.talk):
            if doc is not None:
                assert isinstance(doc.body, str)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return minimal.write_minimal_export(tmp_path_factory.mktemp("pristine") / "export")


@pytest.fixture
def export(pristine: Path, tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "export"
    shutil.copytree(pristine, root)
    yield root


def _restore(export: Path, pristine: Path) -> None:
    for rel in FILES:
        shutil.copyfile(pristine / rel, export / rel)


def test_the_pristine_export_loads(export: Path) -> None:
    _check(export)
    assert load_export(export).export.children


@FUZZ
@given(target=st.sampled_from(FILES), data=st.binary(max_size=400))
def test_random_bytes_in_any_file(export: Path, pristine: Path, target: str, data: bytes) -> None:
    try:
        (export / target).write_bytes(data)
        _check(export)
    finally:
        _restore(export, pristine)


@FUZZ
@given(data=st.data())
def test_mutated_real_files(export: Path, pristine: Path, data: st.DataObject) -> None:
    # Byte-level edits of the real files keep most of the syntax, reaching the deeper checks.
    target = data.draw(st.sampled_from(FILES))
    raw = bytearray((pristine / target).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip" and at < len(raw):
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "cut":
            del raw[at : at + data.draw(st.integers(1, 20))]
        else:
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=8))
    try:
        (export / target).write_bytes(bytes(raw))
        _check(export)
    finally:
        _restore(export, pristine)


@FUZZ
@given(value=structures)
def test_any_json_as_register(export: Path, pristine: Path, value: Any) -> None:
    try:
        (export / "register.json").write_text(json.dumps(value), encoding="utf-8")
        _check(export)
    finally:
        _restore(export, pristine)


@FUZZ
@given(updates=st.dictionaries(KEYS, structures, max_size=4), person=st.integers(0, 1))
def test_any_values_in_register_persons(
    export: Path, pristine: Path, updates: dict[str, Any], person: int
) -> None:
    register = minimal.register_data()
    register["persons"][person].update(updates)
    try:
        (export / "register.json").write_text(json.dumps(register), encoding="utf-8")
        _check(export)
    finally:
        _restore(export, pristine)


@FUZZ
@given(target=st.sampled_from(FILES[2:]), front=structures, body=st.text(max_size=80))
def test_any_yaml_as_front_matter(
    export: Path, pristine: Path, target: str, front: Any, body: str
) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    try:
        (export / target).write_text(text, encoding="utf-8")
        _check(export)
    finally:
        _restore(export, pristine)


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_as_export_toml(export: Path, pristine: Path, text: str) -> None:
    try:
        (export / "export.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
        _check(export)
    finally:
        _restore(export, pristine)
