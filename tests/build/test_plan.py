"""The access plan (pipeline/plan.py) decides who reads what; each rule here at its edge.

Readers are planned with `rid_of` = the subject itself, so the assertions read as people.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from site_builder.fp1 import subject_for_eppn, subject_for_pnr
from site_builder.pipeline.plan.readers import BuildPlan, plan_readers
from tests.build.conftest import Workspace
from tests.build.scratch import DANI_EPPN, PNR, ScratchExport, make_scratch


def _plan(scratch: ScratchExport) -> BuildPlan:
    return plan_readers(scratch.load(), rid_of=lambda subject: subject)


def _person(scratch: ScratchExport, pid: str) -> dict[str, Any]:
    return next(p for p in scratch.register["persons"] if p["id"] == pid)


def _pnr(who: str) -> str:
    return subject_for_pnr(PNR[who])


@pytest.fixture
def scratch(tmp_path: Path) -> ScratchExport:
    return make_scratch(tmp_path / "export")


@pytest.mark.parametrize("marking", ["Sekretessmarkering", "Skyddad folkbokföring"])
def test_every_protection_level_keeps_the_child_out(scratch: ScratchExport, marking: str) -> None:
    _person(scratch, "c-bo")["securityMarking"] = marking
    plan = _plan(scratch)
    assert [c.person.id for c in plan.children] == ["c-asa", "c-dani"]
    assert (("c-bo", f"protected identity ({marking})")) in [
        (e.person_id, e.reason) for e in plan.excluded
    ]
    assert _pnr("berit") not in plan.readers  # Bo's only guardian reads nothing at all
    assert _pnr("berit") not in {r for g in plan.groups for r in g.readers}


def test_no_marking_is_published(scratch: ScratchExport) -> None:
    plan = _plan(scratch)
    assert plan.readers[_pnr("berit")].children == ["c-bo"]
    assert [(e.person_id, e.reason) for e in plan.excluded] == [
        ("c-cilla", "protected identity (Skyddad folkbokföring)")
    ]


@pytest.mark.parametrize("marking", ["Sekretessmarkering", "Skyddad folkbokföring"])
def test_every_protection_level_is_published_when_the_policy_includes(
    scratch: ScratchExport, marking: str
) -> None:
    _person(scratch, "c-bo")["securityMarking"] = marking
    scratch.config["access"] = {"protected_identity": "include"}
    plan = _plan(scratch)
    assert plan.readers[_pnr("berit")].children == ["c-bo"]
    assert plan.excluded == ()


def _set_year(scratch: ScratchExport, pid: str, year: int) -> None:
    _person(scratch, pid)["enrolments"][0]["schoolYear"] = year


@pytest.mark.parametrize(
    ("reads_from", "year", "reads"),
    [(7, 7, True), (7, 6, False), (3, 3, True), (3, 2, False), (7, 8, True)],
)
def test_students_read_their_own_from_exactly_the_configured_year(
    scratch: ScratchExport, reads_from: int, year: int, reads: bool
) -> None:
    scratch.config["access"] = {"student_reads_from_school_year": reads_from}
    _set_year(scratch, "c-dani", year)
    plan = _plan(scratch)
    student = {_pnr("dani"), subject_for_eppn(DANI_EPPN)}
    assert (student <= plan.readers.keys()) is reads
    assert (student & plan.readers.keys() == set()) is not reads
    dani = next(c for c in plan.children if c.person.id == "c-dani")
    assert set(dani.readers) == {_pnr("dora"), *(student if reads else ())}
    for subject in student & plan.readers.keys():
        reader = plan.readers[subject]
        assert (reader.role, reader.person_id, reader.children) == ("student", "c-dani", ["c-dani"])


def test_students_never_read_when_the_policy_says_none(scratch: ScratchExport) -> None:
    scratch.config["access"] = {"student_reads_from_school_year": None}
    plan = _plan(scratch)
    assert {r.role for r in plan.readers.values()} == {"guardian"}


def _second_group(scratch: ScratchExport) -> None:
    """grp-8d: Dani (year 8) and Bo, with a plan of its own; grp-2b keeps Åsa and Bo."""
    scratch.register["groups"].append(
        {
            "id": "grp-8d",
            "displayName": "Teknikgrupp 8D",
            "groupType": "Undervisning",
            "organisation": {"id": "org-ek"},
            "groupMemberships": [{"person": {"id": "c-dani"}}, {"person": {"id": "c-bo"}}],
        }
    )
    scratch.more_plans["grp-8d"] = "Vi bygger en vindturbin."


def test_each_group_plan_is_read_only_by_the_readers_of_its_children(
    scratch: ScratchExport,
) -> None:
    _second_group(scratch)
    plan = _plan(scratch)
    readers = {g.group_id: set(g.readers) for g in plan.groups}
    student = {_pnr("dani"), subject_for_eppn(DANI_EPPN)}
    assert readers == {
        "grp-2b": {_pnr("anna"), _pnr("arne"), _pnr("berit")},
        "grp-8d": {_pnr("dora"), _pnr("berit"), *student},
    }
    groups = {c.person.id: c.groups for c in plan.children}
    assert groups == {"c-asa": ("grp-2b",), "c-bo": ("grp-2b", "grp-8d"), "c-dani": ("grp-8d",)}


def test_keyrings_name_only_the_plans_of_the_readers_own_children(workspace: Workspace) -> None:
    _second_group(workspace.scratch)
    workspace.build()

    def plan_ids(who: str) -> set[str]:
        return {e["id"] for e in workspace.keyring(who)["blobs"] if e["kind"] == "plan"}

    def bodies(who: str) -> set[str]:
        return {
            doc["html"]
            for e in workspace.keyring(who)["blobs"]
            if e["kind"] == "plan"
            for doc in workspace.open_entry(e)["plans"]
        }

    assert len(plan_ids("anna")) == len(plan_ids("dora")) == 1
    assert plan_ids("anna").isdisjoint(plan_ids("dora"))
    assert plan_ids("berit") == plan_ids("anna") | plan_ids("dora")  # Bo is in both groups
    assert all("vindturbin" not in body for body in bodies("anna"))
    assert any("vindturbin" in body for body in bodies("dora"))


def test_a_guardian_of_two_children_reads_both(scratch: ScratchExport) -> None:
    bo = _person(scratch, "c-bo")
    bo["responsibles"].append({"person": {"id": "g-anna"}, "relationType": "Vårdnadshavare"})
    reader = _plan(scratch).readers[_pnr("anna")]
    assert (reader.role, reader.person_id, reader.subject) == ("guardian", "g-anna", _pnr("anna"))
    assert reader.children == ["c-asa", "c-bo"]


def test_a_student_known_only_by_eppn_or_without_a_school_year(scratch: ScratchExport) -> None:
    del _person(scratch, "c-dani")["civicNo"]  # no personnummer: the school login only
    _person(scratch, "c-bo")["enrolments"][0].pop("schoolYear")
    plan = _plan(scratch)
    dani = next(c for c in plan.children if c.person.id == "c-dani")
    assert set(dani.readers) == {_pnr("dora"), subject_for_eppn(DANI_EPPN)}
    bo = next(c for c in plan.children if c.person.id == "c-bo")
    assert bo.school_year is None and bo.readers == (_pnr("berit"),)  # no year: never a student


def test_one_left_out_does_not_stop_the_others(scratch: ScratchExport) -> None:
    asa = _person(scratch, "c-asa")
    asa["responsibles"].reverse()  # "Annan ansvarig" first, the two guardians after
    del _person(scratch, "g-berit")["civicNo"]  # Bo's guardian cannot sign in with e-ID
    export = scratch.load()
    docs = export.children["c-asa"]
    children = {"c-aaa-ghost": docs, **export.children}  # a folder the register lacks, first
    ghost = dataclasses.replace(export, children=children)
    plan = plan_readers(ghost, rid_of=lambda subject: subject)
    assert [(e.person_id, e.reason) for e in plan.excluded] == [
        ("c-aaa-ghost", "not in the register"),
        ("g-berit", "guardian without personal identity number"),
        ("c-bo", "no reader (no guardian with access)"),
        ("c-cilla", "protected identity (Skyddad folkbokföring)"),
    ]
    asa_plan = next(c for c in plan.children if c.person.id == "c-asa")
    assert set(asa_plan.readers) == {_pnr("anna"), _pnr("arne")}
    assert [c.person.id for c in plan.children] == ["c-asa", "c-dani"]


def test_each_child_is_shown_with_its_class_or_department_school_unit_and_year(
    scratch: ScratchExport,
) -> None:
    """What a child's page says about where the child is: the first class (Klass) before any
    preschool department (Avdelning), the school unit of the first enrolment that has one, the
    first school year given and the first enrolment's school type; a group plan under its name."""
    register = scratch.register
    register["organisations"] += [
        {"id": "org-fsk", "displayName": "Förskolan Ek", "schoolUnitCode": "87654321"},
        {"id": "org-fri", "displayName": "Fritids", "schoolUnitCode": "11112222"},  # no unit
    ]
    unit = {**scratch.config["school_units"][0], "code": "87654321", "name": "Förskolan Ek"}
    scratch.config["school_units"].append(unit)
    member = [{"person": {"id": "c-asa"}}, {"person": {"id": "c-dani"}}]
    register["groups"] += [
        {"id": "grp-avd", "displayName": "Avdelning Blåbär", "groupType": "Avdelning",
         "organisation": {"id": "org-fsk"}, "groupMemberships": member},
        {"id": "grp-2c", "displayName": "Klass 2C", "groupType": "Klass",
         "organisation": {"id": "org-ek"}, "groupMemberships": member[:1]},
    ]  # fmt: skip
    _person(scratch, "c-bo")["enrolments"] = [
        {"enroledAt": {"id": "org-fri"}, "schoolType": "FS"},
        {"enroledAt": {"id": "org-fsk"}, "schoolYear": 1, "schoolType": "GR"},
        {"enroledAt": {"id": "org-ek"}, "schoolYear": 2, "schoolType": "GR"},
    ]
    scratch.more_plans["grp-avd"] = "Vi planterar blåbärsris."
    plan = _plan(scratch)
    shown = {
        c.person.id: (
            c.group_name,
            c.school.name if c.school else None,
            c.school_year,
            c.school_type,
        )
        for c in plan.children
    }
    assert shown["c-asa"][0] == "Klass 2B Ekbacken"  # its first class, before a department
    assert shown["c-dani"][0] == "Avdelning Blåbär"  # no class: the department
    assert shown["c-bo"] == ("Klass 2B Ekbacken", "Förskolan Ek", 1, "FS")
    assert shown["c-asa"][1] == "Ekbackeskolan"
    assert {g.group_id: g.name for g in plan.groups} == {
        "grp-2b": "Klass 2B Ekbacken",
        "grp-avd": "Avdelning Blåbär",
    }


