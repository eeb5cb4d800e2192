import pytest
from sqlmodel import select

from models import AuditEvent, AuthSession, Organisation, OrganisationKind, Role
from services.accounts import resolve_session
from services.db import read_session
from services.errors import (
    InvalidOpenVoucherLimit,
    InvalidOrganisationKind,
    NotAuthenticated,
    OrganisationNameMissing,
    OrganisationNameTaken,
    OrganisationNameTooLong,
    OrganisationNotFound,
    OwnOrganisationDeactivation,
    PermissionDenied,
)
from services.organisation_admin import (
    change_organisation,
    create_organisation,
    deactivate_organisation,
    list_organisations,
    reactivate_organisation,
)
from services.vouchers import issue_vouchers
from tests.factories import make_organisation, make_session, make_user


def _events(action: str) -> list[AuditEvent]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def _organisation(organisation_id: int) -> Organisation:
    with read_session() as session:
        return session.get(Organisation, organisation_id)


def test_list_shows_counts(administrator, intermediary, intermediary_organisation, library):
    issue_vouchers(actor_id=intermediary.id, count=3)
    make_user(Role.INTERMEDIARY, intermediary_organisation)

    summaries = {summary.name: summary for summary in list_organisations(actor_id=administrator.id)}

    own = summaries[intermediary_organisation.name]
    assert own.kind == OrganisationKind.INTERMEDIARY
    assert own.active is True
    assert own.active_users == 2
    assert own.open_vouchers == 3
    assert summaries[library.name].active_users == 0
    assert summaries[library.name].open_vouchers == 0
    assert summaries["Fonds"].active_users == 1


def test_list_sorted_by_name(administrator, library, intermediary_organisation):
    names = [summary.name for summary in list_organisations(actor_id=administrator.id)]

    assert names == sorted(names)


@pytest.mark.parametrize("role", [Role.INTERMEDIARY, Role.LIBRARY_STAFF])
def test_non_administrator_rejected(role, intermediary_organisation, library):
    organisation = library if role == Role.LIBRARY_STAFF else intermediary_organisation
    user = make_user(role, organisation)

    with pytest.raises(PermissionDenied):
        list_organisations(actor_id=user.id)
    with pytest.raises(PermissionDenied):
        create_organisation(actor_id=user.id, name="Nieuwe bieb", kind="library")
    with pytest.raises(PermissionDenied):
        deactivate_organisation(actor_id=user.id, organisation_id=organisation.id)
    assert _events("organisation.created") == []


def test_create_records_event(administrator):
    organisation_id = create_organisation(
        actor_id=administrator.id, name="  Bibliotheek   Weert ", kind="library", max_open_vouchers="40"
    )

    organisation = _organisation(organisation_id)
    assert organisation.name == "Bibliotheek Weert"
    assert organisation.kind == OrganisationKind.LIBRARY
    assert organisation.max_open_vouchers == 40
    assert organisation.active is True
    [event] = _events("organisation.created")
    assert event.actor_id == administrator.id
    assert event.subject_type == "organisation"
    assert event.subject_id == organisation_id
    assert event.after == {"name": "Bibliotheek Weert", "kind": "library", "max_open_vouchers": 40}


def test_create_without_limit_uses_setting(administrator):
    organisation_id = create_organisation(actor_id=administrator.id, name="Wijkteam", kind="intermediary")

    assert _organisation(organisation_id).max_open_vouchers is None


@pytest.mark.parametrize("name", ["Bibliotheek Venlo", "bibliotheek venlo", " BIBLIOTHEEK  VENLO "])
def test_duplicate_name_rejected(administrator, name):
    make_organisation(OrganisationKind.LIBRARY, name="Bibliotheek Venlo")

    with pytest.raises(OrganisationNameTaken) as raised:
        create_organisation(actor_id=administrator.id, name=name, kind="library")

    assert raised.value.field == "name"
    assert raised.value.params["name"] == " ".join(name.split())
    assert "already exists" in raised.value.render("en")
    assert _events("organisation.created") == []


@pytest.mark.parametrize(
    ("name", "error"),
    [("", OrganisationNameMissing), ("   ", OrganisationNameMissing), ("x" * 201, OrganisationNameTooLong)],
)
def test_bad_name_rejected(administrator, name, error):
    with pytest.raises(error):
        create_organisation(actor_id=administrator.id, name=name, kind="library")


@pytest.mark.parametrize("kind", ["", None, "fund", "LIBRARY"])
def test_bad_kind_rejected(administrator, kind):
    with pytest.raises(InvalidOrganisationKind):
        create_organisation(actor_id=administrator.id, name="Nieuw", kind=kind)


