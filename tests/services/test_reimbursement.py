import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import func, select

from models import AuditEvent, BatchStatus, OrganisationKind, ReimbursementBatch, Role, Voucher, VoucherStatus
from services.db import read_session
from services.errors import (
    BatchAlreadyPaid,
    BatchChanged,
    BatchNotOpen,
    BatchReopened,
    InvalidPeriod,
    LibraryNotFound,
    NoTariff,
    NothingToReimburse,
    PeriodRequired,
    PermissionDenied,
    ReasonRequired,
)
from services.reimbursement import ReimbursementFilter, check_filter, mark_reimbursed, preview_reimbursement
from services.reimbursement_batches import batch_statement, confirm_batch_paid, list_batches, reopen_batch
from tests.factories import make_organisation, make_user
from tests.services.reimbursement_helpers import make_redeemed, make_voucher, use_tariffs, utc

JUNE_JULY = ReimbursementFilter(period_from=date(2026, 6, 1), period_to=date(2026, 7, 31))


@pytest.fixture
def second_desk(database):
    return make_user(Role.LIBRARY_STAFF, make_organisation(OrganisationKind.LIBRARY, name="Bibliotheek Venlo"))


@pytest.fixture
def june_july_vouchers(monkeypatch, intermediary, desk_staff, second_desk):
    """Redemptions around the tariff change of 1 July 2026 and around the period's bounds."""
    use_tariffs(monkeypatch)
    inside = [
        # 30 June 23:30 in Amsterdam (UTC+2): the old tariff.
        make_redeemed(intermediary, desk_staff, utc(2026, 6, 30, 21, 30)),
        # 1 July 00:30 in Amsterdam: the new tariff.
        make_redeemed(intermediary, desk_staff, utc(2026, 6, 30, 22, 30)),
        make_redeemed(intermediary, second_desk, utc(2026, 6, 15)),
        make_redeemed(intermediary, second_desk, utc(2026, 7, 15)),
        make_redeemed(intermediary, second_desk, utc(2026, 7, 20)),
    ]
    # 31 May 23:59 and 1 August 00:00 in Amsterdam: outside the period.
    make_redeemed(intermediary, desk_staff, utc(2026, 5, 31, 21, 59))
    make_redeemed(intermediary, desk_staff, utc(2026, 7, 31, 22, 0))
    make_voucher(intermediary, created_at=utc(2026, 6, 10))
    return inside


def _batch_ids_of(voucher_ids):
    with read_session() as session:
        return {
            voucher.id: voucher.reimbursement_batch_id
            for voucher in session.exec(select(Voucher))
            if voucher.id in voucher_ids
        }


def _voucher(voucher_id):
    with read_session() as session:
        return session.get(Voucher, voucher_id)


def _batch(batch_id):
    with read_session() as session:
        return session.get(ReimbursementBatch, batch_id)


def test_preview_totals_with_tariff_change(administrator, june_july_vouchers, library):
    preview = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)

    statement = preview.statement
    assert sorted(preview.voucher_ids) == sorted(june_july_vouchers)
    lines = {line.library_name: line for line in statement.lines}
    assert set(lines) == {library.name, "Bibliotheek Venlo"}
    first, second = lines[library.name], lines["Bibliotheek Venlo"]
    assert (first.voucher_count, first.handling_fees, first.membership_costs) == (2, Decimal("5.50"), Decimal("61.50"))
    assert first.total == Decimal("67.00")
    assert (second.voucher_count, second.handling_fees, second.membership_costs) == (
        3,
        Decimal("8.50"),
        Decimal("93.00"),
    )
    assert second.total == Decimal("101.50")
    assert statement.voucher_count == 5
    assert statement.handling_fees == Decimal("14.00")
    assert statement.membership_costs == Decimal("154.50")
    assert statement.total == Decimal("168.50")


