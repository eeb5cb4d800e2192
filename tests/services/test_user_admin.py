import pytest
from sqlalchemy import update
from sqlmodel import select

from models import AuditEvent, AuthSession, Organisation, OrganisationKind, Role, User
from services.accounts import resolve_session
from services.clock import utc_now
from services.db import read_session, write_session
from services.errors import (
    InvalidRole,
    NotAuthenticated,
    OrganisationNotFound,
    PermissionDenied,
    RoleNeedsFund,
    RoleNeedsIntermediary,
    RoleNeedsLibrary,
    SearchTooLong,
    SelfDeactivation,
    SelfDemotion,
    UserNotFound,
)
from services.organisation_admin import deactivate_organisation
from services.user_admin import (
    UserFilter,
    change_user_role,
    deactivate_user,
    list_users,
    reactivate_user,
)
from services.vouchers import issue_vouchers
from tests.factories import make_organisation, make_session, make_user


def _events(action: str) -> list[AuditEvent]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def _user(user_id: int) -> User:
    with read_session() as session:
        return session.get(User, user_id)


def _fund(administrator: User) -> Organisation:
    with read_session() as session:
        return session.get(Organisation, administrator.organisation_id)


def test_list_shows_account_details(administrator, intermediary, intermediary_organisation):
    now = utc_now()
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(last_login_at=now))

    summaries = {summary.id: summary for summary in list_users(actor_id=administrator.id)}

    summary = summaries[intermediary.id]
    assert summary.name == intermediary.name
    assert summary.email == intermediary.email
    assert summary.role == Role.INTERMEDIARY
    assert summary.organisation_name == intermediary_organisation.name
    assert summary.organisation_kind == OrganisationKind.INTERMEDIARY
    assert summary.active is True
    assert summary.last_login_at == now
    assert summaries[administrator.id].last_login_at is None


def test_list_filters(administrator, intermediary, desk_staff, library):
    make_user(Role.LIBRARY_STAFF, library, name="Sjef Smeets")
    deactivate_user(actor_id=administrator.id, user_id=desk_staff.id)

    def names(**conditions):
        return [summary.name for summary in list_users(actor_id=administrator.id, filters=UserFilter(**conditions))]

    assert names(search="smeets") == ["Sjef Smeets"]
    assert names(search="  SJEF   smeets ") == ["Sjef Smeets"]
    assert names(search=intermediary.email.upper()) == [intermediary.name]
    assert names(search="%") == []
    assert names(role=Role.LIBRARY_STAFF) == sorted([desk_staff.name, "Sjef Smeets"], key=str.lower)
    assert names(organisation_id=library.id, active=True) == ["Sjef Smeets"]
    assert names(active=False) == [desk_staff.name]


def test_list_search_too_long_rejected(administrator):
    with pytest.raises(SearchTooLong):
        list_users(actor_id=administrator.id, filters=UserFilter(search="a" * 101))


@pytest.mark.parametrize("role", [Role.INTERMEDIARY, Role.LIBRARY_STAFF])
def test_non_administrator_rejected(role, intermediary, desk_staff):
    actor = intermediary if role == Role.INTERMEDIARY else desk_staff
    other = desk_staff if role == Role.INTERMEDIARY else intermediary

    with pytest.raises(PermissionDenied):
        list_users(actor_id=actor.id)
    with pytest.raises(PermissionDenied):
        deactivate_user(actor_id=actor.id, user_id=other.id)
    with pytest.raises(PermissionDenied):
        change_user_role(
            actor_id=actor.id, user_id=actor.id, role="administrator", organisation_id=actor.organisation_id
        )
    assert _user(other.id).active is True
    assert _user(actor.id).role == role


