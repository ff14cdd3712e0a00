"""The dev provider's personas: everyone who is someone's responsible, every student login, and
every student old enough to read their own documentation with their own e-ID."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from site_builder.export.config import AccessPolicy
from site_builder.export.register import Person, Register

COORDINATION_DAY_OFFSET = 60  # a samordningsnummer's day of birth is the real day + 60
STUDENT_ROLE = "elev"
DEFAULT_READS_FROM = AccessPolicy().student_reads_from_school_year


@dataclass(frozen=True, slots=True)
class Persona:
    id: str
    given_name: str
    family_name: str
    roles: tuple[str, ...]
    civic_no: str | None
    eppn: str | None

    @property
    def is_guardian(self) -> bool:
        return any(role != STUDENT_ROLE for role in self.roles)

    @property
    def is_student(self) -> bool:
        return self.eppn is not None

    @property
    def is_coordination_number(self) -> bool:
        return self.civic_no is not None and int(self.civic_no[6:8]) > COORDINATION_DAY_OFFSET

    @property
    def label(self) -> str:
        return f"{self.given_name} {self.family_name} — {', '.join(self.roles)}"


def matches(persona: Persona, query: str) -> bool:
    """The picker's search: every word of `query` in the name, the id or the civic number."""
    haystack = " ".join(
        [persona.given_name, persona.family_name, persona.id, persona.civic_no or ""]
    ).casefold()
    return all(word in haystack for word in query.casefold().split())


def load_register(path: Path) -> Register:
    """register.json (or an export folder holding it), with a clear message on bad input."""
    file = path / "register.json" if path.is_dir() else path
    try:
        return Register.model_validate_json(file.read_bytes())
    except OSError as exc:
        raise ValueError(f"{file}: cannot read the register ({exc.strerror})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{file}: {where}: {first['msg']}") from None


def load_reads_from(path: Path) -> int | None:
    """`[access] student_reads_from_school_year` of the export folder's export.toml (the
    export's default when `path` is a register file or the folder has no export.toml)."""
    file = path / "export.toml"
    if not path.is_dir() or not file.is_file():
        return DEFAULT_READS_FROM
    try:
        access = tomllib.loads(file.read_text(encoding="utf-8")).get("access", {})
        return AccessPolicy.model_validate(access).student_reads_from_school_year
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{file}: {exc}; run: site-builder validate") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(["access", *(str(p) for p in first["loc"])])
        raise ValueError(f"{file}: {where}: {first['msg']}") from None


def load_personas(path: Path) -> list[Persona]:
    """The personas of an export folder (or of a bare register.json)."""
    return personas_from_register(load_register(path), reads_from=load_reads_from(path))


def _reads_own(person: Person, reads_from: int | None) -> bool:
    """Mirrors the build's access policy: from this school year a student reads their own."""
    year = next((e.schoolYear for e in person.enrolments if e.schoolYear is not None), None)
    return reads_from is not None and year is not None and year >= reads_from


def personas_from_register(
    register: Register, *, reads_from: int | None = DEFAULT_READS_FROM
) -> list[Persona]:
    by_id: dict[str, Person] = {p.id: p for p in register.persons}
    roles: dict[str, list[str]] = {}
    for child in register.persons:
        for responsible in child.responsibles:
            if responsible.person.id in by_id:
                role = responsible.relationType.lower()
                found = roles.setdefault(responsible.person.id, [])
                if role not in found:
                    found.append(role)
    for person in register.persons:
        if person.eduPersonPrincipalNames or (person.civicNo and _reads_own(person, reads_from)):
            roles.setdefault(person.id, []).append(STUDENT_ROLE)
    personas = []
    for person_id, person_roles in roles.items():
        person = by_id[person_id]
        civic = person.civicNo.value if person.civicNo else None
        valid_civic = civic if civic and len(civic) == 12 and civic.isdigit() else None
        eppns = person.eduPersonPrincipalNames
        personas.append(
            Persona(
                id=person.id,
                given_name=person.givenName,
                family_name=person.familyName,
                roles=tuple(person_roles),
                civic_no=valid_civic,
                eppn=eppns[0] if eppns else None,
            )
        )
    personas.sort(key=lambda p: (p.family_name, p.given_name, p.id))
    return personas
