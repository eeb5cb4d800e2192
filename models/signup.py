"""Invitations and password resets: one-time links sent by mail, stored only as SHA-256 hashes."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, enum_column_type
from models.user import Role


class Invitation(SQLModel, table=True):
    """An administrator's invitation to create an account with a given role and organisation.

    Open means not accepted and not revoked; an open invitation past `expires_at` is expired.
    A resend replaces `token_hash`, so the previous link stops working.
    """

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    role: Role = Field(sa_type=enum_column_type(Role))
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: int = Field(foreign_key="user_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime = Field(sa_type=UTCDateTime)
    send_count: int = 1
    expires_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PasswordReset(SQLModel, table=True):
    """A forgotten-password link; a newer request for the same account ends the older ones."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when a newer link for the same account replaced this one.
    replaced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