def test_preview_filters_one_library(administrator, june_july_vouchers, library):
    selection = ReimbursementFilter(JUNE_JULY.period_from, JUNE_JULY.period_to, library_id=library.id)

    statement = preview_reimbursement(actor_id=administrator.id, selection=selection).statement

    assert statement.library_name == library.name
    assert [line.library_name for line in statement.lines] == [library.name]
    assert statement.total == Decimal("67.00")


def test_preview_counts_vouchers_waiting_before(administrator, june_july_vouchers, library, second_desk):
    for_library = ReimbursementFilter(JUNE_JULY.period_from, JUNE_JULY.period_to, library_id=library.id)
    for_venlo = ReimbursementFilter(JUNE_JULY.period_from, JUNE_JULY.period_to, library_id=second_desk.organisation_id)

    everywhere = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    at_library = preview_reimbursement(actor_id=administrator.id, selection=for_library)
    at_venlo = preview_reimbursement(actor_id=administrator.id, selection=for_venlo)

    # Only the redemption of 31 May 23:59 lies before the period.
    assert everywhere.waiting_before == 1
    assert at_library.waiting_before == 1
    assert at_venlo.waiting_before == 0


def test_mark_stores_tariff_per_voucher(administrator, june_july_vouchers):
    preview = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)

    batch_id = mark_reimbursed(actor_id=administrator.id, preview=preview)

    old_tariff, new_tariff = _voucher(june_july_vouchers[0]), _voucher(june_july_vouchers[1])
    assert old_tariff.status == VoucherStatus.REIMBURSED
    assert old_tariff.reimbursement_batch_id == batch_id
    assert old_tariff.reimbursed_at is not None
    assert (old_tariff.reimbursed_handling_fee, old_tariff.reimbursed_membership_cost) == (
        Decimal("2.50"),
        Decimal("30.00"),
    )
    assert (new_tariff.reimbursed_handling_fee, new_tariff.reimbursed_membership_cost) == (
        Decimal("3.00"),
        Decimal("31.50"),
    )
    batch = _batch(batch_id)
    assert batch.status == BatchStatus.OPEN
    assert batch.voucher_count == 5
    assert batch.total_amount == Decimal("168.50")
    assert (batch.period_from, batch.period_to, batch.library_id) == (date(2026, 6, 1), date(2026, 7, 31), None)


def test_mark_records_audit_events(administrator, june_july_vouchers):
    preview = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)

    batch_id = mark_reimbursed(actor_id=administrator.id, preview=preview)

    with read_session() as session:
        voucher_events = session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.reimbursed")).all()
        batch_events = session.exec(select(AuditEvent).where(AuditEvent.subject_type == "reimbursement_batch")).all()
    assert sorted(event.voucher_id for event in voucher_events) == sorted(june_july_vouchers)
    assert [(event.action, event.subject_id) for event in batch_events] == [("reimbursement.batch_created", batch_id)]
    assert batch_events[0].after["total_amount"] == "168.50"


def test_statement_matches_preview(administrator, june_july_vouchers):
    preview = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    batch_id = mark_reimbursed(actor_id=administrator.id, preview=preview)

    statement = batch_statement(actor_id=administrator.id, batch_id=batch_id)

    assert sorted(statement.lines, key=str) == sorted(preview.statement.lines, key=str)
    assert statement.batch_number == f"{batch_id:05d}"
    assert statement.total == Decimal("168.50")


def test_statement_keeps_amounts_after_tariff_change(monkeypatch, administrator, june_july_vouchers):
    batch_id = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )

    use_tariffs(monkeypatch, [{"from": "2020-01-01", "handling_fee": "9.99", "membership_cost": "99.99"}])

    assert batch_statement(actor_id=administrator.id, batch_id=batch_id).total == Decimal("168.50")


def test_reimbursed_vouchers_leave_next_preview(administrator, june_july_vouchers):
    mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )

    again = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)

    assert again.voucher_ids == []
    with pytest.raises(NothingToReimburse):
        mark_reimbursed(actor_id=administrator.id, preview=again)


