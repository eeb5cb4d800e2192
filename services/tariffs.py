"""Reimbursement tariffs: the handling fee and membership cost the fund pays per redeemed voucher.

Tariffs come from the setting `BIEBVOUCHER_TARIFFS`, a JSON list such as
`[{"from": "2026-01-01", "handling_fee": "2.50", "membership_cost": "30.00"}]`. A tariff
applies to vouchers redeemed (in the Europe/Amsterdam calendar) on or after its `from`
date, until the next tariff starts.
"""

from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.errors import NoTariff

CENT = Decimal("0.01")


def _whole_cents(amount: Decimal) -> Decimal:
    if amount != amount.quantize(CENT):
        raise ValueError(f"invalid amount {amount}: use whole cents, with at most 2 decimals")
    return amount.quantize(CENT)


Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False), AfterValidator(_whole_cents)]


class Tariff(BaseModel):
    """Amounts in euros paid per voucher redeemed from `starts_on` until the next tariff starts."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    starts_on: date = Field(alias="from")
    handling_fee: Amount
    membership_cost: Amount

    @property
    def per_voucher(self) -> Decimal:
        return self.handling_fee + self.membership_cost


def _sorted_and_unique(tariffs: list[Tariff]) -> list[Tariff]:
    if not tariffs:
        raise ValueError("tariff list is empty. Give at least one tariff")
    ordered = sorted(tariffs, key=lambda tariff: tariff.starts_on)
    for earlier, later in pairwise(ordered):
        if earlier.starts_on == later.starts_on:
            raise ValueError(f"two tariffs start on {later.starts_on}. Keep one tariff per start date")
    return ordered


Tariffs = Annotated[list[Tariff], AfterValidator(_sorted_and_unique)]

# The demo's amounts: invented, not the programme's real tariff.
DEFAULT_TARIFFS = [Tariff.model_validate({"from": "2025-01-01", "handling_fee": "2.50", "membership_cost": "30.00"})]


def tariff_on(tariffs: list[Tariff], day: date) -> Tariff:
    """Return the tariff for a voucher redeemed on `day`. `tariffs` must be sorted by start date."""
    applicable = [tariff for tariff in tariffs if tariff.starts_on <= day]
    if not applicable:
        raise NoTariff(day=day, first=tariffs[0].starts_on)
    return applicable[-1]


def tariff_end(tariffs: list[Tariff], tariff: Tariff) -> date | None:
    """Return the start date of the tariff after `tariff`, or None if it is the last one."""
    later = [other.starts_on for other in tariffs if other.starts_on > tariff.starts_on]
    return later[0] if later else None
