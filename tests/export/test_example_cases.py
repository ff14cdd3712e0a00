"""content/example holds every case CASES.json names, and the access policy treats each right."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from site_builder.devidp.personas import personas_from_register
from site_builder.export.civic import is_coordination_number
from site_builder.export.loader import load_export
from site_builder.export.model import Export
from site_builder.export.register import Person
from site_builder.pipeline.plan.readers import plan_readers
from tests.export.conftest import EXAMPLE

GPS_IFD = 0x8825


@pytest.fixture(scope="module")
def example() -> Export:
    return load_export(EXAMPLE).export


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLE / "CASES.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def raw_persons() -> dict[str, dict[str, Any]]:
    """register.json as written, with the SS 12000 fields the models ignore (addresses)."""
    data = json.loads((EXAMPLE / "register.json").read_text(encoding="utf-8"))
    return {p["id"]: p for p in data["persons"]}


def _persons(export: Export) -> dict[str, Person]:
    return {p.id: p for p in export.register.persons}


def _custody_of(export: Export, guardian: str) -> list[str]:
    return [
        p.id
        for p in export.register.persons
        if any(
            r.person.id == guardian and r.relationType == "Vårdnadshavare" for r in p.responsibles
        )
    ]


def _readers_by_person(export: Export) -> dict[str, list[str]]:
    plan = plan_readers(export, rid_of=lambda subject: subject)
    found: dict[str, list[str]] = {}
    for reader in plan.readers.values():
        found.setdefault(reader.person_id, []).extend(reader.children)
    return found


def _schools(person: Person) -> set[str]:
    return {e.enroledAt.id for e in person.enrolments}


def test_every_case_names_a_person(example: Export, cases: dict[str, Any]) -> None:
    persons = _persons(example)
    keys = {
        "guardian_two_children",
        "second_household_guardian",
        "no_custody_parent",
        "protected_child",
        "student",
        "samordningsnummer_guardian",
        "siblings",
        "same_household_guardians",
    }
    assert keys <= set(cases)
    for key in keys:
        ids = cases[key] if isinstance(cases[key], list) else [cases[key]]
        assert ids and all(i in persons for i in ids), key


def test_same_household_guardians(
    example: Export, cases: dict[str, Any], raw_persons: dict[str, dict[str, Any]]
) -> None:
    first, second = cases["same_household_guardians"]
    assert _custody_of(example, first) == _custody_of(example, second) != []
    assert raw_persons[first]["addresses"] == raw_persons[second]["addresses"] != []


def test_separate_households_each_with_access(
    example: Export, cases: dict[str, Any], raw_persons: dict[str, dict[str, Any]]
) -> None:
    first, second = cases["separate_households"]
    assert cases["second_household_guardian"] in (first, second)
    shared = set(_custody_of(example, first)) & set(_custody_of(example, second))
    assert shared
    assert raw_persons[first]["addresses"] != raw_persons[second]["addresses"]
    assert raw_persons[first]["emails"] != raw_persons[second]["emails"]
    readers = _readers_by_person(example)
    assert shared <= set(readers[first]) and shared <= set(readers[second])


def test_guardian_with_two_children(example: Export, cases: dict[str, Any]) -> None:
    guardian = cases["guardian_two_children"]
    assert len(_custody_of(example, guardian)) >= 2
    assert len(_readers_by_person(example)[guardian]) >= 2


def test_no_custody_parent_reads_nothing(example: Export, cases: dict[str, Any]) -> None:
    parent = cases["no_custody_parent"]
    relations = [
        r.relationType
        for p in example.register.persons
        for r in p.responsibles
        if r.person.id == parent
    ]
    assert relations and "Vårdnadshavare" not in relations
    assert not set(relations) & set(example.config.access.reader_relation_types)
    assert parent not in _readers_by_person(example)
    # The development e-ID still lists them, so one can sign in and see that nothing opens.
    assert parent in {p.id for p in personas_from_register(example.register)}


def test_protected_child_is_left_out(example: Export, cases: dict[str, Any]) -> None:
    child = _persons(example)[cases["protected_child"]]
    assert child.securityMarking == "Skyddad folkbokföring"
    assert child.id in example.children  # documentation exists, the policy keeps it out
    plan = plan_readers(example, rid_of=lambda subject: subject)
    assert child.id in {e.person_id for e in plan.excluded}
    assert all(child.id not in r.children for r in plan.readers.values())


def test_student_reads_own_documentation(example: Export, cases: dict[str, Any]) -> None:
    student = _persons(example)[cases["student"]]
    years = [e.schoolYear for e in student.enrolments if e.schoolYear is not None]
    threshold = example.config.access.student_reads_from_school_year
    assert threshold is not None and years and max(years) >= threshold
    assert student.eduPersonPrincipalNames == [cases["student_eppn"]]
    assert student.id in _readers_by_person(example)[student.id]


def test_samordningsnummer_guardian(example: Export, cases: dict[str, Any]) -> None:
    guardian = _persons(example)[cases["samordningsnummer_guardian"]]
    assert guardian.civicNo is not None and is_coordination_number(guardian.civicNo.value)
    assert _custody_of(example, guardian.id)


def test_siblings_at_different_schools(example: Export, cases: dict[str, Any]) -> None:
    persons = _persons(example)
    first, second = (persons[i] for i in cases["siblings"])
    assert {r.person.id for r in first.responsibles} & {r.person.id for r in second.responsibles}
    assert _schools(first) and _schools(second) and _schools(first) != _schools(second)
    types = {e.schoolType for p in (first, second) for e in p.enrolments}
    assert types == {"FS", "GR"}


def _enrolled(example: Export) -> Iterator[Person]:
    return (p for p in example.register.persons if p.enrolments)


def test_school_years_and_group_types(example: Export) -> None:
    children = list(_enrolled(example))
    assert len(children) >= 12
    years = {e.schoolYear for p in children for e in p.enrolments}
    assert {None, 2, 5, 8} <= years  # None: preschool
    kinds = {(g.groupType, g.organisation.id) for g in example.register.groups}
    assert ("Avdelning", "o-solrosen") in kinds and ("Klass", "o-ekskolan") in kinds


def test_documentation_per_child(example: Export) -> None:
    for person in _enrolled(example):
        docs = example.children[person.id]
        assert 3 <= len(docs.posts) <= 5, person.id
        assert docs.talk is not None, person.id
        if any(e.schoolType == "FS" for e in person.enrolments):
            assert docs.iup is None and docs.assessments == [], person.id
        else:
            assert docs.iup is not None and 3 <= len(docs.assessments) <= 6, person.id
    for group in example.register.groups:
        plans = example.group_plans[group.id]
        assert plans and all(p.front.goals for p in plans), group.id
        # A preschool assesses no child: only a school's unit plans have a matrix.
        assert all(bool(p.front.matrix) == (group.groupType == "Klass") for p in plans), group.id


def test_swedish_text_links_and_lists(example: Export) -> None:
    bodies = [post.body for docs in example.children.values() for post in docs.posts]
    text = "\n".join(bodies)
    assert all(letter in text for letter in "åäö")
    assert "](https://" in text and "\n- " in text and "**" in text


def test_attachments_show_metadata_and_pdf() -> None:
    jpegs = sorted(EXAMPLE.glob("children/*/larlogg/*.jpg"))
    assert jpegs
    with Image.open(jpegs[0]) as image:
        assert image.getexif().get_ifd(GPS_IFD)  # the build must strip this
    pdfs = sorted(EXAMPLE.glob("children/*/larlogg/*.pdf"))
    assert pdfs and pdfs[0].read_bytes().startswith(b"%PDF-")


def test_example_is_small_and_obviously_test_data(example: Export) -> None:
    size = sum(p.stat().st_size for p in EXAMPLE.rglob("*") if p.is_file())
    assert size < 2 * 1024 * 1024
    for person in example.register.persons:
        assert person.civicNo is not None and person.civicNo.value[8:10] == "98", person.id


def test_cases_file_matches_guardianship(example: Export, cases: dict[str, Any]) -> None:
    for guardian, children in cases["children_of"].items():
        assert _custody_of(example, guardian) == children, guardian
