"""Audit trail: every change adds one event in the same transaction as the change.

The trail keeps no personal data of residents: `record_event` replaces the values of
PERSONAL_FIELDS by REDACTED, so an event shows that a name changed but not the name, and
the retention job and erasure never have to rewrite history.
"""

from typing import Any

from sqlmodel import Session, col, select

from models import AuditEvent
from services.clock import utc_now

# Voucher fields that identify a resident. The card number is the resident's number in the library system.
PERSONAL_FIELDS = frozenset(
    {"holder_first_name", "holder_last_name", "holder_birth_date", "holder_search", "library_card_number"}
)
# Marker for a personal value that was present. None still means the field was empty.
REDACTED = "redacted"


def redact_personal(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return a copy of `values` with every non-empty personal field replaced by REDACTED."""
    if values is None:
        return None
    return {
        name: REDACTED if name in PERSONAL_FIELDS and value not in (None, "") else value
        for name, value in values.items()
    }


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
    """Add an audit event to the session; it commits or rolls back with the change itself.

    Personal fields in `before` and `after` are stored as REDACTED (see `redact_personal`).
    """
    event = AuditEvent(
        occurred_at=utc_now(),
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        voucher_id=voucher_id,
        before=redact_personal(before),
        after=redact_personal(after),
        reason=reason,
    )
    session.add(event)
    return event


def voucher_events(session: Session, voucher_id: int) -> list[AuditEvent]:
    """Return the audit events of one voucher, oldest first."""
    statement = select(AuditEvent).where(AuditEvent.voucher_id == voucher_id).order_by(col(AuditEvent.id))
    return list(session.exec(statement))
