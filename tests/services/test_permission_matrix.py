"""Permission matrix: every role, acting on its own or another organisation, for every service action.

Each case calls the real service on the real database and checks that it is allowed or refused,
so the table in services.permissions and the checks inside the services are both covered.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from models import Organisation, OrganisationKind, Role, User, Voucher
from services.clock import local_today
from services.conduct import conduct_statuses
from services.dashboard import dashboard_figures
from services.db import read_session
from services.downloads import download_vouchers_pdf
from services.errors import PermissionDenied, VoucherNotFound, VouchersNotVisible
from services.invitations import invite_user
from services.organisation_admin import change_organisation
from services.outbox import list_undelivered_mails
from services.permissions import Action
from services.privacy import find_resident_vouchers
from services.redemption import redeem_voucher, undo_redemption
from services.reimbursement import check_filter, preview_reimbursement
from services.user_admin import deactivate_user
from services.voucher_queries import voucher_detail
from services.vouchers import issue_vouchers, withdraw_voucher
from tests.factories import make_organisation, make_user


@dataclass
class World:
    """Organisations and users of one case; `own` and `other` are the actor's and another organisation."""

    administrator: User
    actor: User
    own: Organisation
    other: Organisation
    spare_library: Organisation


def _build_world(role: Role) -> World:
    fund = make_organisation(OrganisationKind.INTERMEDIARY, name="Fonds")
    administrator = make_user(Role.ADMINISTRATOR, fund)
    libraries = [make_organisation(OrganisationKind.LIBRARY) for _ in range(3)]
    intermediaries = [make_organisation(OrganisationKind.INTERMEDIARY) for _ in range(2)]
    if role == Role.ADMINISTRATOR:
        return World(administrator, administrator, fund, libraries[1], libraries[2])
    own, other = (libraries[0], libraries[1]) if role == Role.LIBRARY_STAFF else intermediaries
    return World(administrator, make_user(role, own), own, other, libraries[2])


def _issued_voucher(world: World, organisation: Organisation) -> tuple[int, str]:
    [voucher_id] = issue_vouchers(actor_id=world.administrator.id, count=1, organisation_id=organisation.id)
    with read_session() as session:
        return voucher_id, session.get(Voucher, voucher_id).code


def _redeemed_voucher(world: World, organisation: Organisation) -> int:
    """Issue a voucher for `organisation` and redeem it there, or at the spare library if it is no library."""
    voucher_id, code = _issued_voucher(world, organisation)
    library = organisation if organisation.is_library else world.spare_library
    redeem_voucher(actor_id=world.administrator.id, raw_code=code, request_key=str(uuid.uuid4()), library_id=library.id)
    return voucher_id


def _view(world: World, target: Organisation) -> None:
    voucher_id, _code = _issued_voucher(world, target)
    voucher_detail(actor_id=world.actor.id, voucher_id=voucher_id)


def _create(world: World, target: Organisation) -> None:
    issue_vouchers(actor_id=world.actor.id, count=1, organisation_id=target.id)


def _change(world: World, target: Organisation) -> None:
    voucher_id, _code = _issued_voucher(world, target)
    withdraw_voucher(actor_id=world.actor.id, voucher_id=voucher_id, reason="matrix")


def _redeem(world: World, target: Organisation) -> None:
    _voucher_id, code = _issued_voucher(world, target)
    redeem_voucher(
        actor_id=world.actor.id, raw_code=code, request_key=str(uuid.uuid4()), library_id=world.spare_library.id
    )


def _undo(world: World, target: Organisation) -> None:
    voucher_id = _redeemed_voucher(world, target)
    undo_redemption(actor_id=world.actor.id, voucher_id=voucher_id, reason="matrix")


def _manage_organisation(world: World, target: Organisation) -> None:
    change_organisation(
        actor_id=world.actor.id, organisation_id=target.id, name=f"{target.name} nieuw", max_open_vouchers=None
    )


def _manage_user(world: World, target: Organisation) -> None:
    colleague = make_user(Role.LIBRARY_STAFF if target.is_library else Role.INTERMEDIARY, target)
    deactivate_user(actor_id=world.actor.id, user_id=colleague.id)


def _reimburse(world: World, target: Organisation) -> None:
    _redeemed_voucher(world, target)
    today = local_today()
    selection = check_filter(today - timedelta(days=1), today, None)
    preview_reimbursement(actor_id=world.actor.id, selection=selection)