@pytest.mark.parametrize("limit", ["-1", "1.5", "tien", "100001", -3, True])
def test_bad_limit_rejected(administrator, limit):
    with pytest.raises(InvalidOpenVoucherLimit) as raised:
        create_organisation(actor_id=administrator.id, name="Nieuw", kind="library", max_open_vouchers=limit)

    assert raised.value.field == "max_open_vouchers"


@pytest.mark.parametrize(("limit", "stored"), [("0", 0), (" 12 ", 12), (100000, 100000), (7.0, 7), ("", None)])
def test_limit_accepted(administrator, limit, stored):
    organisation_id = create_organisation(
        actor_id=administrator.id, name="Nieuw", kind="library", max_open_vouchers=limit
    )

    assert _organisation(organisation_id).max_open_vouchers == stored


def test_rename_records_event(administrator, library):
    changed = change_organisation(
        actor_id=administrator.id, organisation_id=library.id, name="Bibliotheek Sittard", max_open_vouchers=""
    )

    assert changed is True
    assert _organisation(library.id).name == "Bibliotheek Sittard"
    [event] = _events("organisation.changed")
    assert event.before == {"name": library.name}
    assert event.after == {"name": "Bibliotheek Sittard"}


def test_change_limit_records_event(administrator, library):
    change_organisation(actor_id=administrator.id, organisation_id=library.id, name=library.name, max_open_vouchers=5)

    assert _organisation(library.id).max_open_vouchers == 5
    [event] = _events("organisation.changed")
    assert event.before == {"max_open_vouchers": None}
    assert event.after == {"max_open_vouchers": 5}


def test_unchanged_organisation_records_nothing(administrator, library):
    changed = change_organisation(
        actor_id=administrator.id, organisation_id=library.id, name=library.name, max_open_vouchers=None
    )

    assert changed is False
    assert _events("organisation.changed") == []


def test_rename_to_other_case_allowed(administrator):
    organisation = make_organisation(OrganisationKind.LIBRARY, name="bibliotheek weert")

    change_organisation(
        actor_id=administrator.id, organisation_id=organisation.id, name="Bibliotheek Weert", max_open_vouchers=None
    )

    assert _organisation(organisation.id).name == "Bibliotheek Weert"


def test_rename_to_taken_name_rejected(administrator, library, intermediary_organisation):
    with pytest.raises(OrganisationNameTaken):
        change_organisation(
            actor_id=administrator.id,
            organisation_id=library.id,
            name=intermediary_organisation.name.upper(),
            max_open_vouchers=None,
        )

    assert _organisation(library.id).name == library.name


def test_change_unknown_organisation_rejected(administrator):
    with pytest.raises(OrganisationNotFound):
        change_organisation(actor_id=administrator.id, organisation_id=9999, name="X", max_open_vouchers=None)


def test_deactivation_ends_sessions(administrator, desk_staff, library):
    token = make_session(desk_staff)

    assert deactivate_organisation(actor_id=administrator.id, organisation_id=library.id) is True

    assert _organisation(library.id).active is False
    with read_session() as session:
        auth_session = session.exec(select(AuthSession).where(AuthSession.user_id == desk_staff.id)).one()
    assert auth_session.ended_at is not None
    assert resolve_session(token) is None
    with pytest.raises(NotAuthenticated):
        issue_vouchers(actor_id=desk_staff.id, count=1)
    [event] = _events("organisation.deactivated")
    assert event.subject_id == library.id
    assert event.after == {"active": False}


def test_deactivate_twice_records_once(administrator, library):
    deactivate_organisation(actor_id=administrator.id, organisation_id=library.id)

    assert deactivate_organisation(actor_id=administrator.id, organisation_id=library.id) is False
    assert len(_events("organisation.deactivated")) == 1


def test_deactivate_own_organisation_rejected(administrator):
    with pytest.raises(OwnOrganisationDeactivation):
        deactivate_organisation(actor_id=administrator.id, organisation_id=administrator.organisation_id)

    assert _organisation(administrator.organisation_id).active is True


def test_deactivate_unknown_organisation_rejected(administrator):
    with pytest.raises(OrganisationNotFound):
        deactivate_organisation(actor_id=administrator.id, organisation_id=9999)


def test_reactivation_restores_login(administrator, desk_staff, library):
    deactivate_organisation(actor_id=administrator.id, organisation_id=library.id)

    assert reactivate_organisation(actor_id=administrator.id, organisation_id=library.id) is True

    assert _organisation(library.id).active is True
    assert resolve_session(make_session(desk_staff)).id == desk_staff.id
    [event] = _events("organisation.reactivated")
    assert event.before == {"active": False}
    assert reactivate_organisation(actor_id=administrator.id, organisation_id=library.id) is False
    assert len(_events("organisation.reactivated")) == 1
