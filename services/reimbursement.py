"""Reimbursement: choosing redeemed vouchers by library and period and marking them reimbursed as one batch.

The administrator first gets a preview (the vouchers, their tariffs and the totals) and then
confirms it. Confirming runs conditional UPDATEs (`... WHERE id IN (...) AND status =
'redeemed' AND reimbursement_batch_id IS NULL`) in one transaction and compares the row
count with the preview: when another batch took one of the vouchers first, or a voucher
changed, the whole batch is rolled back. So a voucher is never in two batches.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, insert, update
from sqlmodel import Session, col, select

from models import AuditEvent, BatchStatus, Organisation, ReimbursementBatch, Voucher, VoucherStatus
from models.voucher import format_batch_number
from services.audit import record_event
from services.clock import LOCAL_ZONE, local_today, utc_now
from services.db import read_session, write_session
from services.errors import (
    BatchChanged,
    InvalidPeriod,
    LibraryNotFound,
    NothingToReimburse,
    PeriodRequired,
)
from services.events import VoucherEvent, publish
from services.permissions import Action, load_actor, require
from services.settings import get_settings
from services.tariffs import Tariff, tariff_end, tariff_on

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")
# Voucher ids per UPDATE statement, well below SQLite's and PostgreSQL's limits on bound parameters.
IDS_PER_STATEMENT = 500


@dataclass(frozen=True)
class ReimbursementFilter:
    """Redeemed vouchers to reimburse: redemption dates from and through (Europe/Amsterdam), one library or all."""

    period_from: date
    period_to: date
    library_id: int | None = None


@dataclass(frozen=True)
class StatementLine:
    """Count and amounts of one library in a preview or a batch statement."""

    library_id: int
    library_name: str
    voucher_count: int
    handling_fees: Decimal
    membership_costs: Decimal

    @property
    def total(self) -> Decimal:
        return self.handling_fees + self.membership_costs


@dataclass(frozen=True)
class Statement:
    """Per-library lines with their grand totals, for a preview or a batch."""

    period_from: date
    period_to: date
    library_name: str | None
    lines: list[StatementLine]
    batch_number: str | None = None

    @property
    def voucher_count(self) -> int:
        return sum(line.voucher_count for line in self.lines)

    @property
    def handling_fees(self) -> Decimal:
        return sum((line.handling_fees for line in self.lines), ZERO)

    @property
    def membership_costs(self) -> Decimal:
        return sum((line.membership_costs for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.handling_fees + self.membership_costs


@dataclass(frozen=True)
class ReimbursementPreview:
    """Statement and voucher ids per applicable tariff, as shown before confirming a batch."""

    selection: ReimbursementFilter
    statement: Statement
    ids_per_tariff: dict[Tariff, tuple[int, ...]] = field(default_factory=dict)
    # Redeemed vouchers of the same library choice, in no batch, redeemed before the period.
    waiting_before: int = 0

    @property
    def voucher_ids(self) -> list[int]:
        return [voucher_id for ids in self.ids_per_tariff.values() for voucher_id in ids]


def check_filter(period_from: date | None, period_to: date | None, library_id: int | None) -> ReimbursementFilter:
    """Return a complete filter, or raise PeriodRequired or InvalidPeriod."""
    if period_from is None or period_to is None:
        raise PeriodRequired()
    if period_from > period_to:
        raise InvalidPeriod()
    return ReimbursementFilter(period_from=period_from, period_to=period_to, library_id=library_id)


def preview_reimbursement(*, actor_id: int, selection: ReimbursementFilter) -> ReimbursementPreview:
    """Return the redeemed, not yet reimbursed vouchers matching `selection` with their amounts."""
    check_filter(selection.period_from, selection.period_to, selection.library_id)
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.REIMBURSE)
        library_name = _library_name(session, selection.library_id)
        # Ordered by id, and the tariffs by date below, so two batches lock shared rows in the same
        # order on PostgreSQL and the loser waits instead of deadlocking.
        statement = (
            select(Voucher.id, Voucher.redeemed_library_id, Voucher.redeemed_at)
            .where(*_waiting_vouchers(selection))
            .order_by(col(Voucher.id))
        )
        rows = session.exec(statement).all()
        waiting_before = _count_waiting_before(session, selection)
        names = _library_names(session, {library_id for _, library_id, _ in rows if library_id is not None})

    tariffs = get_settings().tariffs
    ids_per_tariff: dict[Tariff, list[int]] = defaultdict(list)
    amounts: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), ZERO, ZERO])
    for voucher_id, library_id, redeemed_at in rows:
        assert redeemed_at is not None  # the period condition excludes vouchers that were never redeemed
        tariff = tariff_on(tariffs, redeemed_at.astimezone(LOCAL_ZONE).date())
        ids_per_tariff[tariff].append(voucher_id or 0)
        line = amounts[library_id or 0]
        line[0] += 1
        line[1] += tariff.handling_fee
        line[2] += tariff.membership_cost

    lines = [
        StatementLine(library_id, names.get(library_id, "?"), int(count), fees, costs)
        for library_id, (count, fees, costs) in amounts.items()
    ]
    lines.sort(key=lambda line: line.library_name)
    logger.info("reimbursement previewed actor=%d vouchers=%d", actor_id, len(rows))
    return ReimbursementPreview(
        selection=selection,
        statement=Statement(selection.period_from, selection.period_to, library_name, lines),
        ids_per_tariff={tariff: tuple(ids_per_tariff[tariff]) for tariff in sorted(ids_per_tariff, key=_start)},
        waiting_before=waiting_before,
    )


def _count_waiting_before(session: Session, selection: ReimbursementFilter) -> int:
    """Count the redeemed vouchers in no batch that were redeemed before the period starts."""
    conditions = [
        *_unbatched_redemptions(selection.library_id),
        col(Voucher.redeemed_at) < local_midnight(selection.period_from),
    ]
    return session.exec(select(func.count()).select_from(Voucher).where(*conditions)).one()


def _start(tariff: Tariff) -> date:
    return tariff.starts_on


def mark_reimbursed(*, actor_id: int, preview: ReimbursementPreview) -> int:
    """Mark exactly the previewed vouchers reimbursed as one new batch; returns the batch id."""
    expected = len(preview.voucher_ids)
    if expected == 0:
        raise NothingToReimburse()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.REIMBURSE)
        _library_name(session, preview.selection.library_id)

        now = utc_now()
        batch = ReimbursementBatch(
            created_at=now,
            created_by_id=actor.id,
            period_from=preview.selection.period_from,
            period_to=preview.selection.period_to,
            library_id=preview.selection.library_id,
            voucher_count=expected,
            total_amount=preview.statement.total,
        )
        session.add(batch)
        session.flush()
        batch_id = batch.id or 0

        marked = _mark_vouchers(session, preview, batch_id, actor.id, now)
        if marked != expected:
            logger.info("reimbursement batch rejected actor=%d expected=%d marked=%d", actor_id, expected, marked)
            raise BatchChanged(changed=expected - marked, expected=expected)

        _record_batch_events(session, actor.id, batch_id, preview)
        organisation_ids = _organisations_involved(session, preview.voucher_ids)

    logger.info("reimbursement batch created actor=%d batch=%d vouchers=%d", actor_id, batch_id, expected)
    publish(
        VoucherEvent(
            action="voucher.reimbursed", voucher_ids=tuple(preview.voucher_ids), organisation_ids=organisation_ids
        )
    )
    return batch_id


def _mark_vouchers(session: Session, preview: ReimbursementPreview, batch_id: int, actor_id: int, now: datetime) -> int:
    tariffs = get_settings().tariffs
    marked = 0
    for tariff, ids in preview.ids_per_tariff.items():
        # The tariff's own date range is part of the condition, so a voucher whose redemption moved
        # to another tariff's range since the preview is not marked with the wrong amounts.
        in_tariff = _redeemed_between(tariff.starts_on, tariff_end(tariffs, tariff))
        for start in range(0, len(ids), IDS_PER_STATEMENT):
            chunk = ids[start : start + IDS_PER_STATEMENT]
            marked += session.exec(
                update(Voucher)
                .where(col(Voucher.id).in_(chunk), *_waiting_vouchers(preview.selection), *in_tariff)
                .values(
                    status=VoucherStatus.REIMBURSED,
                    reimbursed_at=now,
                    reimbursed_by_id=actor_id,
                    reimbursement_batch_id=batch_id,
                    reimbursed_handling_fee=tariff.handling_fee,
                    reimbursed_membership_cost=tariff.membership_cost,
                )
            ).rowcount
    return marked


def _record_batch_events(session: Session, actor_id: int, batch_id: int, preview: ReimbursementPreview) -> None:
    now = utc_now()
    rows: list[dict[str, Any]] = [
        {
            "occurred_at": now,
            "actor_id": actor_id,
            "action": "voucher.reimbursed",
            "voucher_id": voucher_id,
            "subject_type": "voucher",
            "subject_id": voucher_id,
            "before": {"status": "redeemed"},
            "after": {"status": "reimbursed", "batch": format_batch_number(batch_id)},
        }
        for voucher_id in preview.voucher_ids
    ]
    session.exec(insert(AuditEvent), params=rows)
    selection = preview.selection
    record_event(
        session,
        actor_id=actor_id,
        action="reimbursement.batch_created",
        subject_type="reimbursement_batch",
        subject_id=batch_id,
        after={
            "status": BatchStatus.OPEN.value,
            "period_from": selection.period_from.isoformat(),
            "period_to": selection.period_to.isoformat(),
            "library_id": selection.library_id,
            "voucher_count": preview.statement.voucher_count,
            "total_amount": str(preview.statement.total),
        },
    )


def _waiting_vouchers(selection: ReimbursementFilter) -> list[ColumnElement[bool]]:
    """Return the conditions for redeemed vouchers in `selection` that are in no batch yet."""
    return [
        *_unbatched_redemptions(selection.library_id),
        *_redeemed_between(selection.period_from, selection.period_to + timedelta(days=1)),
    ]


def _unbatched_redemptions(library_id: int | None) -> list[ColumnElement[bool]]:
    """Return the conditions for redeemed vouchers in no batch, at `library_id` when it is given."""
    conditions = [
        col(Voucher.status) == VoucherStatus.REDEEMED,
        col(Voucher.reimbursement_batch_id).is_(None),
    ]
    if library_id is not None:
        conditions.append(col(Voucher.redeemed_library_id) == library_id)
    return conditions


def _redeemed_between(first_day: date, end_day: date | None) -> list[ColumnElement[bool]]:
    """Return the conditions for a redemption from midnight of `first_day` until midnight of `end_day` (Amsterdam)."""
    conditions = [col(Voucher.redeemed_at) >= local_midnight(first_day)]
    if end_day is not None:
        conditions.append(col(Voucher.redeemed_at) < local_midnight(end_day))
    return conditions


def local_midnight(day: date) -> datetime:
    """Return the start of `day` in Europe/Amsterdam as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE)


