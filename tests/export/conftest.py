"""Fixtures for export validation: a minimal valid export in tmp_path, a validate runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from tests.export.minimal import write_minimal_export

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "content" / "example"


@dataclass(frozen=True)
class Report:
    exit_code: int
    text: str  # the human report (--format text)
    problems: list[dict[str, str]]  # the machine report's problems (--format json)

    def find(self, *, file: str, field: str) -> dict[str, str]:
        """The problem about `file` whose location names `field`; fails the test if none."""
        for problem in self.problems:
            if problem["file"] == file and field in problem["location"]:
                return problem
        raise AssertionError(f"no problem for {file} at {field!r}; got {self.problems}")


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    # A crash inside the command is an uncaught exception, not SystemExit: never acceptable.
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"validate crashed: {result.exception!r}\n{result.output}")
    return result.exit_code, result.output


@pytest.fixture
def validate() -> Callable[..., Report]:
    """Run `site-builder validate` in both formats; both must agree on the exit code."""

    def run(path: Path, *options: str) -> Report:
        code, text = run_cli("validate", str(path), *options)
        json_code, out = run_cli("validate", str(path), "--format", "json", *options)
        assert code == json_code, (text, out)
        report: dict[str, Any] = json.loads(out)
        return Report(exit_code=code, text=text, problems=report["problems"])

    return run


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    return write_minimal_export(tmp_path / "export")


@pytest.fixture
def expect_problem(
    validate: Callable[..., Report], export_dir: Path
) -> Callable[..., dict[str, str]]:
    """Validate the (broken) export: exit 1, and a problem naming `file` and `field`, in JSON
    and in the text report."""

    def check(*, file: str, field: str, options: tuple[str, ...] = ()) -> dict[str, str]:
        report = validate(export_dir, *options)
        assert report.exit_code == 1, report.text
        problem = report.find(file=file, field=field)
        assert file in report.text and field in report.text, report.text
        assert "Traceback" not in report.text
        assert problem["message"] and problem["fix"]
        return problem

    return check
