"""Server-side sessions: starting one from a login hand-off, resolving it, ending it.

The password and code steps (`services.login`) end with a one-time hand-off secret. The browser
follows it to an HTTP route, which calls `complete_login`, sets the session cookie and replaces
NiceGUI's browser id, so the identifier changes at login.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import update
from sqlmodel import Session, col, select

from models import AuthSession, LoginAttempt, Organisation, Role, User
from services.clock import utc_now
from services.conduct import version_to_accept
from services.db import read_session, write_session
from services.errors import LoginExpired
from services.settings import get_settings

logger = logging.getLogger(__name__)

# Writing last_seen_at on every page view would make each read a write; a minute is precise enough.
LAST_SEEN_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionUser:
    """The logged-in user as pages need it; services reload and recheck the user on every call."""

    id: int
    name: str
    email: str
    role: Role
    organisation_id: int
    organisation_name: str
    organisation_is_library: bool
    # The code-of-conduct version the user still has to accept before anything else, or None.
    conduct_version_due: int | None = None
    # The language the user chose ("nl" or "en"), or None if they never chose one.
    locale: str | None = None


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a random token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def safe_redirect_target(target: str | None) -> str:
    """Return `target` if it is a local path on this site, otherwise "/"."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def complete_login(*, handoff: str) -> tuple[str, str]:
    """Use a hand-off secret once; returns the new session token and the local redirect target."""
    now = utc_now()
    token = secrets.token_urlsafe(32)
    with write_session() as session:
        statement = select(LoginAttempt).where(LoginAttempt.handoff_hash == hash_token(handoff)).with_for_update()
        attempt = session.exec(statement).first()
        if (
            attempt is None
            or attempt.user_id is None
            or attempt.completed_at is not None
            or attempt.handoff_expires_at is None
            or attempt.handoff_expires_at < now
        ):
            raise LoginExpired()
        attempt.completed_at = now
        session.add(attempt)
        session.add(
            AuthSession(token_hash=hash_token(token), user_id=attempt.user_id, created_at=now, last_seen_at=now)
        )
        session.exec(update(User).where(col(User.id) == attempt.user_id).values(last_login_at=now))
        redirect_to = attempt.redirect_to
    logger.info("session started user=%d", attempt.user_id)
    return token, redirect_to


def resolve_session(token: str | None, *, touch: bool = True) -> SessionUser | None:
    """Return the user of a live session, or None when it is unknown, ended, idle or too old.

    Pages call this on every action, so it reads without the write lock and writes only when the
    session ends or `last_seen_at` is due for an update. With `touch=False` the check does not
    count as activity, for checks the user did not cause (live updates).
    """
    if not token:
        return None
    settings = get_settings()
    now = utc_now()
    with read_session() as session:
        auth_session = session.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()
        if auth_session is None or auth_session.ended_at is not None:
            return None
        idle = now - auth_session.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
        too_old = now - auth_session.created_at > timedelta(hours=settings.session_absolute_hours)
        user = session.get(User, auth_session.user_id)
        organisation = session.get(Organisation, user.organisation_id) if user else None
        usable = user is not None and user.active and organisation is not None and organisation.active
        session_user = None
        if usable and not idle and not too_old:
            assert user is not None and organisation is not None
            session_user = SessionUser(
                id=user.id or 0,
                name=user.name,
                email=user.email,
                role=user.role,
                organisation_id=organisation.id or 0,
                organisation_name=organisation.name,
                organisation_is_library=organisation.is_library,
                conduct_version_due=version_to_accept(session, user.id or 0),
                locale=user.locale,
            )
    if session_user is None:
        _update_session(auth_session.id, ended_at=now)
    elif touch and now - auth_session.last_seen_at > LAST_SEEN_PRECISION:
        _update_session(auth_session.id, last_seen_at=now)
    return session_user


def _update_session(session_id: int | None, **values: object) -> None:
    # Only a live session changes, so two requests racing here cannot revive an ended one.
    with write_session() as session:
        session.exec(
            update(AuthSession)
            .where(col(AuthSession.id) == session_id, col(AuthSession.ended_at).is_(None))
            .values(**values)
        )


def end_session(token: str | None) -> None:
    """End the session of `token` on the server; unknown tokens are ignored."""
    if not token:
        return
    with write_session() as session:
        session.exec(
            update(AuthSession)
            .where(col(AuthSession.token_hash) == hash_token(token), col(AuthSession.ended_at).is_(None))
            .values(ended_at=utc_now())
        )
    logger.info("session ended")


def end_user_sessions(session: Session, user_id: int, *, keep_token: str | None = None) -> int:
    """End every live session of `user_id` but the one of `keep_token`, in the caller's transaction.

    Returns how many sessions ended.
    """
    statement = update(AuthSession).where(col(AuthSession.user_id) == user_id, col(AuthSession.ended_at).is_(None))
    if keep_token:
        statement = statement.where(col(AuthSession.token_hash) != hash_token(keep_token))
    return session.exec(statement.values(ended_at=utc_now())).rowcount or 0
