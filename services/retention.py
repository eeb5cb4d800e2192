"""Retention of residents' personal data, run at start-up, daily, and as a command.

A set number of days (`BIEBVOUCHER_RETENTION_DAYS`) after a voucher was reimbursed or
withdrawn, or after its last valid day, the holder's first name, last name, date of birth,
folded search name and library card number are removed. The financial record stays:
code, organisations, dates, status, reimbursement batch. Issued and redeemed vouchers keep
their details, because a desk still compares them with an ID or the voucher awaits
reimbursement.

Run it by hand with `python -m services.retention`.
"""

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, update
from sqlmodel import col, select

from models import AuditEvent, Voucher, VoucherStatus
from services import db
from services.audit import PERSONAL_FIELDS, record_event
from services.clock import local_today, utc_now
from services.db import read_session, write_session
from services.errors import DatabaseUnavailable
from services.logging_setup import configure_logging
from services.settings import get_settings

logger = logging.getLogger(__name__)

RUN_INTERVAL_SECONDS = 24 * 60 * 60
RETENTION_ACTION = "privacy.retention_run"
# The voucher columns with personal data; services.audit keeps them out of the audit trail.
PERSONAL_COLUMNS = tuple(sorted(PERSONAL_FIELDS))


@dataclass(frozen=True)
class RetentionResult:
    """Outcome of one run: how many vouchers lost their personal data, per effective status."""

    ran_at: datetime
    retention_days: int
    removed_by_status: dict[str, int] = field(default_factory=dict)

    @property
    def removed(self) -> int:
        return sum(self.removed_by_status.values())


def removal_due(*, now: datetime, retention_days: int) -> ColumnElement[bool]:
    """Return the SQL condition for vouchers whose personal data must be removed at `now`."""
    cutoff = now - timedelta(days=retention_days)
    # An expired voucher ended at the local midnight after its last day (expires_on).
    last_day_limit = local_today(now) - timedelta(days=retention_days + 1)
    ended_long_enough = or_(
        and_(col(Voucher.status) == VoucherStatus.REIMBURSED, col(Voucher.reimbursed_at) <= cutoff),
        and_(col(Voucher.status) == VoucherStatus.WITHDRAWN, col(Voucher.withdrawn_at) <= cutoff),
        and_(col(Voucher.status) == VoucherStatus.ISSUED, col(Voucher.expires_on) <= last_day_limit),
    )
    has_personal_data = or_(*(getattr(Voucher, name).is_not(None) for name in PERSONAL_COLUMNS))
    return and_(ended_long_enough, has_personal_data)


def remove_expired_personal_data() -> RetentionResult:
    """Remove the personal data that is past its retention period, and record one audit event."""
    retention_days = get_settings().retention_days
    now = utc_now()
    logger.info("retention run started retention_days=%d", retention_days)
    with write_session() as session:
        # RETURNING gives exactly the rows this statement changed (SQLite 3.35+ and PostgreSQL).
        changed = session.exec(
            update(Voucher)
            .where(removal_due(now=now, retention_days=retention_days))
            .values(**dict.fromkeys(PERSONAL_COLUMNS), personal_data_removed_at=now)
            .returning(col(Voucher.status))
        ).all()
        counts = Counter(_ended_as(status) for (status,) in changed)
        result = RetentionResult(ran_at=now, retention_days=retention_days, removed_by_status=dict(counts))
        record_event(
            session,
            actor_id=None,
            action=RETENTION_ACTION,
            subject_type="retention",
            subject_id=None,
            after={"removed": result.removed, **result.removed_by_status, "retention_days": retention_days},
        )
    logger.info("retention run finished removed=%d by_status=%s", result.removed, result.removed_by_status)
    return result


def _ended_as(status: object) -> str:
    # An issued voucher only qualifies once it has expired.
    value = VoucherStatus(str(status))
    return VoucherStatus.EXPIRED.value if value == VoucherStatus.ISSUED else value.value


def last_retention_run() -> tuple[datetime, int] | None:
    """Return when the retention job last ran and how many vouchers it cleared, or None."""
    with read_session() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == RETENTION_ACTION).order_by(col(AuditEvent.id).desc())
        ).first()
    if event is None:
        return None
    return event.occurred_at, int((event.after or {}).get("removed", 0))


async def run_retention_loop(interval_seconds: float = RUN_INTERVAL_SECONDS) -> None:
    """Run the retention job now and then every `interval_seconds` until cancelled; started by main.py."""
    logger.info("retention job started interval_seconds=%d", interval_seconds)
    try:
        while True:
            try:
                await asyncio.to_thread(remove_expired_personal_data)
            except DatabaseUnavailable:
                logger.warning("retention run skipped: database unavailable; the next run tries again")
            except Exception:
                # Nothing was changed, because the run is one transaction, and the next run tries again.
                logger.exception("retention run failed")
            await asyncio.sleep(interval_seconds)
    finally:
        logger.info("retention job stopped")


def main() -> None:
    """Run the retention job once against the configured database and print the counts."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.data_dir)
    db.configure(settings.resolved_database_url)
    result = remove_expired_personal_data()
    details = ", ".join(f"{status} {count}" for status, count in sorted(result.removed_by_status.items()))
    print(
        f"personal data removed from {result.removed} vouchers ({details or 'none due'}); "
        f"retention period {result.retention_days} days"
    )


if __name__ == "__main__":
    main()
