from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsError

from services.settings import Settings


def test_demo_secret_rejected_outside_demo(monkeypatch):
    monkeypatch.setenv("BIEBVOUCHER_DEMO", "false")

    with pytest.raises(ValidationError, match="BIEBVOUCHER_STORAGE_SECRET"):
        Settings()


def test_production_with_own_secret(monkeypatch):
    monkeypatch.setenv("BIEBVOUCHER_DEMO", "false")
    monkeypatch.setenv("BIEBVOUCHER_STORAGE_SECRET", "a-long-random-secret-from-the-operator")

    settings = Settings()

    assert not settings.demo
    assert "a-long-random" not in repr(settings)


def test_default_database_is_sqlite_in_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("BIEBVOUCHER_DATA_DIR", str(tmp_path))

    assert Settings().resolved_database_url == f"sqlite:///{tmp_path.resolve()}/biebvoucher.sqlite3"


@pytest.mark.parametrize("name", ["BIEBVOUCHER_MAX_VOUCHERS_PER_REQUEST", "BIEBVOUCHER_VALIDITY_DAYS"])
def test_limits_must_be_positive(monkeypatch, name):
    monkeypatch.setenv(name, "0")

    with pytest.raises(ValidationError):
        Settings()


def test_tariffs_parsed_and_sorted(monkeypatch):
    monkeypatch.setenv(
        "BIEBVOUCHER_TARIFFS",
        '[{"from": "2026-07-01", "handling_fee": "3", "membership_cost": "31.5"},'
        ' {"from": "2026-01-01", "handling_fee": "2.50", "membership_cost": "30.00"}]',
    )

    tariffs = Settings().tariffs

    assert [tariff.starts_on for tariff in tariffs] == [date(2026, 1, 1), date(2026, 7, 1)]
    assert tariffs[1].handling_fee == Decimal("3.00")
    assert tariffs[1].membership_cost == Decimal("31.50")
    assert tariffs[1].per_voucher == Decimal("34.50")


def test_default_tariff_covers_demo():
    tariffs = Settings().tariffs

    assert tariffs[0].starts_on <= date(2025, 1, 1)
    assert tariffs[0].per_voucher > 0


@pytest.mark.parametrize(
    "value",
    [
        "[]",
        "not json",
        '[{"from": "2026-01-01", "handling_fee": "-1", "membership_cost": "30"}]',
        '[{"from": "2026-01-01", "handling_fee": "2.505", "membership_cost": "30"}]',
        '[{"from": "2026-01-01", "handling_fee": "NaN", "membership_cost": "30"}]',
        '[{"from": "2026-02-30", "handling_fee": "2.50", "membership_cost": "30"}]',
        '[{"from": "2026-01-01", "membership_cost": "30"}]',
        '[{"from": "2026-01-01", "handling_fee": "2", "membership_cost": "30"},'
        ' {"from": "2026-01-01", "handling_fee": "3", "membership_cost": "30"}]',
    ],
)
def test_invalid_tariffs_rejected(monkeypatch, value):
    monkeypatch.setenv("BIEBVOUCHER_TARIFFS", value)

    # Text that is not JSON fails before validation, as a SettingsError naming the field.
    with pytest.raises((ValidationError, SettingsError), match="tariffs"):
        Settings()
