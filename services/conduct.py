"""The code of conduct: publishing versions, the acceptance every user gives before working.

The version with the highest number is current. A user who has not accepted it gets
`conduct_version_due` in their session, and pages send them to the acceptance page first.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import ConductAcceptance, ConductVersion, Organisation, User
from services.audit import record_event
from services.clock import utc_now
from services.db import read_session, write_session
from services.errors import ConductTextEmpty, ConductTextTooLong, ConductTextUnchanged, ConductVersionOutdated
from services.permissions import Action, load_actor, require

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 20_000


@dataclass(frozen=True)
class ConductText:
    """One version of the code of conduct as pages show it."""

    version: int
    text: str
    published_at: datetime
    published_by_name: str | None


@dataclass(frozen=True)
class ConductStatus:
    """A user's latest acceptance of the code of conduct, for the administrators' list."""

    user_id: int
    name: str
    email: str
    organisation_name: str
    active: bool
    accepted_version: int | None
    accepted_at: datetime | None


def _current(session: Session) -> ConductVersion | None:
    statement = select(ConductVersion).order_by(col(ConductVersion.version).desc()).limit(1)
    return session.exec(statement).first()


def version_to_accept(session: Session, user_id: int) -> int | None:
    """Return the current version number if `user_id` has not accepted it yet, otherwise None."""
    current = _current(session)
    if current is None:
        return None
    statement = select(ConductAcceptance.id).where(
        ConductAcceptance.user_id == user_id, ConductAcceptance.version_id == current.id
    )
    return None if session.exec(statement).first() is not None else current.version


def current_conduct(*, actor_id: int) -> ConductText | None:
    """Return the current version, or None when none has been published."""
    with read_session() as session:
        load_actor(session, actor_id)
        current = _current(session)
        if current is None:
            return None
        publisher = session.get(User, current.published_by_id) if current.published_by_id else None
        return ConductText(current.version, current.text, current.published_at, publisher.name if publisher else None)


def last_accepted_version(*, actor_id: int) -> int | None:
    """Return the highest version the actor has accepted, or None when they never accepted one."""
    with read_session() as session:
        load_actor(session, actor_id)
        statement = (
            select(func.max(ConductVersion.version))
            .join(ConductAcceptance, col(ConductAcceptance.version_id) == ConductVersion.id)
            .where(ConductAcceptance.user_id == actor_id)
        )
        return session.exec(statement).one()


def accept_conduct(*, actor_id: int, version: int) -> None:
    """Record that the actor accepts `version`, which must still be the current one."""
    with write_session() as session:
        actor = load_actor(session, actor_id)
        current = _current(session)
        if current is None or current.version != version:
            raise ConductVersionOutdated()
        if version_to_accept(session, actor.id) is None:
            return
        session.add(ConductAcceptance(user_id=actor.id, version_id=current.id or 0, accepted_at=utc_now()))
    logger.info("code of conduct accepted user=%d version=%d", actor_id, version)


def check_new_conduct_text(*, actor_id: int, text: str) -> int:
    """Check that `text` can be published (administrators only); returns the version number it would get.

    Pages call this before they ask for confirmation, so a rejected text never reaches the dialog.
    """
    with read_session() as session:
        require(load_actor(session, actor_id), Action.MANAGE_CONDUCT)
        return _check_new_text(session, text.strip())


def _check_new_text(session: Session, text: str) -> int:
    """Raise the error for a text that cannot become the next version, or return the next version number."""
    if not text:
        raise ConductTextEmpty()
    if len(text) > MAX_TEXT_LENGTH:
        raise ConductTextTooLong(maximum=MAX_TEXT_LENGTH)
    current = _current(session)
    if current is None:
        return 1
    # Every new version makes all users accept again, so a copy of the current text is rejected.
    if current.text.strip() == text:
        raise ConductTextUnchanged(version=current.version)
    return current.version + 1


def publish_conduct(*, actor_id: int, text: str) -> int:
    """Publish `text` as the next version (administrators only); returns its version number.

    Raises ConductTextEmpty, ConductTextTooLong or ConductTextUnchanged for a text that
    cannot become a new version. The publishing administrator accepts the new version at
    the same time.
    """
    text = text.strip()
    now = utc_now()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_CONDUCT)
        number = _check_new_text(session, text)
        version = add_conduct_version(session, text=text, published_by_id=actor.id, now=now, number=number)
        session.add(ConductAcceptance(user_id=actor.id, version_id=version.id or 0, accepted_at=now))
        record_event(
            session,
            actor_id=actor.id,
            action="conduct.published",
            subject_type="conduct_version",
            subject_id=version.id,
            after={"version": number},
        )
    logger.info("code of conduct published version=%d user=%d", number, actor_id)
    return number


def add_conduct_version(
    session: Session, *, text: str, published_by_id: int | None, now: datetime, number: int = 1
) -> ConductVersion:
    """Add a version without permission checks, for the demo data and set-up scripts."""
    version = ConductVersion(version=number, text=text, published_at=now, published_by_id=published_by_id)
    session.add(version)
    session.flush()
    return version


def conduct_versions(*, actor_id: int) -> list[ConductText]:
    """Return every published version, newest first (administrators only)."""
    with read_session() as session:
        require(load_actor(session, actor_id), Action.MANAGE_CONDUCT)
        statement = (
            select(ConductVersion, User.name)
            .join(User, col(User.id) == ConductVersion.published_by_id, isouter=True)
            .order_by(col(ConductVersion.version).desc())
        )
        rows = session.exec(statement).all()
    return [ConductText(version.version, version.text, version.published_at, name) for version, name in rows]


def conduct_statuses(*, actor_id: int) -> list[ConductStatus]:
    """Return every user with the newest version they accepted and when (administrators only)."""
    with read_session() as session:
        require(load_actor(session, actor_id), Action.MANAGE_CONDUCT)
        newest = (
            select(
                ConductAcceptance.user_id,
                func.max(ConductVersion.version).label("version"),
            )
            .join(ConductVersion, col(ConductVersion.id) == ConductAcceptance.version_id)
            .group_by(col(ConductAcceptance.user_id))
            .subquery()
        )
        accepted_at = (
            select(ConductAcceptance.accepted_at)
            .join(ConductVersion, col(ConductVersion.id) == ConductAcceptance.version_id)
            .where(ConductAcceptance.user_id == User.id, ConductVersion.version == newest.c.version)
            .scalar_subquery()
        )
        statement = (
            select(User, Organisation.name, newest.c.version, accepted_at)
            .join(Organisation, col(Organisation.id) == User.organisation_id)
            .join(newest, newest.c.user_id == User.id, isouter=True)
            .order_by(col(User.name))
        )
        rows = session.exec(statement).all()
    return [
        ConductStatus(user.id or 0, user.name, user.email, organisation, user.active, version, when)
        for user, organisation, version, when in rows
    ]
