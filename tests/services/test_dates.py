from datetime import date

import pytest

from services.dates import MAX_AGE_YEARS, parse_birth_date, typed_date_or_none
from services.errors import FutureDate, ImplausibleAge, ImpossibleDate, InvalidDate

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07-03-1985", date(1985, 3, 7)),
        ("7-3-1985", date(1985, 3, 7)),
        ("07/03/1985", date(1985, 3, 7)),
        ("7/3/1985", date(1985, 3, 7)),
        ("07.03.1985", date(1985, 3, 7)),
        ("7.3.1985", date(1985, 3, 7)),
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


@pytest.mark.parametrize(
    "typed",
    ["7 maart 1985", "07-03-85", "1985", "03.1985", "abc", "7-3/1985", "07.03-1985", "07 03 1985", "007-03-1985"],
)
def test_birth_date_malformed_rejected(typed):
    with pytest.raises(InvalidDate) as raised:
        parse_birth_date(typed, today=TODAY)
    message = raised.value.render("nl")
    assert message.startswith("Geboortedatum ")
    assert "dd-mm-jjjj" in message
    assert typed.strip() in message


@pytest.mark.parametrize("typed", ["31-02-2000", "31-02-1990", "29-02-2023", "00-01-1990", "12-13-1990", "31-04-1990"])
def test_birth_date_impossible_rejected(typed):
    with pytest.raises(ImpossibleDate) as raised:
        parse_birth_date(typed, today=TODAY)
    assert raised.value.render("nl") == f'Geboortedatum "{typed}" bestaat niet. Controleer de dag en de maand.'


@pytest.mark.parametrize("typed", ["05-12-2026", "01-01-2999"])
def test_birth_date_future_rejected(typed):
    with pytest.raises(FutureDate) as raised:
        parse_birth_date(typed, today=TODAY)
    assert raised.value.render("nl") == "Geboortedatum ligt in de toekomst. Controleer het jaar."


def test_birth_date_age_range_is_0_to_120():
    assert MAX_AGE_YEARS == 120
    assert parse_birth_date("04-12-2026", today=TODAY) == TODAY
    assert parse_birth_date("05-12-1905", today=TODAY) == date(1905, 12, 5)

    with pytest.raises(ImplausibleAge) as raised:
        parse_birth_date("04-12-1905", today=TODAY)
    assert raised.value.render("nl") == (
        "Geboortedatum geeft een leeftijd van 121 jaar, maar die moet van 0 tot 120 jaar zijn. Controleer het jaar."
    )


def test_birth_date_year_one_is_implausible():
    with pytest.raises(ImplausibleAge):
        parse_birth_date("01-01-0001", today=TODAY)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("7-3-1985", date(1985, 3, 7)), ("1985-03-07", date(1985, 3, 7)), ("31-02-2000", None), ("abc", None), ("", None)],
)
def test_typed_date_or_none(typed, expected):
    assert typed_date_or_none(typed) == expected
