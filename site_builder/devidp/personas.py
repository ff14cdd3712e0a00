"""The dev provider's personas: everyone who is someone's responsible, and every student login."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from site_builder.export.register import Person, Register

COORDINATION_DAY_OFFSET = 60  # a samordningsnummer's day of birth is the real day + 60


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
        return any(role != "elev" for role in self.roles)

    @property
    def is_student(self) -> bool:
        return self.eppn is not None

    @property
    def is_coordination_number(self) -> bool:
        return self.civic_no is not None and int(self.civic_no[6:8]) > COORDINATION_DAY_OFFSET

    @property
    def label(self) -> str:
        return f"{self.given_name} {self.family_name} — {', '.join(self.roles)}"


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


def personas_from_register(register: Register) -> list[Persona]:
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
        if person.eduPersonPrincipalNames:
            roles.setdefault(person.id, []).append("elev")
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