def test_change_role_and_organisation(administrator, intermediary, library):
    changed = change_user_role(
        actor_id=administrator.id, user_id=intermediary.id, role="library_staff", organisation_id=library.id
    )

    assert changed is True
    user = _user(intermediary.id)
    assert user.role == Role.LIBRARY_STAFF
    assert user.organisation_id == library.id
    [event] = _events("user.role_changed")
    assert event.actor_id == administrator.id
    assert event.subject_type == "user"
    assert event.subject_id == intermediary.id
    assert event.before == {"role": "intermediary", "organisation_id": intermediary.organisation_id}
    assert event.after == {"role": "library_staff", "organisation_id": library.id}


def test_promote_to_administrator_in_fund(administrator, intermediary):
    fund_colleague = make_user(Role.INTERMEDIARY, _fund(administrator))

    change_user_role(
        actor_id=administrator.id,
        user_id=fund_colleague.id,
        role=Role.ADMINISTRATOR,
        organisation_id=administrator.organisation_id,
    )

    assert _user(fund_colleague.id).role == Role.ADMINISTRATOR


def test_unchanged_role_records_nothing(administrator, intermediary):
    changed = change_user_role(
        actor_id=administrator.id,
        user_id=intermediary.id,
        role="intermediary",
        organisation_id=intermediary.organisation_id,
    )

    assert changed is False
    assert _events("user.role_changed") == []


@pytest.mark.parametrize(
    ("role", "kind", "error"),
    [
        ("library_staff", OrganisationKind.INTERMEDIARY, RoleNeedsLibrary),
        ("intermediary", OrganisationKind.LIBRARY, RoleNeedsIntermediary),
        ("administrator", OrganisationKind.LIBRARY, RoleNeedsFund),
        ("administrator", OrganisationKind.INTERMEDIARY, RoleNeedsFund),
    ],
)
def test_role_must_fit_organisation(administrator, intermediary, role, kind, error):
    organisation = make_organisation(kind)

    with pytest.raises(error) as raised:
        change_user_role(actor_id=administrator.id, user_id=intermediary.id, role=role, organisation_id=organisation.id)

    assert raised.value.field == "organisation"
    assert _user(intermediary.id).role == Role.INTERMEDIARY
    assert _events("user.role_changed") == []


def test_fund_named_in_message(administrator, intermediary, library):
    with pytest.raises(RoleNeedsFund) as raised:
        change_user_role(
            actor_id=administrator.id, user_id=intermediary.id, role="administrator", organisation_id=library.id
        )

    assert raised.value.params == {"fund": "Fonds"}
    assert '"Fonds"' in raised.value.render("en")


@pytest.mark.parametrize("role", ["", None, "admin", "ADMINISTRATOR"])
def test_invalid_role_rejected(administrator, intermediary, role):
    with pytest.raises(InvalidRole):
        change_user_role(
            actor_id=administrator.id, user_id=intermediary.id, role=role, organisation_id=intermediary.organisation_id
        )


@pytest.mark.parametrize("organisation_id", [None, 9999])
def test_missing_organisation_rejected(administrator, intermediary, organisation_id):
    with pytest.raises(OrganisationNotFound):
        change_user_role(
            actor_id=administrator.id, user_id=intermediary.id, role="intermediary", organisation_id=organisation_id
        )


def test_inactive_organisation_rejected(administrator, intermediary):
    other = make_organisation(OrganisationKind.INTERMEDIARY)
    deactivate_organisation(actor_id=administrator.id, organisation_id=other.id)

    with pytest.raises(OrganisationNotFound):
        change_user_role(
            actor_id=administrator.id, user_id=intermediary.id, role="intermediary", organisation_id=other.id
        )

    assert _user(intermediary.id).organisation_id == intermediary.organisation_id


def test_unknown_user_rejected(administrator):
    with pytest.raises(UserNotFound):
        change_user_role(
            actor_id=administrator.id, user_id=9999, role="intermediary", organisation_id=administrator.organisation_id
        )
    with pytest.raises(UserNotFound):
        deactivate_user(actor_id=administrator.id, user_id=9999)
    with pytest.raises(UserNotFound):
        reactivate_user(actor_id=administrator.id, user_id=9999)


