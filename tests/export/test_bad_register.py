"""Bad input in register.json: personnummer, references, duplicates, guardianship."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.export.edit import edit_register, person, replace_in
from tests.export.minimal import ASSESSMENT, CHILD, GUARDIAN

ExpectProblem = Callable[..., dict[str, str]]


def test_personnummer_with_bad_checksum(export_dir: Path, expect_problem: ExpectProblem) -> None:
    edit_register(export_dir, lambda d: person(d, CHILD).update(civicNo={"value": "201505129808"}))
    problem = expect_problem(file="register.json", field="persons[1].civicNo.value")
    assert "check digit" in problem["message"]


def test_personnummer_with_hyphen(export_dir: Path, expect_problem: ExpectProblem) -> None:
    edit_register(export_dir, lambda d: person(d, CHILD).update(civicNo={"value": "20150512-9807"}))
    problem = expect_problem(file="register.json", field="persons[1].civicNo.value")
    assert "12 digits" in problem["message"]


def test_samordningsnummer_is_accepted(validate: Callable[..., Any], export_dir: Path) -> None:
    # Day 04 + 60 = 64; the check digit is recomputed for the new digits.
    edit_register(
        export_dir, lambda d: person(d, GUARDIAN).update(civicNo={"value": "198203649804"})
    )
    report = validate(export_dir)
    assert report.exit_code == 0, report.text


def test_responsible_not_in_register(export_dir: Path, expect_problem: ExpectProblem) -> None:
    def typo(data: dict[str, Any]) -> None:
        person(data, CHILD)["responsibles"][0]["person"]["id"] = "p-vh-1"

    edit_register(export_dir, typo)
    problem = expect_problem(file="register.json", field="persons[1].responsibles[0].person.id")
    assert "p-vh-1" in problem["message"]


def test_guardian_left_out_of_the_register(export_dir: Path, expect_problem: ExpectProblem) -> None:
    # The relation still names the guardian, but the guardian's own entry is missing.
    edit_register(export_dir, lambda d: d["persons"].remove(person(d, GUARDIAN)))
    problem = expect_problem(file="register.json", field="persons[0].responsibles[0].person.id")
    assert GUARDIAN in problem["message"]


def test_enrolment_at_unknown_school(export_dir: Path, expect_problem: ExpectProblem) -> None:
    def typo(data: dict[str, Any]) -> None:
        person(data, CHILD)["enrolments"][0]["enroledAt"]["id"] = "o-fel"

    edit_register(export_dir, typo)
    problem = expect_problem(file="register.json", field="persons[1].enrolments[0].enroledAt.id")
    assert "o-fel" in problem["message"]


def test_group_of_unknown_organisation(export_dir: Path, expect_problem: ExpectProblem) -> None:
    edit_register(export_dir, lambda d: d["groups"][0]["organisation"].update(id="o-fel"))
    problem = expect_problem(file="register.json", field="groups[0].organisation.id")
    assert "o-fel" in problem["message"]


def test_membership_of_unknown_person(export_dir: Path, expect_problem: ExpectProblem) -> None:
    edit_register(
        export_dir, lambda d: d["groups"][0]["groupMemberships"][0]["person"].update(id="p-x")
    )
    problem = expect_problem(file="register.json", field="groups[0].groupMemberships[0].person.id")
    assert "p-x" in problem["message"]


def test_school_unit_code_not_in_register(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / "export.toml", 'code = "12345678"', 'code = "87654321"')
    problem = expect_problem(file="export.toml", field="school_units[0].code")
    assert "87654321" in problem["message"]


def test_children_folder_without_person(export_dir: Path, expect_problem: ExpectProblem) -> None:
    shutil.copytree(export_dir / "children" / CHILD, export_dir / "children" / "p-okand")
    problem = expect_problem(file="children/p-okand", field="folder name")
    assert "p-okand" in problem["message"]


def test_groups_folder_without_group(export_dir: Path, expect_problem: ExpectProblem) -> None:
    shutil.copytree(export_dir / "groups" / "g-5a", export_dir / "groups" / "g-9z")
    expect_problem(file="groups/g-9z", field="folder name")


def test_duplicate_person_id(export_dir: Path, expect_problem: ExpectProblem) -> None:
    def duplicate(data: dict[str, Any]) -> None:
        twin = dict(person(data, GUARDIAN), givenName="Tvilling")
        twin["civicNo"] = {"value": "198001019804"}
        data["persons"].append(twin)

    edit_register(export_dir, duplicate)
    problem = expect_problem(file="register.json", field=f"persons[id={GUARDIAN}]")
    assert "2 times" in problem["message"]


def test_child_without_guardian(export_dir: Path, expect_problem: ExpectProblem) -> None:
    edit_register(export_dir, lambda d: person(d, CHILD).update(responsibles=[]))
    problem = expect_problem(file="register.json", field="persons[1].responsibles")
    assert "no guardian" in problem["message"]


def test_person_listed_as_own_guardian(export_dir: Path, expect_problem: ExpectProblem) -> None:
    def own(data: dict[str, Any]) -> None:
        person(data, CHILD)["responsibles"][0]["person"]["id"] = CHILD

    edit_register(export_dir, own)
    problem = expect_problem(file="register.json", field="persons[1].responsibles[0].person.id")
    assert "own guardian" in problem["message"]


def test_unknown_relation_type(export_dir: Path, expect_problem: ExpectProblem) -> None:
    def relation(data: dict[str, Any]) -> None:
        person(data, CHILD)["responsibles"][0]["relationType"] = "Förälder"

    edit_register(export_dir, relation)
    problem = expect_problem(file="register.json", field="persons[1].responsibles[0].relationType")
    assert "Vårdnadshavare" in problem["message"]


def test_unknown_security_marking(export_dir: Path, expect_problem: ExpectProblem) -> None:
    edit_register(export_dir, lambda d: person(d, CHILD).update(securityMarking="Hemlig"))
    expect_problem(file="register.json", field="persons[1].securityMarking")


def test_assessment_level_not_in_scale(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / ASSESSMENT, 'level: "3"', 'level: "C"')
    problem = expect_problem(file=ASSESSMENT, field="level")
    assert "1, 2, 3, 4" in problem["fix"]


def test_assessment_scale_unknown(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / ASSESSMENT, 'level: "3"', 'level: "3"\nscale: betyg')
    problem = expect_problem(file=ASSESSMENT, field="scale")
    assert "betyg" in problem["message"]
