"""The shape of a synthetic municipality: schools of ~400, classes of ~25, families, guardians."""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.people import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    Child,
    Guardian,
    Placement,
    PnrAllocator,
    birth_date,
    random_uuid,
    split_into_families,
)

SCHOOL_SIZE = 400
PRESCHOOL_SIZE = 100
GROUP_SIZE = 25
PRESCHOOL_SHARE = 0.1
TERM_YEAR = 2026


@dataclass(frozen=True, slots=True)
class School:
    id: str
    code: str  # skolenhetskod
    name: str
    preschool: bool


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str
    school: int
    school_year: int | None
    teacher: str


@dataclass(frozen=True, slots=True)
class Municipality:
    schools: tuple[School, ...]
    groups: tuple[Group, ...]
    children: tuple[Child, ...]
    guardians: tuple[Guardian, ...]


def _layout(children: int, *, seed: int) -> tuple[list[School], list[Group], list[Placement]]:
    """Compulsory schools first (years 1-9, ~16 classes each), then preschools (4 departments)."""
    rng = random.Random(f"{seed}/layout")
    preschool_children = round(children * PRESCHOOL_SHARE)
    compulsory_children = children - preschool_children
    schools: list[School] = []
    groups: list[Group] = []
    group_index: dict[tuple[int, int], int] = {}
    placements: list[Placement] = []

    def teacher() -> str:
        return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"

    for i in range(children):
        preschool = i >= compulsory_children
        local = i - compulsory_children if preschool else i
        size = PRESCHOOL_SIZE if preschool else SCHOOL_SIZE
        if local % size == 0:
            number = len(schools) + 1
            kind = "förskola" if preschool else "skola"
            schools.append(
                School(
                    id=random_uuid(rng),
                    code=f"{10000000 + number * 137:08d}",
                    name=f"{FAMILY_NAMES[number % len(FAMILY_NAMES)]}backens {kind} {number}",
                    preschool=preschool,
                )
            )
        school = len(schools) - 1
        slot = (local % size) // GROUP_SIZE
        year = None if preschool else 1 + slot * 9 // (SCHOOL_SIZE // GROUP_SIZE)
        if (school, slot) not in group_index:
            same_year = sum(1 for g in groups if g.school == school and g.school_year == year)
            name = f"Avdelning {'ABCD'[slot % 4]}" if year is None else f"{year}{'ABC'[same_year]}"
            group_index[school, slot] = len(groups)
            groups.append(Group(random_uuid(rng), name, school, year, teacher()))
        placements.append(Placement(school, group_index[school, slot], year))
    return schools, groups, placements


def build_municipality(*, children: int, seed: int) -> Municipality:
    schools, groups, placements = _layout(children, seed=seed)
    rng = random.Random(f"{seed}/people")
    pnr = PnrAllocator()
    kids: dict[int, Child] = {}
    guardians: list[Guardian] = []
    for family in split_into_families(rng, children):
        surname = rng.choice(FAMILY_NAMES)
        count = 2 if rng.random() < 0.7 else 1
        separate = count == 2 and rng.random() < 0.25  # two households, two surnames
        adults = [
            Guardian(
                id=random_uuid(rng),
                given_name=rng.choice(GIVEN_NAMES),
                family_name=rng.choice(FAMILY_NAMES) if separate and n == 1 else surname,
                pnr=pnr.allocate(birth_date(rng, year=rng.randint(1972, 1996))),
            )
            for n in range(count)
        ]
        guardians.extend(adults)
        for index in family:
            placement = placements[index]
            age = 4 if placement.school_year is None else 6 + placement.school_year
            kids[index] = Child(
                index=index,
                id=random_uuid(rng),
                given_name=rng.choice(GIVEN_NAMES),
                family_name=surname,
                pnr=pnr.allocate(birth_date(rng, year=TERM_YEAR - 1 - age)),
                placement=placement,
                guardian_ids=tuple(adult.id for adult in adults),
                protected=rng.random() < 0.003,
            )
    return Municipality(
        schools=tuple(schools),
        groups=tuple(groups),
        children=tuple(kids[i] for i in range(children)),
        guardians=tuple(guardians),
    )