@pytest.mark.parametrize("role", ["intermediary", "library_staff"])
def test_self_demotion_rejected(administrator, library, role):
    organisation_id = library.id if role == "library_staff" else administrator.organisation_id

    with pytest.raises(SelfDemotion):
        change_user_role(
            actor_id=administrator.id, user_id=administrator.id, role=role, organisation_id=organisation_id
        )

    assert _user(administrator.id).role == Role.ADMINISTRATOR


def test_self_move_rejected(administrator):
    other_fund = make_organisation(OrganisationKind.INTERMEDIARY)

    with pytest.raises(SelfDemotion):
        change_user_role(
            actor_id=administrator.id, user_id=administrator.id, role="administrator", organisation_id=other_fund.id
        )


def test_demote_other_administrator(administrator):
    colleague = make_user(Role.ADMINISTRATOR, _fund(administrator))

    change_user_role(
        actor_id=administrator.id,
        user_id=colleague.id,
        role="intermediary",
        organisation_id=administrator.organisation_id,
    )

    assert _user(colleague.id).role == Role.INTERMEDIARY
    with pytest.raises(PermissionDenied):
        list_users(actor_id=colleague.id)


def test_deactivation_ends_sessions(administrator, intermediary):
    first, second = make_session(intermediary), make_session(intermediary)
    kept = make_session(administrator)

    assert deactivate_user(actor_id=administrator.id, user_id=intermediary.id) is True

    assert _user(intermediary.id).active is False
    with read_session() as session:
        ended = session.exec(select(AuthSession).where(AuthSession.user_id == intermediary.id)).all()
    assert [auth_session.ended_at is not None for auth_session in ended] == [True, True]
    assert resolve_session(first) is None
    assert resolve_session(second) is None
    assert resolve_session(kept).id == administrator.id
    with pytest.raises(NotAuthenticated):
        issue_vouchers(actor_id=intermediary.id, count=1)
    [event] = _events("user.deactivated")
    assert event.subject_id == intermediary.id
    assert event.before == {"active": True}
    assert event.after == {"active": False}


def test_deactivate_twice_records_once(administrator, intermediary):
    deactivate_user(actor_id=administrator.id, user_id=intermediary.id)

    assert deactivate_user(actor_id=administrator.id, user_id=intermediary.id) is False
    assert len(_events("user.deactivated")) == 1


def test_self_deactivation_rejected(administrator):
    token = make_session(administrator)

    with pytest.raises(SelfDeactivation):
        deactivate_user(actor_id=administrator.id, user_id=administrator.id)

    assert _user(administrator.id).active is True
    assert resolve_session(token).id == administrator.id
    assert _events("user.deactivated") == []


def test_reactivation_allows_new_session(administrator, intermediary):
    old_token = make_session(intermediary)
    deactivate_user(actor_id=administrator.id, user_id=intermediary.id)

    assert reactivate_user(actor_id=administrator.id, user_id=intermediary.id) is True

    assert _user(intermediary.id).active is True
    assert resolve_session(old_token) is None
    assert resolve_session(make_session(intermediary)).id == intermediary.id
    [event] = _events("user.reactivated")
    assert event.after == {"active": True}
    assert reactivate_user(actor_id=administrator.id, user_id=intermediary.id) is False
    assert len(_events("user.reactivated")) == 1


def test_deactivated_administrator_can_do_nothing(administrator):
    colleague = make_user(Role.ADMINISTRATOR, _fund(administrator))
    deactivate_user(actor_id=colleague.id, user_id=administrator.id)

    with pytest.raises(NotAuthenticated):
        list_users(actor_id=administrator.id)
    with pytest.raises(NotAuthenticated):
        reactivate_user(actor_id=administrator.id, user_id=administrator.id)
