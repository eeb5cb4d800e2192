"""Administration of organisations: list, create, change, deactivate and reactivate.

Only administrators may call these functions. Every change writes an audit event with the
subject type "organisation" in the same transaction.
"""

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Organisation, OrganisationKind, User, Voucher, VoucherStatus
from services.accounts import end_user_sessions
from services.audit import record_event
from services.clock import local_today
from services.codes import CODE_SPACE
from services.db import read_session, write_session
from services.directory import add_organisation
from services.errors import (
    InvalidOpenVoucherLimit,
    InvalidOrganisationKind,
    OrganisationNameMissing,
    OrganisationNameTaken,
    OrganisationNameTooLong,
    OrganisationNotFound,
    OwnOrganisationDeactivation,
)
from services.permissions import Action, Actor, load_actor, require

logger = logging.getLogger(__name__)

MAX_ORGANISATION_NAME_LENGTH = 200
# More open vouchers than there are codes can never be reached, so a higher limit is a typo.
MAX_OPEN_VOUCHER_LIMIT = CODE_SPACE


@dataclass(frozen=True)
class OrganisationSummary:
    """An organisation with the counts the administration list shows."""

    id: int
    name: str
    kind: OrganisationKind
    active: bool
    # None means the programme-wide setting applies.
    max_open_vouchers: int | None
    active_users: int
    open_vouchers: int


def clean_organisation_name(value: str | None) -> str:
    """Return the name without surrounding or repeated whitespace, or raise when empty or too long."""
    name = " ".join((value or "").split())
    if not name:
        raise OrganisationNameMissing()
    if len(name) > MAX_ORGANISATION_NAME_LENGTH:
        raise OrganisationNameTooLong(maximum=MAX_ORGANISATION_NAME_LENGTH)
    return name


def parse_organisation_kind(value: object) -> OrganisationKind:
    """Return the kind chosen in a form, or raise InvalidOrganisationKind."""
    try:
        return OrganisationKind(str(value))
    except ValueError:
        raise InvalidOrganisationKind() from None


