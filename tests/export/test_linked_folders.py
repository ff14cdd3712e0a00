"""Folders that are links leaving the export, and dates YAML itself would reject."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.export.edit import replace_in
from tests.export.minimal import CHILD, POST

ExpectProblem = Callable[..., dict[str, str]]


@pytest.mark.parametrize("folder", ["children", "groups"])
def test_top_level_folder_linked_outside(
    folder: str, export_dir: Path, tmp_path: Path, expect_problem: ExpectProblem
) -> None:
    # Every file below would pass the per-file checks: only the folder link leaves the export.
    outside = tmp_path / "elsewhere"
    shutil.move(export_dir / folder, outside)
    (export_dir / folder).symlink_to(outside, target_is_directory=True)
    problem = expect_problem(file=folder, field="")
    assert "outside the export" in problem["message"]


def test_child_folder_linked_outside(
    export_dir: Path, tmp_path: Path, expect_problem: ExpectProblem
) -> None:
    outside = tmp_path / "elsewhere"
    shutil.move(export_dir / "children" / CHILD, outside)
    (export_dir / "children" / CHILD).symlink_to(outside, target_is_directory=True)
    problem = expect_problem(file=f"children/{CHILD}", field="")
    assert "outside the export" in problem["message"]


def test_impossible_calendar_date(export_dir: Path, expect_problem: ExpectProblem) -> None:
    # Shaped like a date, so YAML would try (and fail) to build one without naming the field.
    replace_in(export_dir / POST, "date: 2026-09-04", "date: 2026-02-30")
    problem = expect_problem(file=POST, field="date")
    assert problem["location"].startswith("line 2")
