"""Audit trail: every change adds one event in the same transaction as the change."""

from typing import Any

from sqlmodel import Session, col, select

from models import AuditEvent
from services.clock import utc_now


def record_event(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    voucher_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it commits or rolls back with the change itself."""
    event = AuditEvent(
        occurred_at=utc_now(),
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        voucher_id=voucher_id,
        before=before,
        after=after,
        reason=reason,
    )
    session.add(event)
    return event


def voucher_events(session: Session, voucher_id: int) -> list[AuditEvent]:
    """Return the audit events of one voucher, oldest first."""
    statement = select(AuditEvent).where(AuditEvent.voucher_id == voucher_id).order_by(col(AuditEvent.id))
    return list(session.exec(statement))
