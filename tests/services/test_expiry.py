"""Expiry: a voucher is valid through the whole of its last day in Europe/Amsterdam."""

from datetime import date, datetime, timedelta

import pytest

from models import Voucher, VoucherStatus
from services.clock import LOCAL_ZONE, fixed_clock
from services.db import read_session
from services.errors import VoucherExpired, VoucherExpiredUnchangeable
from services.redemption import check_code, redeem_voucher
from services.settings import get_settings
from services.voucher_queries import VoucherQuery, list_vouchers, voucher_detail
from services.vouchers import issue_vouchers, personalise_voucher

VALIDITY_DAYS = 10
# Daylight saving time in the EU starts on the last Sunday of March and ends on the last Sunday of October.
LAST_DAYS = [
    pytest.param(date(2026, 3, 28), id="day-before-summer-time"),
    pytest.param(date(2026, 3, 29), id="summer-time-starts"),
    pytest.param(date(2026, 10, 24), id="day-before-winter-time"),
    pytest.param(date(2026, 10, 25), id="winter-time-starts"),
]


@pytest.fixture
def validity(monkeypatch):
    monkeypatch.setenv("BIEBVOUCHER_VALIDITY_DAYS", str(VALIDITY_DAYS))
    get_settings.cache_clear()


def _local(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_ZONE)


def _issue_with_last_day(user, last_day: date) -> Voucher:
    issue_day = last_day - timedelta(days=VALIDITY_DAYS - 1)
    with fixed_clock(_local(issue_day, 10, 0)):
        (voucher_id,) = issue_vouchers(actor_id=user.id, count=1)
    with read_session() as session:
        return session.get(Voucher, voucher_id)


def test_expiry_counts_day_of_issue(validity, intermediary):
    voucher = _issue_with_last_day(intermediary, date(2026, 3, 29))

    assert voucher.expires_on == date(2026, 3, 29)


def test_no_validity_setting_means_no_end_date(intermediary):
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)

    with read_session() as session:
        assert session.get(Voucher, voucher_id).expires_on is None


def test_issued_just_before_local_midnight_uses_local_day(validity, intermediary):
    # 23:30 on 28 March in Amsterdam is still 28 March, although UTC is an hour behind.
    with fixed_clock(_local(date(2026, 3, 28), 23, 30)):
        (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)

    with read_session() as session:
        assert session.get(Voucher, voucher_id).expires_on == date(2026, 3, 28) + timedelta(days=VALIDITY_DAYS - 1)


@pytest.mark.parametrize("last_day", LAST_DAYS)
def test_valid_at_2359_on_last_day(validity, intermediary, desk_staff, last_day):
    voucher = _issue_with_last_day(intermediary, last_day)

    with fixed_clock(_local(last_day, 23, 59)):
        checked = check_code(actor_id=desk_staff.id, raw_code=voucher.code)
        assert checked.voucher.status == VoucherStatus.ISSUED
        assert checked.problem is None
        result = redeem_voucher(actor_id=desk_staff.id, raw_code=voucher.code, request_key="k")

    assert result.voucher.status == VoucherStatus.REDEEMED


@pytest.mark.parametrize("last_day", LAST_DAYS)
def test_expired_at_0000_after_last_day(validity, intermediary, desk_staff, last_day):
    voucher = _issue_with_last_day(intermediary, last_day)

    with fixed_clock(_local(last_day + timedelta(days=1), 0, 0)):
        checked = check_code(actor_id=desk_staff.id, raw_code=voucher.code)
        assert checked.voucher.status == VoucherStatus.EXPIRED
        assert isinstance(checked.problem, VoucherExpired)
        with pytest.raises(VoucherExpired) as raised:
            redeem_voucher(actor_id=desk_staff.id, raw_code=voucher.code, request_key="k")

    assert raised.value.params["last_day"] == last_day
    with read_session() as session:
        assert session.get(Voucher, voucher.id).status == VoucherStatus.ISSUED


@pytest.mark.parametrize("last_day", LAST_DAYS)
def test_overview_and_detail_show_expired_from_midnight(validity, intermediary, last_day):
    voucher = _issue_with_last_day(intermediary, last_day)
    expired_filter = VoucherQuery(status=VoucherStatus.EXPIRED)
    issued_filter = VoucherQuery(status=VoucherStatus.ISSUED)

    with fixed_clock(_local(last_day, 23, 59)):
        assert voucher_detail(actor_id=intermediary.id, voucher_id=voucher.id).voucher.status == VoucherStatus.ISSUED
        assert [row.id for row in list_vouchers(actor_id=intermediary.id, query=issued_filter).rows] == [voucher.id]
        assert list_vouchers(actor_id=intermediary.id, query=expired_filter).rows == []

    with fixed_clock(_local(last_day + timedelta(days=1), 0, 0)):
        assert voucher_detail(actor_id=intermediary.id, voucher_id=voucher.id).voucher.status == VoucherStatus.EXPIRED
        assert [row.id for row in list_vouchers(actor_id=intermediary.id, query=expired_filter).rows] == [voucher.id]
        assert list_vouchers(actor_id=intermediary.id, query=issued_filter).rows == []


def test_expired_voucher_cannot_be_personalised(validity, intermediary):
    last_day = date(2026, 10, 25)
    voucher = _issue_with_last_day(intermediary, last_day)

    with fixed_clock(_local(last_day, 23, 59)):
        personalise_voucher(
            actor_id=intermediary.id, voucher_id=voucher.id, first_name="Jan", last_name="", birth_date=""
        )
    with fixed_clock(_local(last_day + timedelta(days=1), 0, 0)), pytest.raises(VoucherExpiredUnchangeable):
        personalise_voucher(
            actor_id=intermediary.id, voucher_id=voucher.id, first_name="Piet", last_name="", birth_date=""
        )