def test_an_enrolment_may_name_the_school_unit_code_itself_or_be_missing(
    scratch: ScratchExport,
) -> None:
    _person(scratch, "c-bo")["enrolments"] = [
        {"enroledAt": {"id": "12345678"}, "schoolYear": 2, "schoolType": "GR"}
    ]
    _person(scratch, "c-asa")["enrolments"] = []
    shown = {
        c.person.id: (c.school.code if c.school else None, c.school_year, c.school_type)
        for c in _plan(scratch).children
    }
    assert shown["c-bo"] == ("12345678", 2, "GR")  # no organisation: the code names the unit
    assert shown["c-asa"] == (None, None, None)  # no enrolment: nothing to show, no crash


def test_a_guardian_without_a_number_does_not_stop_the_next_and_each_reader_keeps_its_subject(
    scratch: ScratchExport,
) -> None:
    """Åsa's first guardian has no personal identity number: left out, and the next still reads.
    Every reader keeps the subject its rid came from (re-sealing after a key rotation needs it),
    and each child keeps its school's contact."""
    del _person(scratch, "g-anna")["civicNo"]
    plan = _plan(scratch)
    assert plan.readers[_pnr("arne")].children == ["c-asa"]
    assert ("g-anna", "guardian without personal identity number") in [
        (e.person_id, e.reason) for e in plan.excluded
    ]
    assert {rid: reader.subject for rid, reader in plan.readers.items()} == {
        rid: rid for rid in plan.readers
    }  # rid_of is the identity here
    assert {c.person.id: c.contacts.school.name for c in plan.children if c.contacts.school} == {
        "c-asa": "Ekbackeskolan",
        "c-bo": "Ekbackeskolan",
        "c-dani": "Ekbackeskolan",
    }
