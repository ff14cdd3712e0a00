"""docs/threat-model.md stays honest: every test it cites exists as a test function, every
"Cannot" paragraph cites at least one, and each cited test is in docs/testing.md's audit table
with the break it was checked to catch (a test that cannot fail guards nothing)."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "threat-model.md").read_text(encoding="utf-8")
AUDIT = (REPO / "docs" / "testing.md").read_text(encoding="utf-8")
# `tests/x/test_y.py::test_z` or, after a link to that file, the short `test_y.py::test_z`.
QUALIFIED = re.compile(r"((?:tests/[\w/]+/)?test_\w+\.py)::(test_\w+)")
NAMED = re.compile(r"`(test_\w+)`")


@functools.cache
def _test_functions(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    )


def _files_named(name: str) -> list[Path]:
    if "/" in name:
        return [REPO / name] if (REPO / name).is_file() else []
    return sorted((REPO / "tests").rglob(name))


def _cited() -> set[str]:
    return {name for _, name in QUALIFIED.findall(DOC)} | set(NAMED.findall(DOC))


def test_every_linked_test_file_exists() -> None:
    linked = set(re.findall(r"\(\.\./(tests/[\w/]+\.py)\)", DOC))
    assert linked
    assert sorted(p for p in linked if not (REPO / p).is_file()) == []


def test_every_cited_test_function_exists() -> None:
    qualified = QUALIFIED.findall(DOC)
    assert len(qualified) >= 40
    missing = [
        f"{path}::{name}"
        for path, name in qualified
        if not any(name in _test_functions(f) for f in _files_named(Path(path).name))
    ]
    assert missing == []
    everywhere = frozenset().union(
        *(_test_functions(p) for p in (REPO / "tests").rglob("test_*.py"))
    )
    assert sorted(set(NAMED.findall(DOC)) - everywhere) == []


def test_every_cannot_paragraph_cites_a_test() -> None:
    # Each adversary's "**Cannot**:" runs until its "**Residual**:" (or the next heading).
    paragraphs = re.findall(r"\*\*Cannot\*\*:(.*?)(?=\*\*Residual\*\*|\n#)", DOC, re.DOTALL)
    assert len(paragraphs) >= 6
    bare = [p[:80] for p in paragraphs if not QUALIFIED.search(p)]
    assert bare == []


def test_every_cited_test_is_in_the_audit_with_its_break() -> None:
    section = AUDIT.split("## Threat-model claims and the breaks their tests catch", 1)[1]
    audited = set(re.findall(r"`(test_\w+)`", section.split("\n## ", 1)[0]))
    assert sorted(_cited() - audited) == []


def test_every_audited_row_names_its_break() -> None:
    """A row that says its test was not re-broken names no break: the audit owes one."""
    section = AUDIT.split("## Threat-model claims and the breaks their tests catch", 1)[1]
    rows = [r for r in section.split("\n## ", 1)[0].splitlines() if r.startswith("| `test_")]
    assert len(rows) >= 40
    assert [r[:80] for r in rows if "not re-broken" in r] == []
