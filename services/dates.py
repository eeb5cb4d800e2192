"""Dates typed the Dutch way: dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj, or ISO from a date picker."""

import re
from datetime import date

from services.errors import (
    FutureDate,
    ImplausibleAge,
    ImpossibleDate,
    ImpossibleFilterDate,
    InvalidDate,
    InvalidFilterDate,
)

MAX_AGE_YEARS = 120
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_birth_date(text: str | None, *, today: date) -> date | None:
    """Parse a date of birth; None for empty input, a DomainError for anything wrong."""
    value = (text or "").strip()
    if not value:
        return None

    if match := _DUTCH_DATE.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise InvalidDate(value=value)

    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ImpossibleDate(value=value) from None

    if parsed > today:
        raise FutureDate()
    if _age_on(parsed, today) > MAX_AGE_YEARS:
        raise ImplausibleAge(maximum=MAX_AGE_YEARS)
    return parsed


def _age_on(birth_date: date, today: date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def parse_filter_date(text: str | None) -> date | None:
    """Parse a period bound of the overview filter; None for empty input."""
    value = (text or "").strip()
    if not value:
        return None
    match = _DUTCH_DATE.fullmatch(value)
    if match is None:
        raise InvalidFilterDate(value=value)
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ImpossibleFilterDate(value=value) from None
