"""Synthetic people: names, personnummer with valid Luhn checksums, families and households."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

GIVEN_NAMES = (
    "Åsa", "Björn", "Göran", "Märta", "Sölve", "Ebba", "Elsa", "Hugo", "Nils", "Maja", "Alva",
    "Olle", "Linnéa", "Jöns", "Signe", "Tove", "Viggo", "Saga", "Ines", "Leo", "Amina", "Yusuf",
    "Nour", "Zeynep", "Omar", "Leyla", "Dawit", "Mirjam", "Aleksander", "Hanna", "Oskar", "Wilma",
    "Ture", "Idun", "Åke", "Örjan", "Ängla", "Klara", "Noah", "Selma", "Milo", "Ella", "Ali",
)  # fmt: skip
FAMILY_NAMES = (
    "Lindström", "Öberg", "Ågren", "Bäckström", "Söderberg", "Näslund", "Åkesson", "Höglund",
    "Ekström", "Sjöberg", "Lundqvist", "Nyström", "Hassan", "Yilmaz", "Karlsson", "Berglöf",
    "Holmén", "Strömgren", "Nordin", "Jönsson", "Mäkinen", "Abdi", "Rönnqvist", "Dahlén",
)  # fmt: skip


def luhn_digit(nine_digits: str) -> str:
    """Control digit of a Swedish personnummer over YYMMDDNNN (Luhn, weights 2,1,2,...)."""
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


@dataclass(slots=True)
class PnrAllocator:
    """Hands out unique 12-digit personnummer for a birth date (serial numbers per day)."""

    next_serial: dict[date, int] = field(default_factory=dict)

    def allocate(self, born: date) -> str:
        serial = self.next_serial.get(born, 0)
        if serial > 999:
            raise ValueError(f"more than 1000 people born on {born}")
        self.next_serial[born] = serial + 1
        nine = f"{born:%y%m%d}{serial:03d}"
        return f"{born.year // 100}{nine}{luhn_digit(nine)}"


def random_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def birth_date(rng: random.Random, *, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a child goes: school unit index, group index within the municipality, school year."""

    school: int
    group: int
    school_year: int | None  # None: preschool


@dataclass(frozen=True, slots=True)
class Child:
    index: int
    id: str
    given_name: str
    family_name: str
    pnr: str
    placement: Placement
    guardian_ids: tuple[str, ...]
    protected: bool


@dataclass(frozen=True, slots=True)
class Guardian:
    id: str
    given_name: str
    family_name: str
    pnr: str


def split_into_families(rng: random.Random, count: int) -> list[list[int]]:
    """Children indices grouped into families of 1-3 siblings (shuffled across schools)."""
    order = list(range(count))
    rng.shuffle(order)
    families: list[list[int]] = []
    while order:
        size = min(len(order), rng.choice((1, 1, 1, 2, 2, 3)))
        families.append(sorted(order[:size]))
        del order[:size]
    families.sort(key=lambda family: family[0])
    return families