def _library_name(session: Session, library_id: int | None) -> str | None:
    if library_id is None:
        return None
    library = session.get(Organisation, library_id)
    if library is None or not library.is_library:
        raise LibraryNotFound()
    return library.name


def _library_names(session: Session, library_ids: set[int]) -> dict[int, str]:
    if not library_ids:
        return {}
    statement = select(Organisation.id, Organisation.name).where(col(Organisation.id).in_(library_ids))
    return {library_id or 0: name for library_id, name in session.exec(statement)}


def _organisations_involved(session: Session, voucher_ids: list[int]) -> tuple[int, ...]:
    involved: set[int] = set()
    for start in range(0, len(voucher_ids), IDS_PER_STATEMENT):
        chunk = voucher_ids[start : start + IDS_PER_STATEMENT]
        statement = (
            select(Voucher.organisation_id, Voucher.redeemed_library_id).where(col(Voucher.id).in_(chunk)).distinct()
        )
        for organisation_id, library_id in session.exec(statement):
            involved.update(value for value in (organisation_id, library_id) if value is not None)
    return tuple(sorted(involved))


def default_period(today: date | None = None) -> tuple[date, date]:
    """Return the previous calendar month, the period an administrator usually reimburses."""
    first_of_this_month = (today or local_today()).replace(day=1)
    last_of_previous = first_of_this_month - timedelta(days=1)
    return last_of_previous.replace(day=1), last_of_previous
