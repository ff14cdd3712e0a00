"""Valid exports validate (exit 0), the JSON report's shape, and no traceback for a bad path."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.export.conftest import EXAMPLE, REPO, Report, run_cli
from tests.export.edit import edit_register, person
from tests.export.minimal import CHILD, GUARDIAN


def test_minimal_export_is_valid(validate: Callable[..., Report], export_dir: Path) -> None:
    report = validate(export_dir)
    assert report.exit_code == 0, report.text
    assert report.problems == []
    assert "valid" in report.text


def test_example_is_valid(validate: Callable[..., Report]) -> None:
    report = validate(EXAMPLE)
    assert report.exit_code == 0, report.text
    assert "13 children" in report.text


def test_json_report_of_a_valid_export(export_dir: Path) -> None:
    code, out = run_cli("validate", str(export_dir), "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["valid"] is True
    assert report["problems"] == []
    assert report["summary"]["children"] == 1
    assert report["summary"]["persons"] == 2
    assert report["summary"]["groups"] == 1
    assert report["summary"]["documents"] == 5  # post, assessment, IUP, talk, unit plan


def test_json_report_lists_every_problem(export_dir: Path) -> None:
    def break_two_things(data: dict[str, Any]) -> None:
        child = person(data, CHILD)
        child["civicNo"] = {"value": "201505129808"}
        child["responsibles"][0]["person"]["id"] = "p-saknas"

    edit_register(export_dir, break_two_things)
    code, out = run_cli("validate", str(export_dir), "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["valid"] is False
    assert report["summary"]["problems"] == len(report["problems"]) == 2
    for problem in report["problems"]:
        assert set(problem) == {"file", "location", "message", "fix"}
        assert problem["file"] == "register.json"
    locations = sorted(p["location"] for p in report["problems"])
    assert locations == ["persons[1].civicNo.value", "persons[1].responsibles[0].person.id"]


def test_unknown_ss12000_fields_are_ignored(
    validate: Callable[..., Report], export_dir: Path
) -> None:
    def add_real_world_fields(data: dict[str, Any]) -> None:
        guardian = person(data, GUARDIAN)
        guardian["addresses"] = [{"type": "Folkbokföring", "streetAddress": "Ekvägen 3"}]
        guardian["meta"] = {"created": "2025-08-01T08:00:00Z"}
        guardian["civicNo"]["nationality"] = "SE"
        data["organisations"][0]["schoolTypes"] = ["GR"]
        data["syllabuses"] = []

    edit_register(export_dir, add_real_world_fields)
    report = validate(export_dir)
    assert report.exit_code == 0, report.text


def test_missing_folder_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "finns-inte"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "site-builder"), "validate", str(missing)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert str(missing) in done.stdout
    assert "does not exist" in done.stdout
