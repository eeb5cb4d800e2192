"""The permission table, checked by every service call.

| action                       | intermediary | library staff | administrator |
| ---------------------------- | ------------ | ------------- | ------------- |
| view vouchers                | own org      | own org + redeemed at own library | all |
| create vouchers              | own org      | own org       | any org       |
| personalise / withdraw       | own org      | own org       | any org       |
| check and redeem a code      | no           | yes           | yes           |
| undo a redemption            | no           | own library   | yes           |
| reimbursement batches        | no           | no            | yes           |
| dashboard figures            | own org      | own org + redeemed at own library | all |
| manage organisations         | no           | no            | yes           |
| manage users                 | no           | no            | yes           |
| invite users                 | no           | no            | yes           |
| see and retry undelivered mail | no         | no            | yes           |
| download (PDF) and export    | visible ones | visible ones  | all           |
| find, export, erase a resident's personal data | no | no       | yes           |
| publish the code of conduct, see acceptances | no | no      | yes           |
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, false, or_, true
from sqlmodel import Session, col

from models import Organisation, Role, User, Voucher
from services.errors import NotAuthenticated, PermissionDenied
from services.logging_setup import bind_user


class Action(StrEnum):
    VIEW_VOUCHERS = "view_vouchers"
    CREATE_VOUCHERS = "create_vouchers"
    CHANGE_VOUCHER = "change_voucher"
    REDEEM = "redeem"
    UNDO_REDEMPTION = "undo_redemption"
    REIMBURSE = "reimburse"
    VIEW_DASHBOARD = "view_dashboard"
    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_USERS = "manage_users"
    INVITE_USERS = "invite_users"
    MANAGE_MAIL = "manage_mail"
    DOWNLOAD_VOUCHERS = "download_vouchers"
    MANAGE_PERSONAL_DATA = "manage_personal_data"
    MANAGE_CONDUCT = "manage_conduct"


_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW_VOUCHERS: frozenset(Role),
    Action.CREATE_VOUCHERS: frozenset(Role),
    Action.CHANGE_VOUCHER: frozenset(Role),
    Action.REDEEM: frozenset({Role.LIBRARY_STAFF, Role.ADMINISTRATOR}),
    Action.UNDO_REDEMPTION: frozenset({Role.LIBRARY_STAFF, Role.ADMINISTRATOR}),
    Action.REIMBURSE: frozenset({Role.ADMINISTRATOR}),
    Action.VIEW_DASHBOARD: frozenset(Role),
    Action.MANAGE_ORGANISATIONS: frozenset({Role.ADMINISTRATOR}),
    Action.MANAGE_USERS: frozenset({Role.ADMINISTRATOR}),
    Action.INVITE_USERS: frozenset({Role.ADMINISTRATOR}),
    Action.MANAGE_MAIL: frozenset({Role.ADMINISTRATOR}),
    Action.DOWNLOAD_VOUCHERS: frozenset(Role),
    Action.MANAGE_PERSONAL_DATA: frozenset({Role.ADMINISTRATOR}),
    Action.MANAGE_CONDUCT: frozenset({Role.ADMINISTRATOR}),
}


@dataclass(frozen=True)
class Actor:
    """The user a service call acts for, as loaded at the start of that call."""

    id: int
    name: str
    role: Role
    organisation_id: int
    organisation_name: str
    organisation_is_library: bool

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


def load_actor(session: Session, user_id: int | None) -> Actor:
    """Load the acting user; a missing or deactivated user can do nothing."""
    # NOTE: in a worker thread the id stays bound until the next service call there loads its
    # actor, so a line logged in that call before load_actor shows the previous user's id.
    bind_user(user_id)
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:
        raise NotAuthenticated()
    organisation = session.get(Organisation, user.organisation_id)
    if organisation is None or not organisation.active:
        raise NotAuthenticated()
    return Actor(
        id=user.id or 0,
        name=user.name,
        role=user.role,
        organisation_id=organisation.id or 0,
        organisation_name=organisation.name,
        organisation_is_library=organisation.is_library,
    )


def may(actor: Actor, action: Action) -> bool:
    """Return whether the actor's role allows `action` at all."""
    if action == Action.REDEEM and actor.role == Role.LIBRARY_STAFF and not actor.organisation_is_library:
        return False
    return actor.role in _ALLOWED[action]


def require(actor: Actor, action: Action) -> None:
    """Raise PermissionDenied unless the actor's role allows `action`."""
    if not may(actor, action):
        raise PermissionDenied()


def require_organisation(actor: Actor, organisation_id: int) -> None:
    """Raise PermissionDenied unless the actor may act for `organisation_id`."""
    if not actor.is_administrator and actor.organisation_id != organisation_id:
        raise PermissionDenied()


def visible_vouchers(actor: Actor) -> ColumnElement[bool]:
    """Return the SQL condition selecting the vouchers the actor may see."""
    if actor.is_administrator:
        return true()
    own = col(Voucher.organisation_id) == actor.organisation_id
    if actor.role == Role.LIBRARY_STAFF:
        return or_(own, col(Voucher.redeemed_library_id) == actor.organisation_id)
    if actor.role == Role.INTERMEDIARY:
        return own
    return false()


def may_see(actor: Actor, voucher: Voucher) -> bool:
    """Return whether the actor may see this one voucher (the Python twin of `visible_vouchers`)."""
    if actor.is_administrator or voucher.organisation_id == actor.organisation_id:
        return True
    return actor.role == Role.LIBRARY_STAFF and voucher.redeemed_library_id == actor.organisation_id
