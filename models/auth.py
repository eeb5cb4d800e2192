"""Login attempts, mailed login codes, login throttles and server-side sessions."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class LoginAttempt(SQLModel, table=True):
    """A login in progress: the password step is done, the code step and the hand-off follow.

    The login page keeps the attempt's secret and sends it with each code it checks. An attempt
    with `user_id` None never accepts a code: it is what an unknown address or a wrong password
    gets, so the response does not reveal whether an account exists. The hand-off secret travels once
    through an HTTP redirect, so the session cookie can be set (and NiceGUI's browser id
    replaced) outside the websocket.
    """

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    attempt_hash: str = Field(max_length=64, unique=True)
    redirect_to: str = Field(default="/", max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    # The code page stops working at this time, however many codes were sent.
    expires_at: datetime = Field(sa_type=UTCDateTime)
    # HMAC of the current code; None when no code is valid (used, replaced, too many wrong entries).
    code_hash: str | None = Field(default=None, max_length=64)
    code_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    code_failures: int = 0
    handoff_hash: str | None = Field(default=None, max_length=64, unique=True)
    handoff_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SentLoginCode(SQLModel, table=True):
    """One login code mailed to an account, kept to enforce the maximum of codes per hour."""

    __tablename__ = "sent_login_code"
    __table_args__ = (sa.Index("ix_sent_login_code_user_sent", "user_id", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    attempt_id: int = Field(foreign_key="login_attempt.id", index=True)
    sent_at: datetime = Field(sa_type=UTCDateTime)


class LoginThrottle(SQLModel, table=True):
    """Failed passwords counted per e-mail address or per client address, shared by every process.

    `key_hash` is the SHA-256 of the normalised e-mail address or of the client's IP address, so
    addresses that belong to no account (typing errors, guesses) are not stored in readable form.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (sa.UniqueConstraint("scope", "key_hash", name="uq_login_throttle_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=16)
    key_hash: str = Field(max_length=64)
    failures: int = 0
    window_started_at: datetime = Field(sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuthSession(SQLModel, table=True):
    """A logged-in browser; only the SHA-256 of its cookie token is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