def parse_open_voucher_limit(value: object) -> int | None:
    """Return the maximum of open vouchers typed in a form; empty means the programme-wide setting."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_OPEN_VOUCHER_LIMIT:
        raise InvalidOpenVoucherLimit(value=value, maximum=MAX_OPEN_VOUCHER_LIMIT)
    return value


def list_organisations(*, actor_id: int) -> list[OrganisationSummary]:
    """Return every organisation, active or not, by name, with its active users and open vouchers."""
    with read_session() as session:
        require(load_actor(session, actor_id), Action.MANAGE_ORGANISATIONS)
        organisations = session.exec(select(Organisation).order_by(Organisation.name)).all()
        users = _active_users_per_organisation(session)
        vouchers = _open_vouchers_per_organisation(session)
    return [
        OrganisationSummary(
            id=organisation.id or 0,
            name=organisation.name,
            kind=organisation.kind,
            active=organisation.active,
            max_open_vouchers=organisation.max_open_vouchers,
            active_users=users.get(organisation.id or 0, 0),
            open_vouchers=vouchers.get(organisation.id or 0, 0),
        )
        for organisation in organisations
    ]


def create_organisation(*, actor_id: int, name: str, kind: object, max_open_vouchers: object = None) -> int:
    """Create an active organisation; returns its id."""
    clean_name = clean_organisation_name(name)
    organisation_kind = parse_organisation_kind(kind)
    limit = parse_open_voucher_limit(max_open_vouchers)
    try:
        with write_session() as session:
            actor = load_actor(session, actor_id)
            require(actor, Action.MANAGE_ORGANISATIONS)
            _require_unused_name(session, clean_name)
            organisation = add_organisation(session, name=clean_name, kind=organisation_kind, max_open_vouchers=limit)
            after = {"name": clean_name, "kind": organisation_kind.value, "max_open_vouchers": limit}
            _record(session, actor, organisation, "organisation.created", None, after)
    except IntegrityError:
        # Another administrator created the same name between the check and the insert.
        raise OrganisationNameTaken(name=clean_name) from None
    logger.info("organisation created organisation=%d by user=%d", organisation.id, actor_id)
    return organisation.id or 0


def change_organisation(*, actor_id: int, organisation_id: int, name: str, max_open_vouchers: object) -> bool:
    """Rename an organisation and set its maximum of open vouchers; returns whether anything changed."""
    clean_name = clean_organisation_name(name)
    limit = parse_open_voucher_limit(max_open_vouchers)
    try:
        with write_session() as session:
            actor = load_actor(session, actor_id)
            require(actor, Action.MANAGE_ORGANISATIONS)
            organisation = _get_organisation(session, organisation_id)
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            if organisation.name != clean_name:
                _require_unused_name(session, clean_name, except_id=organisation_id)
                before["name"], after["name"] = organisation.name, clean_name
                organisation.name = clean_name
            if organisation.max_open_vouchers != limit:
                before["max_open_vouchers"], after["max_open_vouchers"] = organisation.max_open_vouchers, limit
                organisation.max_open_vouchers = limit
            if not after:
                return False
            session.add(organisation)
            session.flush()
            _record(session, actor, organisation, "organisation.changed", before, after)
    except IntegrityError:
        raise OrganisationNameTaken(name=clean_name) from None
    logger.info("organisation changed organisation=%d by user=%d fields=%s", organisation_id, actor_id, sorted(after))
    return True


def deactivate_organisation(*, actor_id: int, organisation_id: int) -> bool:
    """Deactivate an organisation and end its users' sessions; returns False if it was already inactive.

    Its users can no longer log in, and their pages that are still open can do nothing more,
    because every service call checks the organisation. Its vouchers stay as they are.
    """
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_ORGANISATIONS)
        if organisation_id == actor.organisation_id:
            raise OwnOrganisationDeactivation()
        organisation = _get_organisation(session, organisation_id)
        if not _set_active(session, organisation_id, active=False):
            return False
        user_ids = session.exec(select(User.id).where(User.organisation_id == organisation_id)).all()
        ended = sum(end_user_sessions(session, user_id or 0) for user_id in user_ids)
        _record(session, actor, organisation, "organisation.deactivated", {"active": True}, {"active": False})
    logger.info(
        "organisation deactivated organisation=%d by user=%d sessions_ended=%d", organisation_id, actor_id, ended
    )
    return True


def reactivate_organisation(*, actor_id: int, organisation_id: int) -> bool:
    """Make a deactivated organisation active again; returns False if it was already active."""
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.MANAGE_ORGANISATIONS)
        organisation = _get_organisation(session, organisation_id)
        if not _set_active(session, organisation_id, active=True):
            return False
        _record(session, actor, organisation, "organisation.reactivated", {"active": False}, {"active": True})
    logger.info("organisation reactivated organisation=%d by user=%d", organisation_id, actor_id)
    return True


def _get_organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise OrganisationNotFound()
    return organisation


def _require_unused_name(session: Session, name: str, except_id: int | None = None) -> None:
    # Names are compared without case, so "Bibliotheek Venlo" and "bibliotheek venlo" cannot both exist.
    statement = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if except_id is not None:
        statement = statement.where(Organisation.id != except_id)
    if session.exec(statement).first() is not None:
        raise OrganisationNameTaken(name=name)


def _set_active(session: Session, organisation_id: int, *, active: bool) -> bool:
    # A conditional update, so a double click changes and audits the organisation once.
    result = session.exec(
        update(Organisation)
        .where(col(Organisation.id) == organisation_id, col(Organisation.active).is_(not active))
        .values(active=active)
    )
    return bool(result.rowcount)


def _record(
    session: Session,
    actor: Actor,
    organisation: Organisation,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    record_event(
        session,
        actor_id=actor.id,
        action=action,
        subject_type="organisation",
        subject_id=organisation.id,
        before=before,
        after=after,
    )


def _active_users_per_organisation(session: Session) -> dict[int, int]:
    statement = (
        select(User.organisation_id, func.count()).where(col(User.active).is_(True)).group_by(col(User.organisation_id))
    )
    return {organisation_id: count for organisation_id, count in session.exec(statement).all()}


def _open_vouchers_per_organisation(session: Session) -> dict[int, int]:
    # The same condition as services.vouchers.count_open_vouchers: issued and not expired.
    today = local_today()
    statement = (
        select(Voucher.organisation_id, func.count())
        .where(
            Voucher.status == VoucherStatus.ISSUED,
            (col(Voucher.expires_on).is_(None)) | (col(Voucher.expires_on) >= today),
        )
        .group_by(col(Voucher.organisation_id))
    )
    return {organisation_id: count for organisation_id, count in session.exec(statement).all()}