def test_stale_preview_marks_nothing(administrator, june_july_vouchers, library):
    stale = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    one_library = ReimbursementFilter(JUNE_JULY.period_from, JUNE_JULY.period_to, library_id=library.id)
    mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=one_library)
    )

    with pytest.raises(BatchChanged) as raised:
        mark_reimbursed(actor_id=administrator.id, preview=stale)

    assert raised.value.params == {"changed": 2, "expected": 5}
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(ReimbursementBatch)).one() == 1
    assert _voucher(june_july_vouchers[2]).status == VoucherStatus.REDEEMED


def _race(administrator, previews):
    """Confirm every preview at the same moment, each on its own thread and connection."""
    barrier = threading.Barrier(len(previews))
    outcomes = []
    lock = threading.Lock()

    def confirm(preview):
        barrier.wait()
        try:
            mark_reimbursed(actor_id=administrator.id, preview=preview)
            outcome = "marked"
        except BatchChanged:
            outcome = "changed"
        except Exception as error:  # noqa: BLE001  (any other outcome is what this test reports)
            outcome = repr(error)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=confirm, args=(preview,)) for preview in previews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("round_number", range(3))
def test_simultaneous_batches_take_voucher_once(
    monkeypatch, administrator, intermediary, desk_staff, library, round_number
):
    use_tariffs(monkeypatch)
    voucher_ids = [make_redeemed(intermediary, desk_staff, utc(2026, 6, day)) for day in (3, 4, 5)]
    all_libraries = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    one_library = preview_reimbursement(
        actor_id=administrator.id,
        selection=ReimbursementFilter(JUNE_JULY.period_from, JUNE_JULY.period_to, library_id=library.id),
    )

    outcomes = _race(administrator, [all_libraries, one_library])

    assert sorted(outcomes) == ["changed", "marked"]
    batches = set(_batch_ids_of(voucher_ids).values())
    assert len(batches) == 1
    assert None not in batches
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(ReimbursementBatch)).one() == 1
        events = session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "voucher.reimbursed")
        ).one()
    assert events == 3


def test_reopen_puts_vouchers_back(administrator, june_july_vouchers):
    batch_id = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )

    reopen_batch(actor_id=administrator.id, batch_id=batch_id, reason="Verkeerde periode gekozen")

    voucher = _voucher(june_july_vouchers[0])
    assert voucher.status == VoucherStatus.REDEEMED
    assert voucher.reimbursement_batch_id is None
    assert voucher.reimbursed_at is None
    assert voucher.reimbursed_handling_fee is None
    batch = _batch(batch_id)
    assert batch.status == BatchStatus.REOPENED
    assert batch.reopen_reason == "Verkeerde periode gekozen"
    assert batch.voucher_count == 5
    assert sorted(preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY).voucher_ids) == sorted(
        june_july_vouchers
    )
    with read_session() as session:
        reasons = session.exec(
            select(AuditEvent.reason).where(AuditEvent.action == "reimbursement.batch_reopened")
        ).all()
    assert reasons == ["Verkeerde periode gekozen"]


def test_reopen_refused_after_paid(administrator, june_july_vouchers):
    batch_id = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )
    confirm_batch_paid(actor_id=administrator.id, batch_id=batch_id)

    with pytest.raises(BatchAlreadyPaid):
        reopen_batch(actor_id=administrator.id, batch_id=batch_id, reason="Te laat gezien")

    assert _batch(batch_id).status == BatchStatus.PAID
    assert _batch(batch_id).paid_by_id == administrator.id
    assert _voucher(june_july_vouchers[0]).status == VoucherStatus.REIMBURSED


def test_reopen_needs_reason(administrator, june_july_vouchers):
    batch_id = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )

    with pytest.raises(ReasonRequired):
        reopen_batch(actor_id=administrator.id, batch_id=batch_id, reason="   ")

    assert _batch(batch_id).status == BatchStatus.OPEN


