"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer)."""

from __future__ import annotations

from datetime import date


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def civic_number_problem(value: str) -> str | None:
    """None when `value` is a valid 12-digit personnummer or samordningsnummer, else why not."""
    if len(value) != 12 or not value.isdigit():
        return "must be 12 digits, YYYYMMDDNNNC, without hyphen"
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    if day > 60:  # samordningsnummer: day of birth + 60
        day -= 60
    try:
        date(year, month, day)
    except ValueError:
        return "the first 8 digits are not a date of birth (or day + 60 for a samordningsnummer)"
    if not luhn_ok(value[2:]):
        return "the check digit (the last digit) is wrong"
    return None


def is_coordination_number(value: str) -> bool:
    return len(value) == 12 and value.isdigit() and int(value[6:8]) > 60
