"""Administration of user accounts: list, change role and organisation, deactivate and reactivate.

Only administrators may call these functions. Every change writes an audit event with the
subject type "user" in the same transaction. Accounts are created through invitations.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from models import Organisation, OrganisationKind, Role, User
from services.accounts import end_user_sessions
from services.audit import record_event
from services.db import read_session, write_session
from services.errors import (
    InvalidRole,
    OrganisationNotFound,
    RoleNeedsFund,
    RoleNeedsIntermediary,
    RoleNeedsLibrary,
    SearchTooLong,
    SelfDeactivation,
    SelfDemotion,
    UserNotFound,
)
from services.permissions import Action, Actor, load_actor, require

logger = logging.getLogger(__name__)

MAX_USER_SEARCH_LENGTH = 100


@dataclass(frozen=True)
class UserSummary:
    """A user account as the administration list shows it."""

    id: int
    name: str
    email: str
    role: Role
    organisation_id: int
    organisation_name: str
    organisation_kind: OrganisationKind
    active: bool
    last_login_at: datetime | None


@dataclass(frozen=True)
class UserFilter:
    """Conditions for the user list; None or an empty search means no condition."""

    search: str = ""
    role: Role | None = None
    organisation_id: int | None = None
    active: bool | None = None


def parse_role(value: object) -> Role:
    """Return the role chosen in a form, or raise InvalidRole."""
    try:
        return Role(str(value))
    except ValueError:
        raise InvalidRole() from None


def require_role_fits_organisation(role: Role, organisation: Organisation, *, fund: Organisation) -> None:
    """Raise unless `role` may belong to `organisation`.

    Library staff belong to a library and intermediaries to an intermediary organisation.
    Administrators belong to the fund, which is the organisation of the acting administrator,
    because the app has no other record of which organisation runs the programme.
    """
    if role == Role.LIBRARY_STAFF and not organisation.is_library:
        raise RoleNeedsLibrary(organisation=organisation.name)
    if role == Role.INTERMEDIARY and organisation.kind != OrganisationKind.INTERMEDIARY:
        raise RoleNeedsIntermediary(organisation=organisation.name)
    if role == Role.ADMINISTRATOR and organisation.id != fund.id:
        raise RoleNeedsFund(fund=fund.name)


def list_users(*, actor_id: int, filters: UserFilter | None = None) -> list[UserSummary]:
    """Return the users that match `filters`, by name, with their organisation and last login."""
    filters = filters or UserFilter()
    search = " ".join(filters.search.split())
    if len(search) > MAX_USER_SEARCH_LENGTH:
        raise SearchTooLong(maximum=MAX_USER_SEARCH_LENGTH)
    with read_session() as session:
        require(load_actor(session, actor_id), Action.MANAGE_USERS)
        statement = select(User, Organisation).join(Organisation, col(User.organisation_id) == Organisation.id)
        if search:
            term = search.lower()
            statement = statement.where(
                or_(
                    func.lower(User.name).contains(term, autoescape=True),
                    func.lower(User.email).contains(term, autoescape=True),
                )
            )
        if filters.role is not None:
            statement = statement.where(User.role == filters.role)
        if filters.organisation_id is not None:
            statement = statement.where(User.organisation_id == filters.organisation_id)
        if filters.active is not None:
            statement = statement.where(col(User.active).is_(filters.active))
        rows = session.exec(statement.order_by(func.lower(User.name), col(User.id))).all()
    return [_summary(user, organisation) for user, organisation in rows]


def change_user_role(*, actor_id: int, user_id: int, role: object, organisation_id: int | None) -> bool:
    """Give a user a role and an organisation that fit each other; returns whether anything changed.

    The change applies to the user's next service call, so their open pages need no new session.
    """
    new_role = parse_role(role)
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_USERS)
        user = _get_user(session, user_id)
        organisation = session.get(Organisation, organisation_id) if organisation_id is not None else None
        if organisation is None or not organisation.active:
            raise OrganisationNotFound()
        if new_role == user.role and organisation.id == user.organisation_id:
            return False
        # Checked before the fit, so an administrator's own account gets SelfDemotion, not a fit error.
        if user.id == actor.id:
            raise SelfDemotion()
        fund = session.get(Organisation, actor.organisation_id)
        assert fund is not None  # load_actor has just loaded it
        require_role_fits_organisation(new_role, organisation, fund=fund)

        before = {"role": user.role.value, "organisation_id": user.organisation_id}
        after = {"role": new_role.value, "organisation_id": organisation.id}
        user.role, user.organisation_id = new_role, organisation.id or 0
        session.add(user)
        _record(session, actor, user_id, "user.role_changed", before, after)
    logger.info(
        "user role changed user=%d by user=%d role=%s organisation=%d", user_id, actor_id, new_role, organisation.id
    )
    return True


def deactivate_user(*, actor_id: int, user_id: int) -> bool:
    """Deactivate a user and end their sessions; returns False if the user was already inactive."""
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_USERS)
        if user_id == actor.id:
            raise SelfDeactivation()
        _get_user(session, user_id)
        if not _set_active(session, user_id, active=False):
            return False
        ended = end_user_sessions(session, user_id)
        _record(session, actor, user_id, "user.deactivated", {"active": True}, {"active": False})
    logger.info("user deactivated user=%d by user=%d sessions_ended=%d", user_id, actor_id, ended)
    return True


def reactivate_user(*, actor_id: int, user_id: int) -> bool:
    """Make a deactivated user active again; returns False if the user was already active."""
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_USERS)
        _get_user(session, user_id)
        if not _set_active(session, user_id, active=True):
            return False
        _record(session, actor, user_id, "user.reactivated", {"active": False}, {"active": True})
    logger.info("user reactivated user=%d by user=%d", user_id, actor_id)
    return True


def _get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound()
    return user


def _set_active(session: Session, user_id: int, *, active: bool) -> bool:
    # A conditional update, so a double click changes and audits the user once.
    result = session.exec(
        update(User).where(col(User.id) == user_id, col(User.active).is_(not active)).values(active=active)
    )
    return bool(result.rowcount)


def _record(
    session: Session, actor: Actor, user_id: int, action: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    record_event(
        session, actor_id=actor.id, action=action, subject_type="user", subject_id=user_id, before=before, after=after
    )


def _summary(user: User, organisation: Organisation) -> UserSummary:
    return UserSummary(
        id=user.id or 0,
        name=user.name,
        email=user.email,
        role=user.role,
        organisation_id=organisation.id or 0,
        organisation_name=organisation.name,
        organisation_kind=organisation.kind,
        active=user.active,
        last_login_at=user.last_login_at,
    )
