"""Reimbursement batches after they are made: listing, statements, confirming payment and reopening.

A batch is open until an administrator confirms it as paid. Only an open batch can be
reopened: its vouchers go back to redeemed, so a later batch can take them again. Both
changes are conditional UPDATEs on the batch's status, so of a confirmation and a reopening
at the same moment exactly one succeeds.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import AuditEvent, BatchStatus, Organisation, ReimbursementBatch, User, Voucher, VoucherStatus
from models.voucher import format_batch_number
from services.audit import record_event
from services.clock import utc_now
from services.db import read_session, write_session
from services.errors import BatchAlreadyPaid, BatchNotFound, BatchNotOpen, BatchReopened
from services.events import VoucherEvent, publish
from services.permissions import Action, load_actor, require
from services.reimbursement import ZERO, Statement, StatementLine
from services.vouchers import clean_reason

logger = logging.getLogger(__name__)

Creator = aliased(User, name="batch_creator")
FilterLibrary = aliased(Organisation, name="batch_library")


@dataclass(frozen=True)
class BatchSummary:
    """One batch as the batch list shows it."""

    id: int
    number: str
    status: BatchStatus
    created_at: datetime
    created_by_name: str
    library_name: str | None
    period_from: date
    period_to: date
    voucher_count: int
    total_amount: Decimal
    paid_at: datetime | None
    reopened_at: datetime | None
    reopen_reason: str | None


def list_batches(*, actor_id: int) -> list[BatchSummary]:
    """Return every reimbursement batch, newest first."""
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.REIMBURSE)
        statement = (
            select(ReimbursementBatch, col(Creator.name), col(FilterLibrary.name))
            .join(Creator, col(Creator.id) == ReimbursementBatch.created_by_id)
            .outerjoin(FilterLibrary, col(FilterLibrary.id) == ReimbursementBatch.library_id)
            .order_by(col(ReimbursementBatch.id).desc())
        )
        return [_summary(batch, creator, library) for batch, creator, library in session.exec(statement)]


def _summary(batch: ReimbursementBatch, creator_name: str, library_name: str | None) -> BatchSummary:
    return BatchSummary(
        id=batch.id or 0,
        number=batch.number,
        status=batch.status,
        created_at=batch.created_at,
        created_by_name=creator_name,
        library_name=library_name,
        period_from=batch.period_from,
        period_to=batch.period_to,
        voucher_count=batch.voucher_count,
        total_amount=batch.total_amount,
        paid_at=batch.paid_at,
        reopened_at=batch.reopened_at,
        reopen_reason=batch.reopen_reason,
    )


def batch_statement(*, actor_id: int, batch_id: int) -> Statement:
    """Return the statement of a batch: per library the count, handling fees and membership costs."""
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.REIMBURSE)
        batch = _batch(session, batch_id)
        if batch.status == BatchStatus.REOPENED:
            raise BatchReopened(number=batch.number)
        library_name = session.get(Organisation, batch.library_id).name if batch.library_id else None  # type: ignore[union-attr]
        statement = (
            sa_select(
                col(Organisation.id),
                col(Organisation.name),
                func.count(col(Voucher.id)),
                func.sum(col(Voucher.reimbursed_handling_fee)),
                func.sum(col(Voucher.reimbursed_membership_cost)),
            )
            .join(Organisation, col(Organisation.id) == Voucher.redeemed_library_id)
            .where(col(Voucher.reimbursement_batch_id) == batch_id)
            .group_by(col(Organisation.id), col(Organisation.name))
            .order_by(col(Organisation.name))
        )
        lines = [
            StatementLine(library_id or 0, name, count, fees or ZERO, costs or ZERO)
            for library_id, name, count, fees, costs in session.exec(statement)  # type: ignore[call-overload]
        ]
    logger.info("batch statement read actor=%d batch=%d", actor_id, batch_id)
    return Statement(batch.period_from, batch.period_to, library_name, lines, batch_number=batch.number)


def confirm_batch_paid(*, actor_id: int, batch_id: int) -> None:
    """Record that the fund has paid an open batch, after which it can no longer be reopened."""
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.REIMBURSE)
        changed = session.exec(
            update(ReimbursementBatch)
            .where(col(ReimbursementBatch.id) == batch_id, col(ReimbursementBatch.status) == BatchStatus.OPEN)
            .values(status=BatchStatus.PAID, paid_at=utc_now(), paid_by_id=actor.id)
        ).rowcount
        if changed != 1:
            raise BatchNotOpen(number=_batch(session, batch_id).number)
        record_event(
            session,
            actor_id=actor.id,
            action="reimbursement.batch_paid",
            subject_type="reimbursement_batch",
            subject_id=batch_id,
            before={"status": BatchStatus.OPEN.value},
            after={"status": BatchStatus.PAID.value},
        )
    logger.info("reimbursement batch confirmed paid actor=%d batch=%d", actor_id, batch_id)


def reopen_batch(*, actor_id: int, batch_id: int, reason: str) -> None:
    """Cancel an open batch and put its vouchers back to redeemed. Raises BatchAlreadyPaid once it is paid."""
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.REIMBURSE)
        cleaned_reason = clean_reason(reason)
        now = utc_now()
        changed = session.exec(
            update(ReimbursementBatch)
            .where(col(ReimbursementBatch.id) == batch_id, col(ReimbursementBatch.status) == BatchStatus.OPEN)
            .values(status=BatchStatus.REOPENED, reopened_at=now, reopened_by_id=actor.id, reopen_reason=cleaned_reason)
        ).rowcount
        if changed != 1:
            _raise_not_reopenable(_batch(session, batch_id))

        voucher_rows = session.exec(
            select(Voucher.id, Voucher.organisation_id, Voucher.redeemed_library_id).where(
                col(Voucher.reimbursement_batch_id) == batch_id
            )
        ).all()
        session.exec(
            update(Voucher)
            .where(col(Voucher.reimbursement_batch_id) == batch_id, col(Voucher.status) == VoucherStatus.REIMBURSED)
            .values(
                status=VoucherStatus.REDEEMED,
                reimbursed_at=None,
                reimbursed_by_id=None,
                reimbursement_batch_id=None,
                reimbursed_handling_fee=None,
                reimbursed_membership_cost=None,
            )
        )
        _record_reopen_events(session, actor.id, batch_id, [row[0] or 0 for row in voucher_rows], cleaned_reason)

    logger.info("reimbursement batch reopened actor=%d batch=%d vouchers=%d", actor_id, batch_id, len(voucher_rows))
    organisation_ids = {value for _, *values in voucher_rows for value in values if value is not None}
    publish(
        VoucherEvent(
            action="voucher.reimbursement_reopened",
            voucher_ids=tuple(row[0] or 0 for row in voucher_rows),
            organisation_ids=tuple(sorted(organisation_ids)),
        )
    )


def _raise_not_reopenable(batch: ReimbursementBatch) -> None:
    if batch.status == BatchStatus.PAID:
        raise BatchAlreadyPaid(number=batch.number)
    raise BatchNotOpen(number=batch.number)


def _record_reopen_events(session: Session, actor_id: int, batch_id: int, voucher_ids: list[int], reason: str) -> None:
    now = utc_now()
    number = format_batch_number(batch_id)
    session.add_all(
        AuditEvent(
            occurred_at=now,
            actor_id=actor_id,
            action="voucher.reimbursement_reopened",
            voucher_id=voucher_id,
            subject_type="voucher",
            subject_id=voucher_id,
            before={"status": "reimbursed", "batch": number},
            after={"status": "redeemed"},
            reason=reason,
        )
        for voucher_id in voucher_ids
    )
    record_event(
        session,
        actor_id=actor_id,
        action="reimbursement.batch_reopened",
        subject_type="reimbursement_batch",
        subject_id=batch_id,
        before={"status": BatchStatus.OPEN.value},
        after={"status": BatchStatus.REOPENED.value},
        reason=reason,
    )


def _batch(session: Session, batch_id: int) -> ReimbursementBatch:
    batch = session.get(ReimbursementBatch, batch_id)
    if batch is None:
        raise BatchNotFound()
    return batch
