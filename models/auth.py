"""Login attempts and server-side sessions."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class LoginAttempt(SQLModel, table=True):
    """A login in progress: password checked, waiting for its remaining steps and the hand-off.

    The hand-off secret travels once through an HTTP redirect, so the session cookie can be
    set (and NiceGUI's browser id replaced) outside the websocket.
    """

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    handoff_hash: str = Field(max_length=64, unique=True)
    redirect_to: str = Field(default="/", max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuthSession(SQLModel, table=True):
    """A logged-in browser; only the SHA-256 of its cookie token is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
