"""Dates typed the Dutch way (dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj, dd.mm.jjjj) or ISO yyyy-mm-dd."""

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

# A date of birth must give an age from 0 (born today) to MAX_AGE_YEARS on the day it is typed.
MAX_AGE_YEARS = 120
# Day, month and four-digit year with one separator used twice: "7-3/1985" is rejected.
_DUTCH_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_birth_date(text: str | None, *, today: date) -> date | None:
    """Parse a date of birth; None for empty input, a DomainError for anything wrong."""
    value = (text or "").strip()
    if not value:
        return None

    if not (_DUTCH_DATE.fullmatch(value) or _ISO_DATE.fullmatch(value)):
        raise InvalidDate(value=value)
    parsed = typed_date_or_none(value)
    if parsed is None:
        raise ImpossibleDate(value=value)

    if parsed > today:
        raise FutureDate()
    age = _age_on(parsed, today)
    if age > MAX_AGE_YEARS:
        raise ImplausibleAge(age=age, maximum=MAX_AGE_YEARS)
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
    day, month, year = int(match[1]), int(match[3]), int(match[4])
    try:
        return date(year, month, day)
    except ValueError:
        raise ImpossibleFilterDate(value=value) from None


def typed_date_or_none(text: str | None) -> date | None:
    """Return the date typed as dd-mm-yyyy (or ISO), or None when the text is no existing date."""
    value = (text or "").strip()
    if match := _DUTCH_DATE.fullmatch(value):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
