"""Outgoing e-mail, kept in an outbox table until it is delivered."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, enum_column_type


class MailStatus(StrEnum):
    """Delivery state of a mail."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMail(SQLModel, table=True):
    """One e-mail; written in the transaction that causes it and delivered after the commit.

    The bodies are cleared once the mail is delivered, because they may hold a login code
    or a one-time link.
    """

    __tablename__ = "outbox_mail"
    __table_args__ = (sa.Index("ix_outbox_mail_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    template: str = Field(max_length=64)
    recipient: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    text_body: str = Field(sa_type=sa.Text)
    html_body: str = Field(sa_type=sa.Text)
    status: MailStatus = Field(default=MailStatus.QUEUED, sa_type=enum_column_type(MailStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
