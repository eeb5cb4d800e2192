"""The retention job on a fixed clock: personal data goes after the period, the books stay."""

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from models import AuditEvent, ReimbursementBatch, Voucher, VoucherStatus
from services.clock import LOCAL_ZONE, fixed_clock
from services.db import PROJECT_ROOT, read_session, write_session
from services.redemption import redeem_voucher
from services.retention import RETENTION_ACTION, last_retention_run, remove_expired_personal_data, run_retention_loop
from services.settings import get_settings
from services.vouchers import HolderInput, issue_vouchers, withdraw_voucher

RETENTION_DAYS = 90
ENDED_AT = datetime(2026, 1, 10, 14, 0, tzinfo=UTC)
# Expired vouchers end at the local midnight after their last day.
LAST_DAY = date(2026, 1, 10)
LAST_DAY_ENDED_AT = datetime(2026, 1, 11, 0, 0, tzinfo=LOCAL_ZONE)
HOLDER = HolderInput(first_name="Łukasz", last_name="van der Wąsowski", birth_date="07-03-1985")


def _issue(user, holder=HOLDER):
    with fixed_clock(datetime(2026, 1, 2, 9, 0, tzinfo=UTC)):
        (voucher_id,) = issue_vouchers(actor_id=user.id, count=1, holders=[holder])
    return voucher_id


def _load(voucher_id):
    with read_session() as session:
        return session.get(Voucher, voucher_id)


def _reimburse(voucher_id, administrator_id, when):
    # Sets the fields a reimbursement batch sets, so this test does not depend on how batches are made.
    with write_session() as session:
        day = when.astimezone(LOCAL_ZONE).date()
        batch = ReimbursementBatch(created_at=when, created_by_id=administrator_id, period_from=day, period_to=day)
        session.add(batch)
        session.flush()
        session.exec(
            update(Voucher)
            .where(Voucher.id == voucher_id)
            .values(
                status=VoucherStatus.REIMBURSED,
                reimbursed_at=when,
                reimbursed_by_id=administrator_id,
                reimbursement_batch_id=batch.id,
            )
        )


@pytest.fixture
def vouchers(intermediary, desk_staff, administrator):
    """One voucher with holder details in every state, ended at ENDED_AT or LAST_DAY where it ends."""
    ids = {name: _issue(intermediary) for name in ("reimbursed", "withdrawn", "expired", "redeemed", "issued")}
    ids["reimbursed_anonymous"] = _issue(intermediary, HolderInput())
    with fixed_clock(ENDED_AT - timedelta(days=1)):
        for name in ("reimbursed", "redeemed", "reimbursed_anonymous"):
            redeem_voucher(
                actor_id=desk_staff.id,
                raw_code=_load(ids[name]).code,
                request_key=name,
                library_card_number=None if name == "reimbursed_anonymous" else "2000123456789",
            )
    _reimburse(ids["reimbursed"], administrator.id, ENDED_AT)
    _reimburse(ids["reimbursed_anonymous"], administrator.id, ENDED_AT)
    with fixed_clock(ENDED_AT):
        withdraw_voucher(actor_id=intermediary.id, voucher_id=ids["withdrawn"], reason="Bewoner verhuisd")
    with write_session() as session:
        session.exec(update(Voucher).where(Voucher.id == ids["expired"]).values(expires_on=LAST_DAY))
    return ids


def _books():
    """Return what the financial record consists of, per voucher and in totals."""
    with read_session() as session:
        rows = session.exec(select(Voucher).order_by(Voucher.id)).all()
    records = [
        (
            voucher.id,
            voucher.code,
            voucher.status,
            voucher.organisation_id,
            voucher.created_at,
            voucher.expires_on,
            voucher.redeemed_at,
            voucher.redeemed_library_id,
            voucher.reimbursed_at,
            voucher.reimbursement_batch_id,
            voucher.withdrawn_at,
        )
        for voucher in rows
    ]
    totals = Counter((voucher.status, voucher.organisation_id) for voucher in rows)
    return records, totals


def _has_personal_data(voucher_id):
    voucher = _load(voucher_id)
    values = (
        voucher.holder_first_name,
        voucher.holder_last_name,
        voucher.holder_birth_date,
        voucher.holder_search,
        voucher.library_card_number,
    )
    return any(value is not None for value in values)


def test_default_retention_is_90_days():
    assert get_settings().retention_days == RETENTION_DAYS


