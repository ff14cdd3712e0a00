"""Plan: who may read which blob, from the register and the export's access policy.

Guardians whose relation type the policy allows read their children; anyone else (a parent without
custody) reads nothing; a child with a security marking follows the policy (default: left out and
reported); students from the configured school year read their own documentation; a group's unit
plans are sealed once per group and read by everyone who reads a child in that group.
Everything here is linear in the size of the register.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from site_builder.export.config import ExportConfig, SchoolUnit
from site_builder.export.contacts import ChildContacts, ContactBook
from site_builder.export.documents import Document, UnitPlan
from site_builder.export.model import ChildDocuments, Export
from site_builder.export.register import Person, Register
from site_builder.fp1 import subject_for_eppn, subject_for_pnr

Role = Literal["guardian", "student"]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Something the policy left out; `person_id` is export-internal, never a name."""

    person_id: str
    reason: str


@dataclass(slots=True)
class Reader:
    rid: str
    role: Role
    person_id: str
    subject: str  # pnr:/eppn: — in memory only, to re-seal old keyrings after a key rotation
    children: list[str] = field(default_factory=list)  # child person ids, in register order


@dataclass(frozen=True, slots=True)
class ChildPlan:
    person: Person
    docs: ChildDocuments
    school: SchoolUnit | None
    group_name: str | None
    school_year: int | None
    groups: tuple[str, ...]  # ids of the child's groups that have unit plans
    readers: tuple[str, ...]  # rids
    school_type: str | None = None  # SS 12000 code of the enrolment: FS (preschool), GR...
    contacts: ChildContacts = field(default_factory=ChildContacts)
    # The talk's reply path (plan/talk.py): the unit's public key as JSON {"unit", "jwk"}, and
    # the replies `inbox` took in as (talk date, role, received date).
    school_key: str | None = None
    received: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class GroupPlan:
    group_id: str
    name: str
    docs: tuple[Document[UnitPlan], ...]
    readers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BuildPlan:
    children: tuple[ChildPlan, ...]
    groups: tuple[GroupPlan, ...]
    readers: dict[str, Reader]
    excluded: tuple[Exclusion, ...]


def _school_unit(person: Person, register: Register, config: ExportConfig) -> SchoolUnit | None:
    codes = {o.id: o.schoolUnitCode for o in register.organisations}
    units = {u.code: u for u in config.school_units}
    for enrolment in person.enrolments:
        unit = units.get(codes.get(enrolment.enroledAt.id) or "")
        if unit is not None:
            return unit
    return units.get(person.enrolments[0].enroledAt.id) if person.enrolments else None


def _school_year(person: Person) -> int | None:
    return next((e.schoolYear for e in person.enrolments if e.schoolYear is not None), None)


def _school_type(person: Person) -> str | None:
    return next((e.schoolType for e in person.enrolments), None)


def _student_subjects(person: Person) -> list[str]:
    subjects = [subject_for_pnr(person.civicNo.value)] if person.civicNo else []
    return subjects + [subject_for_eppn(eppn) for eppn in person.eduPersonPrincipalNames]


class _ReaderBook:
    """Collects readers by rid while walking the children once."""

    def __init__(self) -> None:
        self.readers: dict[str, Reader] = {}

    def add(self, *, rid: str, subject: str, role: Role, person_id: str, child: str) -> None:
        reader = self.readers.get(rid)
        if reader is None:
            reader = self.readers[rid] = Reader(rid, role, person_id, subject)
        if child not in reader.children:
            reader.children.append(child)


def plan_readers(export: Export, *, rid_of: Callable[[str], str]) -> BuildPlan:
    """Decide every blob's readers. `rid_of(subject)` maps a sign-in subject to its rid."""
    register, config = export.register, export.config
    policy = config.access
    persons = {p.id: p for p in register.persons}
    groups_of: dict[str, list[str]] = defaultdict(list)
    class_of: dict[str, str] = {}
    department_of: dict[str, str] = {}  # a preschool's group (Avdelning), when there is no class
    for group in register.groups:
        for membership in group.groupMemberships:
            groups_of[membership.person.id].append(group.id)
            if group.groupType == "Klass":
                class_of.setdefault(membership.person.id, group.displayName)
            elif group.groupType == "Avdelning":
                department_of.setdefault(membership.person.id, group.displayName)
    contact_book = ContactBook(register)

    book = _ReaderBook()
    excluded: list[Exclusion] = []
    children: list[ChildPlan] = []
    for person_id, docs in sorted(export.children.items()):
        person = persons.get(person_id)
        if person is None:
            excluded.append(Exclusion(person_id, "not in the register"))
            continue
        if person.securityMarking != "Ingen" and policy.protected_identity == "exclude":
            excluded.append(Exclusion(person_id, f"protected identity ({person.securityMarking})"))
            continue
        rids: list[str] = []
        for responsible in person.responsibles:
            if responsible.relationType not in policy.reader_relation_types:
                continue
            guardian = persons.get(responsible.person.id)
            if guardian is None or guardian.civicNo is None:
                excluded.append(
                    Exclusion(responsible.person.id, "guardian without personal identity number")
                )
                continue
            subject = subject_for_pnr(guardian.civicNo.value)
            rid = rid_of(subject)
            book.add(
                rid=rid, subject=subject, role="guardian", person_id=guardian.id, child=person_id
            )
            rids.append(rid)
        year = _school_year(person)
        reads_from = policy.student_reads_from_school_year
        if reads_from is not None and year is not None and year >= reads_from:
            for subject in _student_subjects(person):
                rid = rid_of(subject)
                book.add(
                    rid=rid, subject=subject, role="student", person_id=person_id, child=person_id
                )
                rids.append(rid)
        if not rids:
            excluded.append(Exclusion(person_id, "no reader (no guardian with access)"))
            continue
        plan_groups = tuple(g for g in groups_of.get(person_id, []) if g in export.group_plans)
        children.append(
            ChildPlan(
                person=person,
                docs=docs,
                school=_school_unit(person, register, config),
                group_name=class_of.get(person_id) or department_of.get(person_id),
                school_year=year,
                groups=plan_groups,
                readers=tuple(dict.fromkeys(rids)),
                school_type=_school_type(person),
                contacts=contact_book.for_child(person),
            )
        )
    return BuildPlan(
        children=tuple(children),
        groups=_plan_groups(export, children),
        readers=book.readers,
        excluded=tuple(excluded),
    )


def _plan_groups(export: Export, children: list[ChildPlan]) -> tuple[GroupPlan, ...]:
    readers: dict[str, dict[str, None]] = defaultdict(dict)
    for child in children:
        for group in child.groups:
            readers[group].update(dict.fromkeys(child.readers))
    names = {g.id: g.displayName for g in export.register.groups}
    return tuple(
        GroupPlan(
            group_id=group,
            name=names.get(group, group),
            docs=tuple(export.group_plans[group]),
            readers=tuple(readers[group]),
        )
        for group in sorted(readers)
    )
