"""Vouchers in a chosen state at a chosen moment, for the reimbursement and dashboard tests."""

import itertools
import json
from datetime import UTC, date, datetime, timedelta

from models import User, Voucher, VoucherStatus
from services.db import write_session
from services.settings import get_settings

_codes = itertools.count(100_000)

# The tariff changes on 1 July 2026; the test periods straddle that date.
TARIFF_CHANGE = [
    {"from": "2026-01-01", "handling_fee": "2.50", "membership_cost": "30.00"},
    {"from": "2026-07-01", "handling_fee": "3.00", "membership_cost": "31.50"},
]


def use_tariffs(monkeypatch, tariffs=None) -> None:
    """Set BIEBVOUCHER_TARIFFS for this test and make the settings read it again."""
    monkeypatch.setenv("BIEBVOUCHER_TARIFFS", json.dumps(tariffs or TARIFF_CHANGE))
    get_settings.cache_clear()


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def make_voucher(
    issuer: User,
    *,
    created_at: datetime,
    status: VoucherStatus = VoucherStatus.ISSUED,
    redeemed_at: datetime | None = None,
    desk: User | None = None,
    expires_on: date | None = None,
    reimbursed_at: datetime | None = None,
) -> int:
    """Insert one voucher of the issuer's organisation, redeemed at the desk's library when `redeemed_at` is set."""
    voucher = Voucher(
        code=f"{next(_codes):06d}",
        status=status,
        created_at=created_at,
        created_by_id=issuer.id,
        organisation_id=issuer.organisation_id,
        expires_on=expires_on,
    )
    if redeemed_at is not None:
        assert desk is not None, "a redeemed voucher needs the desk that redeemed it"
        voucher.status = VoucherStatus.REDEEMED if status == VoucherStatus.ISSUED else status
        voucher.redeemed_at = redeemed_at
        voucher.redeemed_by_id = desk.id
        voucher.redeemed_library_id = desk.organisation_id
    if reimbursed_at is not None:
        voucher.status = VoucherStatus.REIMBURSED
        voucher.reimbursed_at = reimbursed_at
    with write_session() as session:
        session.add(voucher)
        session.flush()
        return voucher.id


def make_redeemed(issuer: User, desk: User, redeemed_at: datetime) -> int:
    """Insert a voucher created 3 days before `redeemed_at` and redeemed then at the desk's library."""
    return make_voucher(issuer, created_at=redeemed_at - timedelta(days=3), redeemed_at=redeemed_at, desk=desk)
