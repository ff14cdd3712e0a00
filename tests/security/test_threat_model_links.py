"""docs/threat-model.md stays honest: every test it cites exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "threat-model.md").read_text(encoding="utf-8")


def _test_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests").rglob("test_*.py"))


def test_every_linked_test_file_exists() -> None:
    linked = set(re.findall(r"\(\.\./(tests/[\w/]+\.py)\)", DOC))
    assert linked
    assert sorted(p for p in linked if not (REPO / p).is_file()) == []


def test_every_cited_test_function_exists() -> None:
    qualified = re.findall(r"(tests/[\w/]+\.py)::(test_\w+)", DOC)
    assert len(qualified) >= 15
    missing = [
        f"{path}::{name}"
        for path, name in qualified
        if f"def {name}(" not in (REPO / path).read_text(encoding="utf-8")
    ]
    assert missing == []
    sources = _test_sources()
    named = set(re.findall(r"`(test_\w+)`", DOC))
    assert sorted(n for n in named if f"def {n}(" not in sources) == []
