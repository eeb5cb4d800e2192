"""Numbers, money and dates formatted for Dutch and for English."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.i18n import (
    format_amount,
    format_money,
    format_month,
    format_number,
    format_percent,
    format_short_date,
    format_short_datetime,
    translate_plural,
)

# 12:30 in Amsterdam (summer time): formatted moments are local times.
MOMENT = datetime(2026, 7, 3, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("nl", "€\xa012,50"), ("en", "€12.50"), ("xx", "€\xa012,50")],
)
def test_money(locale, expected):
    assert format_money(locale, Decimal("12.5")) == expected


@pytest.mark.parametrize(("locale", "expected"), [("nl", "€\xa01.234,50"), ("en", "€1,234.50")])
def test_money_thousands(locale, expected):
    assert format_money(locale, Decimal("1234.5")) == expected


@pytest.mark.parametrize(("locale", "expected"), [("nl", "1.234,50"), ("en", "1,234.50")])
def test_amount_without_currency(locale, expected):
    assert format_amount(locale, Decimal("1234.5")) == expected


@pytest.mark.parametrize(("locale", "expected"), [("nl", "12.345"), ("en", "12,345")])
def test_number(locale, expected):
    assert format_number(locale, 12345) == expected


@pytest.mark.parametrize(("locale", "expected"), [("nl", "45%"), ("en", "45%")])
def test_percent(locale, expected):
    assert format_percent(locale, 45.4) == expected


@pytest.mark.parametrize(("locale", "expected"), [("nl", "mrt 2026"), ("en", "Mar 2026")])
def test_month(locale, expected):
    assert format_month(locale, date(2026, 3, 1)) == expected


@pytest.mark.parametrize(("locale", "expected"), [("nl", "03-07-2026"), ("en", "3 Jul 2026")])
def test_short_date(locale, expected):
    assert format_short_date(locale, date(2026, 7, 3)) == expected


@pytest.mark.parametrize(("locale", "expected"), [("nl", "03-07-2026 12:30"), ("en", "3 Jul 2026, 12:30")])
def test_short_datetime_in_amsterdam(locale, expected):
    assert format_short_datetime(locale, MOMENT) == expected


@pytest.mark.parametrize(("locale", "expected"), [("nl", "1.500 vouchers"), ("en", "1,500 vouchers")])
def test_plural_count_has_separators(locale, expected):
    assert translate_plural(locale, "{count} voucher", "{count} vouchers", 1500) == expected
