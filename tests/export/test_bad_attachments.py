"""Attachments must stay inside the child's (or group's) folder and exist."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.export.edit import replace_in
from tests.export.minimal import CHILD, PLAN, POST, png_bytes

ExpectProblem = Callable[..., dict[str, str]]
FIELD = "attachments[0].file"


def test_attachment_path_with_dot_dot(export_dir: Path, expect_problem: ExpectProblem) -> None:
    # A file that exists, but in another folder: still refused.
    (export_dir / "children" / "delad.png").write_bytes(png_bytes())
    replace_in(export_dir / POST, "file: bild.png", "file: ../../delad.png")
    problem = expect_problem(file=POST, field=FIELD)
    assert "outside" in problem["message"]


def test_absolute_attachment_path(
    export_dir: Path, tmp_path: Path, expect_problem: ExpectProblem
) -> None:
    outside = tmp_path / "hemlig.png"
    outside.write_bytes(png_bytes())
    replace_in(export_dir / POST, "file: bild.png", f"file: {outside}")
    problem = expect_problem(file=POST, field=FIELD)
    assert "outside" in problem["message"]


def test_symlink_attachment_pointing_outside(
    export_dir: Path, tmp_path: Path, expect_problem: ExpectProblem
) -> None:
    outside = tmp_path / "hemlig.png"
    outside.write_bytes(png_bytes())
    link = export_dir / "children" / CHILD / "larlogg" / "bild.png"
    link.unlink()
    os.symlink(outside, link)
    problem = expect_problem(file=POST, field=FIELD)
    assert "link" in problem["message"]


def test_symlink_to_another_child_is_refused(
    export_dir: Path, expect_problem: ExpectProblem
) -> None:
    # Inside the export but outside this child's folder: another family's picture.
    other = export_dir / "children" / "p-annan"
    other.mkdir()
    (other / "bild.png").write_bytes(png_bytes())
    link = export_dir / "children" / CHILD / "larlogg" / "bild.png"
    link.unlink()
    os.symlink(other / "bild.png", link)
    expect_problem(file=POST, field=FIELD)


def test_missing_attachment(export_dir: Path, expect_problem: ExpectProblem) -> None:
    (export_dir / "children" / CHILD / "larlogg" / "bild.png").unlink()
    problem = expect_problem(file=POST, field=FIELD)
    assert "does not exist" in problem["message"]


def test_missing_unit_plan_attachment(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(
        export_dir / PLAN, "matrix_levels:", "attachments:\n  - file: karta.pdf\nmatrix_levels:"
    )
    problem = expect_problem(file=PLAN, field=FIELD)
    assert "karta.pdf" in problem["message"]


def test_attachment_over_the_size_limit(export_dir: Path, expect_problem: ExpectProblem) -> None:
    attachment = export_dir / "children" / CHILD / "larlogg" / "bild.png"
    attachment.write_bytes(png_bytes() + bytes(2 * 1024 * 1024))
    problem = expect_problem(
        file=f"children/{CHILD}/larlogg/bild.png", field="", options=("--max-file-mb", "1")
    )
    assert "2.1 MB" in problem["message"]


def test_symlink_to_a_sibling_whose_name_starts_with_the_childs_is_refused(
    export_dir: Path, expect_problem: ExpectProblem
) -> None:
    # Containment is by path components: children/p-elev-01x/ is not inside children/p-elev-01/
    # although its path starts with the same characters.
    sibling = export_dir / "children" / f"{CHILD}x"
    sibling.mkdir()
    (sibling / "bild.png").write_bytes(png_bytes())
    link = export_dir / "children" / CHILD / "larlogg" / "bild.png"
    link.unlink()
    os.symlink(sibling / "bild.png", link)
    problem = expect_problem(file=POST, field=FIELD)
    assert "leaves the folder" in problem["message"]


@pytest.mark.parametrize("name", ["\\\\server\\delad.png", "c:delad.png", "C:/delad.png"])
def test_windows_style_absolute_attachment_paths(
    export_dir: Path, expect_problem: ExpectProblem, name: str
) -> None:
    # A backslash-rooted or drive-lettered name is refused by its spelling, before any lookup.
    replace_in(export_dir / POST, "file: bild.png", f"file: '{name}'")
    problem = expect_problem(file=POST, field=FIELD)
    assert "outside" in problem["message"]


def test_every_bad_attachment_of_a_document_is_named(
    export_dir: Path, tmp_path: Path, validate: Callable[..., Any]
) -> None:
    # One problem does not hide the next: each attachment is judged, in order.
    folder = export_dir / "children" / CHILD / "larlogg"
    (tmp_path / "hemlig.png").write_bytes(png_bytes())
    os.symlink(tmp_path / "hemlig.png", folder / "ut.png")  # leaves the folder
    os.symlink(folder / "finns-inte.png", folder / "pekare.png")  # dangling, inside
    replace_in(
        export_dir / POST,
        "  - file: bild.png\n",
        "  - file: ../ute.png\n  - file: /abs.png\n  - file: ut.png\n  - file: pekare.png\n"
        "  - file: saknas.png\n  - file: bild.png\n",
    )
    report = validate(export_dir)
    assert report.exit_code == 1
    for i in range(5):
        report.find(file=POST, field=f"attachments[{i}].file")
    assert "leaves the folder" in report.find(file=POST, field="attachments[2].file")["message"]
    assert "does not exist" in report.find(file=POST, field="attachments[3].file")["message"]
    assert not [p for p in report.problems if "attachments[5]" in p["location"]]
