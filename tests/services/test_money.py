from decimal import Decimal

import pytest
from sqlalchemy.dialects import sqlite

from models.types import MoneyCents

MONEY = MoneyCents()
DIALECT = sqlite.dialect()


def test_money_stored_as_cents():
    assert MONEY.process_bind_param(Decimal("1234.50"), DIALECT) == 123450


def test_money_read_with_two_decimals():
    assert str(MONEY.process_result_value(123450, DIALECT)) == "1234.50"


def test_money_rejects_fraction_of_cent():
    with pytest.raises(ValueError, match="fraction of a cent"):
        MONEY.process_bind_param(Decimal("0.005"), DIALECT)


def test_money_rejects_float():
    with pytest.raises(TypeError, match="Decimal"):
        MONEY.process_bind_param(2.5, DIALECT)