def _dashboard(world: World, target: Organisation) -> None:
    """Count the target's voucher on the actor's dashboard; a dashboard without it counts as refused."""
    _issued_voucher(world, target)
    figures = dashboard_figures(actor_id=world.actor.id)
    if target.id not in {row.organisation_id for row in figures.per_organisation}:
        raise PermissionDenied()


def _invite(world: World, target: Organisation) -> None:
    role = Role.LIBRARY_STAFF if target.is_library else Role.INTERMEDIARY
    invite_user(
        actor_id=world.actor.id, email=f"{uuid.uuid4().hex[:12]}@matrix.test", role=role, organisation_id=target.id
    )


def _undelivered_mail(world: World, _target: Organisation) -> None:
    list_undelivered_mails(actor_id=world.actor.id)


def _download(world: World, target: Organisation) -> None:
    voucher_id, _code = _issued_voucher(world, target)
    download_vouchers_pdf(actor_id=world.actor.id, voucher_ids=[voucher_id], locale="nl")


def _personal_data(world: World, _target: Organisation) -> None:
    find_resident_vouchers(actor_id=world.actor.id, name="Jansen")


def _conduct(world: World, _target: Organisation) -> None:
    conduct_statuses(actor_id=world.actor.id)


PROBES: dict[Action, Callable[[World, Organisation], None]] = {
    Action.VIEW_VOUCHERS: _view,
    Action.CREATE_VOUCHERS: _create,
    Action.CHANGE_VOUCHER: _change,
    Action.REDEEM: _redeem,
    Action.UNDO_REDEMPTION: _undo,
    Action.MANAGE_ORGANISATIONS: _manage_organisation,
    Action.MANAGE_USERS: _manage_user,
    Action.REIMBURSE: _reimburse,
    Action.VIEW_DASHBOARD: _dashboard,
    Action.INVITE_USERS: _invite,
    Action.MANAGE_MAIL: _undelivered_mail,
    Action.DOWNLOAD_VOUCHERS: _download,
    Action.MANAGE_PERSONAL_DATA: _personal_data,
    Action.MANAGE_CONDUCT: _conduct,
}

# (role, target) -> allowed, per action. The target is the actor's own organisation or another
# one of the same kind (another library for library staff). For undo, the voucher was redeemed at
# the target if it is a library, so library staff may undo at their own library only.
INTERMEDIARY, STAFF, ADMIN = Role.INTERMEDIARY, Role.LIBRARY_STAFF, Role.ADMINISTRATOR
MATRIX: dict[Action, dict[tuple[Role, str], bool]] = {
    Action.VIEW_VOUCHERS: {
        (INTERMEDIARY, "own"): True, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): True, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.CREATE_VOUCHERS: {
        (INTERMEDIARY, "own"): True, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): True, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.CHANGE_VOUCHER: {
        (INTERMEDIARY, "own"): True, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): True, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.REDEEM: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): True, (STAFF, "other"): True,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.UNDO_REDEMPTION: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): True, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.MANAGE_ORGANISATIONS: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): False, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.MANAGE_USERS: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): False, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.REIMBURSE: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): False, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.VIEW_DASHBOARD: {
        (INTERMEDIARY, "own"): True, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): True, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.INVITE_USERS: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): False, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.MANAGE_MAIL: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): False, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.DOWNLOAD_VOUCHERS: {
        (INTERMEDIARY, "own"): True, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): True, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.MANAGE_PERSONAL_DATA: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): False, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
    Action.MANAGE_CONDUCT: {
        (INTERMEDIARY, "own"): False, (INTERMEDIARY, "other"): False,
        (STAFF, "own"): False, (STAFF, "other"): False,
        (ADMIN, "own"): True, (ADMIN, "other"): True,
    },
}  # fmt: skip

CASES = [
    pytest.param(action, role, target, allowed, id=f"{action.value}-{role.value}-{target}")
    for action, cases in MATRIX.items()
    for (role, target), allowed in cases.items()
]


def test_matrix_covers_every_action():
    assert set(MATRIX) == set(Action)
    assert set(PROBES) == set(Action)
    for action, cases in MATRIX.items():
        assert set(cases) == {(role, target) for role in Role for target in ("own", "other")}, action


@pytest.mark.parametrize(("action", "role", "target", "allowed"), CASES)
def test_permission(database, action, role, target, allowed):
    world = _build_world(role)
    organisation = world.own if target == "own" else world.other

    if allowed:
        PROBES[action](world, organisation)
    else:
        with pytest.raises((PermissionDenied, VoucherNotFound, VouchersNotVisible)):
            PROBES[action](world, organisation)
