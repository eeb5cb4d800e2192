"""Audit trail: one row per change, written in the same transaction as the change."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class AuditEvent(SQLModel, table=True):
    """Record of one change: actor, time, action and the values before and after."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    # Dotted action names such as "voucher.redeemed".
    action: str = Field(max_length=60)
    voucher_id: int | None = Field(default=None, foreign_key="voucher.id", index=True)
    subject_type: str = Field(max_length=30)
    subject_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    reason: str | None = Field(default=None, max_length=500)
