"""Cross-reference checks on the register and export.toml: what pydantic alone cannot see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from site_builder.export.civic import civic_number_problem
from site_builder.export.config import ExportConfig
from site_builder.export.problems import Problem
from site_builder.export.register import Register

REGISTER = "register.json"
CONFIG = "export.toml"


def _duplicates(file: str, kind: str, ids: Iterable[str]) -> list[Problem]:
    return [
        Problem(
            file,
            f"{kind}[id={value}]",
            f"the id {value!r} is used {n} times",
            "give every entry its own id",
        )
        for value, n in Counter(ids).items()
        if n > 1
    ]


def check_register(register: Register) -> list[Problem]:
    found: list[Problem] = []
    found += _duplicates(REGISTER, "persons", (p.id for p in register.persons))
    found += _duplicates(REGISTER, "groups", (g.id for g in register.groups))
    found += _duplicates(REGISTER, "organisations", (o.id for o in register.organisations))
    persons = {p.id for p in register.persons}
    orgs = {o.id for o in register.organisations}
    civic_seen: dict[str, int] = {}
    for i, person in enumerate(register.persons):
        at = f"persons[{i}]"
        if person.civicNo is not None:
            why = civic_number_problem(person.civicNo.value)
            if why:
                found.append(
                    Problem(
                        REGISTER,
                        f"{at}.civicNo.value",
                        f"{why} (person {person.id})",
                        "correct the personnummer/samordningsnummer",
                    )
                )
            elif person.civicNo.value in civic_seen:
                found.append(
                    Problem(
                        REGISTER,
                        f"{at}.civicNo.value",
                        f"the same number as persons[{civic_seen[person.civicNo.value]}]",
                        "each person has their own number",
                    )
                )
            civic_seen.setdefault(person.civicNo.value, i)
        for j, resp in enumerate(person.responsibles):
            where = f"{at}.responsibles[{j}].person.id"
            if resp.person.id == person.id:
                found.append(
                    Problem(
                        REGISTER,
                        where,
                        f"{person.id} is listed as their own guardian",
                        "name the guardian's person id, not the child's",
                    )
                )
            elif resp.person.id not in persons:
                found.append(
                    Problem(
                        REGISTER,
                        where,
                        f"no person with id {resp.person.id!r} in the register",
                        "add that person to persons[] or correct the id",
                    )
                )
        for j, enrolment in enumerate(person.enrolments):
            if enrolment.enroledAt.id not in orgs:
                found.append(
                    Problem(
                        REGISTER,
                        f"{at}.enrolments[{j}].enroledAt.id",
                        f"no organisation with id {enrolment.enroledAt.id!r}",
                        "add the school unit to organisations[] or correct the id",
                    )
                )
    for i, group in enumerate(register.groups):
        if group.organisation.id not in orgs:
            found.append(
                Problem(
                    REGISTER,
                    f"groups[{i}].organisation.id",
                    f"no organisation with id {group.organisation.id!r}",
                    "add it to organisations[] or correct the id",
                )
            )
        for j, member in enumerate(group.groupMemberships):
            if member.person.id not in persons:
                found.append(
                    Problem(
                        REGISTER,
                        f"groups[{i}].groupMemberships[{j}].person.id",
                        f"no person with id {member.person.id!r}",
                        "add the person to persons[] or remove the membership",
                    )
                )
    found += _check_duties(register, persons=persons, orgs=orgs)
    return found


def _check_duties(register: Register, *, persons: set[str], orgs: set[str]) -> list[Problem]:
    """A duty names an existing person, school unit and groups (its staff become contacts)."""
    found: list[Problem] = []
    groups = {g.id for g in register.groups}
    for i, duty in enumerate(register.duties):
        at = f"duties[{i}]"
        refs = [
            (f"{at}.person.id", duty.person.id, persons, "persons[]"),
            (f"{at}.dutyAt.id", duty.dutyAt.id, orgs, "organisations[]"),
        ]
        refs += [
            (f"{at}.assignmentRole[{j}].group.id", role.group.id, groups, "groups[]")
            for j, role in enumerate(duty.assignmentRole)
        ]
        for where, value, known, table in refs:
            if value not in known:
                found.append(
                    Problem(
                        REGISTER,
                        where,
                        f"no entry with id {value!r} in {table}",
                        f"add it to {table} or correct the id",
                    )
                )
    return found


def check_config(config: ExportConfig, register: Register) -> list[Problem]:
    found: list[Problem] = []
    scales = {s.id for s in config.scales}
    iups = {t.id for t in config.iup_templates}
    talks = {t.id for t in config.talk_templates}
    codes = {o.schoolUnitCode for o in register.organisations if o.schoolUnitCode}
    found += _duplicates(CONFIG, "school_units", (u.code for u in config.school_units))
    found += _duplicates(CONFIG, "scales", (s.id for s in config.scales))
    for i, unit in enumerate(config.school_units):
        at = f"school_units[{i}]"
        if unit.code not in codes:
            found.append(
                Problem(
                    CONFIG,
                    f"{at}.code",
                    f"no organisation in register.json has schoolUnitCode {unit.code!r}",
                    "correct the code",
                )
            )
        for field, value, known, table in (
            ("scale", unit.scale, scales, "[[scales]]"),
            ("iup_template", unit.iup_template, iups, "[[iup_templates]]"),
            ("talk_template", unit.talk_template, talks, "[[talk_templates]]"),
        ):
            if value is not None and value not in known:
                found.append(
                    Problem(
                        CONFIG,
                        f"{at}.{field}",
                        f"no {table} entry with id {value!r}",
                        f"add it under {table} or correct the id",
                    )
                )
    return found
