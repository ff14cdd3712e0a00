"""Reader → e-mail address, read from the register (SS 12000 `persons[].emails`) at send time.

The rid is derived from the same sign-in subjects the build uses (personnummer for guardians
and students, eduPersonPrincipalName for students), so no mapping is ever stored.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from site_builder.export.register import Person, Register
from site_builder.fp1 import MasterKey, pseudonym_key, reader_id, subject_for_eppn, subject_for_pnr

# Deliberately plain: a mailbox we can put in RCPT TO without quoting (RFC 5321 dot-atom).
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", re.ASCII)


@dataclass(frozen=True, slots=True)
class NoAddress:
    """Why a reader cannot be mailed: where in register.json and how to fix it (no address)."""

    where: str
    message: str

    def line(self) -> str:
        return f"register.json: {self.where}: {self.message}"


def valid_address(value: str) -> bool:
    """A plain ASCII mailbox (the pattern admits no space, quote, bracket or line break, so it
    is safe in a header and in RCPT TO as is)."""
    return len(value) <= 254 and ".." not in value and _ADDRESS.fullmatch(value) is not None


def _subjects(person: Person) -> list[str]:
    subjects: list[str] = []
    if person.civicNo is not None:
        # a malformed number: `validate` reports it, and such a person is no reader either
        with contextlib.suppress(ValueError):
            subjects.append(subject_for_pnr(person.civicNo.value))
    for eppn in person.eduPersonPrincipalNames:
        with contextlib.suppress(ValueError):
            subjects.append(subject_for_eppn(eppn))
    return subjects


class AddressBook:
    """Built once per run from the register; answers per rid without keeping a table on disk."""

    def __init__(self, register: Register, *, master: MasterKey) -> None:
        pkey = pseudonym_key(master)
        self._persons: dict[str, tuple[int, Person]] = {}
        for index, person in enumerate(register.persons):
            for subject in _subjects(person):
                self._persons[reader_id(master, subject, pkey=pkey)] = (index, person)

    def address(self, rid: str) -> str | NoAddress:
        found = self._persons.get(rid)
        if found is None:
            return NoAddress(
                f"rid {rid}", "no person in the register signs in as this reader any more"
            )
        index, person = found
        where = f"persons[{index}] (id {person.id})"
        if not person.emails:
            return NoAddress(where, "no emails[]; add the reader's address to the export")
        for email in person.emails:
            if valid_address(email.value.strip()):
                return email.value.strip()
        return NoAddress(
            f"{where}.emails[0].value",
            "not an e-mail address such as namn@example.se; correct it in the export",
        )