def test_nothing_removed_before_period(vouchers):
    with fixed_clock(ENDED_AT + timedelta(days=RETENTION_DAYS) - timedelta(minutes=1)):
        result = remove_expired_personal_data()

    assert result.removed == 0
    assert all(_has_personal_data(vouchers[name]) for name in ("reimbursed", "withdrawn", "expired", "redeemed"))


def test_reimbursed_and_withdrawn_removed_at_period_end(vouchers):
    books_before = _books()

    with fixed_clock(ENDED_AT + timedelta(days=RETENTION_DAYS)):
        result = remove_expired_personal_data()

    assert result.removed_by_status == {"reimbursed": 1, "withdrawn": 1}
    assert not _has_personal_data(vouchers["reimbursed"])
    assert not _has_personal_data(vouchers["withdrawn"])
    assert _load(vouchers["reimbursed"]).personal_data_removed_at == ENDED_AT + timedelta(days=RETENTION_DAYS)
    for kept in ("expired", "redeemed", "issued"):
        assert _has_personal_data(vouchers[kept]), kept
    assert _books() == books_before


def test_expired_removed_from_local_midnight(vouchers):
    due = LAST_DAY_ENDED_AT + timedelta(days=RETENTION_DAYS)

    with fixed_clock(due - timedelta(minutes=1)):
        remove_expired_personal_data()
    assert _has_personal_data(vouchers["expired"])

    with fixed_clock(due):
        result = remove_expired_personal_data()
    assert result.removed_by_status["expired"] == 1
    assert not _has_personal_data(vouchers["expired"])


def test_redeemed_and_issued_keep_details_forever(vouchers):
    books_before = _books()

    with fixed_clock(ENDED_AT + timedelta(days=10 * 365)):
        result = remove_expired_personal_data()

    assert result.removed_by_status == {"reimbursed": 1, "withdrawn": 1, "expired": 1}
    redeemed = _load(vouchers["redeemed"])
    assert redeemed.holder_last_name == "van der Wąsowski"
    assert redeemed.library_card_number == "2000123456789"
    issued = _load(vouchers["issued"])
    assert issued.holder_birth_date == date(1985, 3, 7)
    assert _books() == books_before


def test_second_run_removes_nothing_more(vouchers):
    with fixed_clock(ENDED_AT + timedelta(days=365)):
        first = remove_expired_personal_data()
        second = remove_expired_personal_data()

    assert first.removed == 3
    assert second.removed == 0


def test_retention_setting_changes_period(vouchers, monkeypatch):
    monkeypatch.setenv("BIEBVOUCHER_RETENTION_DAYS", "30")
    get_settings.cache_clear()

    with fixed_clock(ENDED_AT + timedelta(days=30)):
        result = remove_expired_personal_data()

    assert result.retention_days == 30
    assert result.removed_by_status == {"reimbursed": 1, "withdrawn": 1}


def test_run_records_one_audit_event_without_names(vouchers):
    with fixed_clock(ENDED_AT + timedelta(days=365)):
        remove_expired_personal_data()
        remove_expired_personal_data()

    with read_session() as session:
        runs = session.exec(select(AuditEvent).where(AuditEvent.action == RETENTION_ACTION)).all()
        trail = session.exec(select(AuditEvent)).all()
    assert len(runs) == 2
    assert runs[0].after == {"removed": 3, "reimbursed": 1, "withdrawn": 1, "expired": 1, "retention_days": 90}
    assert runs[0].actor_id is None
    assert runs[1].after == {"removed": 0, "retention_days": 90}
    text = json.dumps([[event.before, event.after, event.reason] for event in trail], ensure_ascii=False)
    for secret in ("Łukasz", "Wąsowski", "1985", "2000123456789"):
        assert secret not in text
    assert last_retention_run() == (ENDED_AT + timedelta(days=365), 0)


def test_last_run_none_before_first(database):
    assert last_retention_run() is None


async def test_loop_runs_once_at_start(database):
    task = asyncio.create_task(run_retention_loop(interval_seconds=3600))
    try:
        for _ in range(100):
            if last_retention_run() is not None:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    assert last_retention_run() is not None


def test_command_runs_retention(sqlite_database, tmp_path):
    environment = {**os.environ, "BIEBVOUCHER_DATABASE_URL": sqlite_database, "BIEBVOUCHER_DATA_DIR": str(tmp_path)}

    finished = subprocess.run(
        [sys.executable, "-m", "services.retention"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "personal data removed from 0 vouchers (none due); retention period 90 days"
    with read_session() as session:
        assert len(session.exec(select(AuditEvent).where(AuditEvent.action == RETENTION_ACTION)).all()) == 1