def test_reopened_batch_not_confirmed_or_reopened(administrator, june_july_vouchers):
    batch_id = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )
    reopen_batch(actor_id=administrator.id, batch_id=batch_id, reason="Dubbel")

    with pytest.raises(BatchNotOpen):
        confirm_batch_paid(actor_id=administrator.id, batch_id=batch_id)
    with pytest.raises(BatchNotOpen):
        reopen_batch(actor_id=administrator.id, batch_id=batch_id, reason="Nogmaals")
    with pytest.raises(BatchReopened):
        batch_statement(actor_id=administrator.id, batch_id=batch_id)


def test_confirm_paid_twice_refused(administrator, june_july_vouchers):
    batch_id = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )
    confirm_batch_paid(actor_id=administrator.id, batch_id=batch_id)

    with pytest.raises(BatchNotOpen):
        confirm_batch_paid(actor_id=administrator.id, batch_id=batch_id)


def test_list_batches_newest_first(administrator, june_july_vouchers, library):
    one_library = ReimbursementFilter(JUNE_JULY.period_from, JUNE_JULY.period_to, library_id=library.id)
    first = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=one_library)
    )
    second = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )

    batches = list_batches(actor_id=administrator.id)

    assert [batch.id for batch in batches] == [second, first]
    assert batches[1].library_name == library.name
    assert batches[0].library_name is None
    assert [batch.total_amount for batch in batches] == [Decimal("101.50"), Decimal("67.00")]
    assert batches[0].created_by_name == administrator.name


@pytest.mark.parametrize("role_fixture", ["intermediary", "desk_staff"])
def test_only_administrators_reimburse(request, role_fixture, administrator, june_july_vouchers):
    other = request.getfixturevalue(role_fixture)
    preview = preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)

    with pytest.raises(PermissionDenied):
        preview_reimbursement(actor_id=other.id, selection=JUNE_JULY)
    with pytest.raises(PermissionDenied):
        mark_reimbursed(actor_id=other.id, preview=preview)
    with pytest.raises(PermissionDenied):
        list_batches(actor_id=other.id)
    assert _voucher(june_july_vouchers[0]).status == VoucherStatus.REDEEMED


@pytest.mark.parametrize("role_fixture", ["intermediary", "desk_staff"])
def test_only_administrators_handle_batches(request, role_fixture, administrator, june_july_vouchers):
    other = request.getfixturevalue(role_fixture)
    batch_id = mark_reimbursed(
        actor_id=administrator.id, preview=preview_reimbursement(actor_id=administrator.id, selection=JUNE_JULY)
    )

    with pytest.raises(PermissionDenied):
        batch_statement(actor_id=other.id, batch_id=batch_id)
    with pytest.raises(PermissionDenied):
        confirm_batch_paid(actor_id=other.id, batch_id=batch_id)
    with pytest.raises(PermissionDenied):
        reopen_batch(actor_id=other.id, batch_id=batch_id, reason="Geen recht")
    assert _batch(batch_id).status == BatchStatus.OPEN


def test_filter_needs_both_dates():
    with pytest.raises(PeriodRequired):
        check_filter(date(2026, 6, 1), None, None)
    with pytest.raises(PeriodRequired):
        check_filter(None, date(2026, 6, 1), None)


def test_filter_rejects_reversed_period():
    with pytest.raises(InvalidPeriod):
        check_filter(date(2026, 7, 1), date(2026, 6, 1), None)


def test_filter_rejects_intermediary_as_library(administrator, intermediary_organisation):
    selection = ReimbursementFilter(JUNE_JULY.period_from, JUNE_JULY.period_to, library_id=intermediary_organisation.id)

    with pytest.raises(LibraryNotFound):
        preview_reimbursement(actor_id=administrator.id, selection=selection)


def test_redemption_before_first_tariff_rejected(monkeypatch, administrator, intermediary, desk_staff):
    use_tariffs(monkeypatch)
    make_redeemed(intermediary, desk_staff, utc(2025, 12, 31))

    with pytest.raises(NoTariff) as raised:
        preview_reimbursement(
            actor_id=administrator.id, selection=ReimbursementFilter(date(2025, 12, 1), date(2026, 1, 31))
        )

    assert raised.value.params == {"day": date(2025, 12, 31), "first": date(2026, 1, 1)}
