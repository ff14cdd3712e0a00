"""The benchmark generator makes a valid, realistic, deterministic export and reversible edits."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from benchmarks.generate import generate_export, main
from benchmarks.people import luhn_digit
from benchmarks.scenarios import add_new_term, edit_one_post
from site_builder.export.loader import load_export

CHILDREN = 30


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic") / "export"
    generate_export(root, children=CHILDREN, seed=7)
    return root


def test_generated_export_loads_and_validates(export: Path) -> None:
    result = load_export(export)
    assert not result.skipped
    loaded = result.export
    assert len(loaded.children) == CHILDREN
    posts = [len(docs.posts) for docs in loaded.children.values()]
    assert all(18 <= count <= 22 for count in posts)
    compulsory = [docs for docs in loaded.children.values() if docs.iup is not None]
    assert compulsory, "some children must be in compulsory school"
    assert all(len(docs.assessments) == 12 for docs in compulsory)
    assert all(docs.talk is not None for docs in loaded.children.values())
    assert loaded.group_plans and all(loaded.group_plans.values())


def test_shape_is_realistic(export: Path) -> None:
    register = json.loads((export / "register.json").read_text(encoding="utf-8"))
    children = [p for p in register["persons"] if p.get("enrolments")]
    guardians_per_child = sum(len(c["responsibles"]) for c in children) / len(children)
    assert 1.4 <= guardians_per_child <= 2.0
    posts = list(export.glob("children/*/larlogg/*.md"))
    sizes = sorted(post.stat().st_size for post in posts)
    assert 1000 <= sizes[len(sizes) // 2] <= 2048
    text = "".join(post.read_text(encoding="utf-8") for post in posts)
    for marker in ("å", "ä", "ö", "**", "\n- ", "](https://", "| --- |"):
        assert marker in text
    images = list(export.glob("children/*/larlogg/*.jpg"))
    assert 0.03 <= len(images) / len(posts) <= 0.2
    assert all(image.stat().st_size < 16_000 for image in images)


def test_personnummer_are_unique_with_valid_checksums(export: Path) -> None:
    register = json.loads((export / "register.json").read_text(encoding="utf-8"))
    numbers = [p["civicNo"]["value"] for p in register["persons"]]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert len(number) == 12 and number.isdigit()
        assert luhn_digit(number[2:11]) == number[11]


def test_luhn_digit_matches_a_known_personnummer() -> None:
    # Skatteverket's classic example 811218-9876 (check digit 6).
    assert luhn_digit("811218987") == "6"


def test_same_seed_gives_same_bytes_and_another_seed_differs(export: Path, tmp_path: Path) -> None:
    generate_export(tmp_path / "again", children=CHILDREN, seed=7)
    generate_export(tmp_path / "other", children=CHILDREN, seed=8)
    assert tree_digest(tmp_path / "again") == tree_digest(export)
    assert tree_digest(tmp_path / "other") != tree_digest(export)


def test_scenarios_change_the_export_and_revert_byte_for_byte(tmp_path: Path) -> None:
    root = tmp_path / "export"
    generate_export(root, children=5, seed=3)
    before = tree_digest(root)
    posts_before = len(list(root.glob("children/*/larlogg/*.md")))

    edit = edit_one_post(root)
    changed = [name for name, digest in tree_digest(root).items() if before.get(name) != digest]
    assert len(changed) == 1 and "/larlogg/" in changed[0]
    edit.revert()
    assert tree_digest(root) == before

    new_term = add_new_term(root, seed=3)
    posts_after = len(list(root.glob("children/*/larlogg/*.md")))
    assert 0.05 <= (posts_after - posts_before) / posts_before <= 0.15
    assert 'term = "VT2027"' in (root / "export.toml").read_text(encoding="utf-8")
    assert len(load_export(root).export.children) == 5
    new_term.revert()
    assert tree_digest(root) == before


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert main(["--children", "2", "--seed", "1", "--out", str(out)]) == 0
    assert main(["--children", "2", "--seed", "1", "--out", str(out)]) == 2
    assert main(["--children", "3", "--seed", "1", "--out", str(out), "--force"]) == 0
    assert len(list((out / "children").iterdir())) == 3
