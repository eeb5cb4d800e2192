from datetime import date

import pytest

from services.dates import parse_birth_date
from services.errors import FutureDate, ImplausibleAge, ImpossibleDate, InvalidDate

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07-03-1985", date(1985, 3, 7)),
        ("7-3-1985", date(1985, 3, 7)),
        ("07/03/1985", date(1985, 3, 7)),
        (" 7/3/1985 ", date(1985, 3, 7)),
        ("1985-03-07", date(1985, 3, 7)),
        ("29-02-2024", date(2024, 2, 29)),
        ("04-12-2026", TODAY),
    ],
)
def test_birth_date_accepted_forms(typed, expected):
    assert parse_birth_date(typed, today=TODAY) == expected


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_birth_date_empty_is_none(typed):
    assert parse_birth_date(typed, today=TODAY) is None


@pytest.mark.parametrize("typed", ["7 maart 1985", "07-03-85", "1985", "03.1985", "abc"])
def test_birth_date_malformed_rejected(typed):
    with pytest.raises(InvalidDate) as raised:
        parse_birth_date(typed, today=TODAY)
    assert "dd-mm-jjjj" in raised.value.render("nl")


@pytest.mark.parametrize("typed", ["31-02-1990", "29-02-2023", "00-01-1990", "12-13-1990"])
def test_birth_date_impossible_rejected(typed):
    with pytest.raises(ImpossibleDate):
        parse_birth_date(typed, today=TODAY)


def test_birth_date_future_rejected():
    with pytest.raises(FutureDate) as raised:
        parse_birth_date("05-12-2026", today=TODAY)
    assert "toekomst" in raised.value.render("nl")


def test_birth_date_age_over_maximum_rejected():
    with pytest.raises(ImplausibleAge):
        parse_birth_date("04-12-1905", today=TODAY)
    assert parse_birth_date("05-12-1905", today=TODAY) == date(1905, 12, 5)
