"""The examples in docs/export-format.md are valid: the page and the models cannot drift apart."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from pydantic import BaseModel

from site_builder.export.civic import civic_number_problem
from site_builder.export.config import ExportConfig
from site_builder.export.documents import (
    Assessment,
    DevelopmentTalk,
    Iup,
    LearningLogPost,
    UnitPlan,
)
from site_builder.export.files import split_front_matter
from site_builder.export.register import Register
from tests.export.conftest import REPO

DOC = REPO / "docs" / "export-format.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
FRONT_MATTER_BY_HEADING: dict[str, type[BaseModel]] = {
    "Learning-log post": LearningLogPost,
    "IUP": Iup,
    "Written assessment": Assessment,
    "Development talk": DevelopmentTalk,
    "Unit plan": UnitPlan,
}


def _blocks() -> list[tuple[str, str, str]]:
    """(heading above the block, language, text) of every fenced block."""
    text = DOC.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        headings = re.findall(r"^#{2,3} (.+)$", text[: match.start()], re.M)
        found.append((headings[-1] if headings else "", match.group(1), match.group(2)))
    return found


def test_export_toml_example_is_valid() -> None:
    (toml,) = [body for _, lang, body in _blocks() if lang == "toml"]
    config = ExportConfig.model_validate(tomllib.loads(toml))
    assert {u.code for u in config.school_units} == {"91234567", "92345678"}


def test_register_example_is_valid() -> None:
    register_blocks = [
        body for heading, lang, body in _blocks() if lang == "json" and "register" in heading
    ]
    register = Register.model_validate(json.loads(register_blocks[0]))
    assert [p.id for p in register.persons] == ["p-vh-01", "p-barn-07"]
    for person in register.persons:
        assert person.civicNo is not None
        assert civic_number_problem(person.civicNo.value) is None, person.id


@pytest.mark.parametrize("heading", sorted(FRONT_MATTER_BY_HEADING))
def test_document_example_is_valid(heading: str) -> None:
    model = FRONT_MATTER_BY_HEADING[heading]
    bodies = [
        body for above, lang, body in _blocks() if lang == "markdown" and above.startswith(heading)
    ]
    assert len(bodies) == 1, heading
    split = split_front_matter(bodies[0], rel=f"{heading}.md")
    assert isinstance(split, tuple), split
    model.model_validate(split[0])
