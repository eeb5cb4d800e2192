import base64
import hashlib

import pytest
from sqlalchemy import update
from sqlmodel import select

from models import AuditEvent, Invitation, Organisation, OrganisationKind, Role, User
from services.db import read_session, write_session
from services.directory import add_user
from services.errors import (
    AccountAlreadyExists,
    EmailAlreadyRegistered,
    EmailMissing,
    InvalidEmail,
    InvitationAlreadyOpen,
    InvitationClosed,
    InvitationExpired,
    InvitationNotFound,
    InvitationRevoked,
    InvitationUsed,
    InviteeOrganisationRequired,
    NameMissing,
    NameTooLong,
    OrganisationNotFound,
    PasswordCommon,
    PasswordFromContext,
    PermissionDenied,
    RoleNotForOrganisation,
    RoleRequired,
)
from services.invitations import (
    INVITATION_LIFETIME,
    invite_user,
    list_open_invitations,
    open_invitation,
    register_user,
    resend_invitation,
    revoke_invitation,
)
from tests.clock_helpers import freeze_clock
from tests.mail_helpers import latest_token, queued_mails
from tests.services.login_helpers import log_in_with_password

ADDRESS = "lotte.peeters@example.test"
PASSWORD = "fietsen langs de maas in mei"


@pytest.fixture
def frozen_clock(monkeypatch):
    return freeze_clock(monkeypatch)


def _invite(administrator, organisation, email=ADDRESS, role=Role.INTERMEDIARY):
    return invite_user(actor_id=administrator.id, email=email, role=role, organisation_id=organisation.id)


def _register(token, name="Lotte Peeters", password=PASSWORD, repeat=None):
    return register_user(
        token=token, name=name, password=password, password_repeat=password if repeat is None else repeat
    )


def _invitation(invitation_id) -> Invitation:
    with read_session() as session:
        return session.get(Invitation, invitation_id)


def test_invite_mails_link(administrator, intermediary_organisation):
    view = _invite(administrator, intermediary_organisation)

    mails = queued_mails(ADDRESS)
    assert len(mails) == 1
    assert mails[0].subject == "Uitnodiging voor biebvoucher"
    assert "/register/open?token=" in mails[0].text_body
    assert intermediary_organisation.name in mails[0].text_body
    assert "Intermediair" in mails[0].text_body
    assert view.email == ADDRESS
    assert view.organisation_name == intermediary_organisation.name
    assert not view.expired


def test_token_random_and_stored_hashed(administrator, intermediary_organisation):
    view = _invite(administrator, intermediary_organisation)

    token = latest_token(ADDRESS)
    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    stored = _invitation(view.id)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.model_dump_json()


def test_address_normalised(administrator, intermediary_organisation):
    view = _invite(administrator, intermediary_organisation, email="  Lotte.Peeters@Example.TEST ")

    assert view.email == ADDRESS


@pytest.mark.parametrize("user_fixture", ["intermediary", "desk_staff"])
def test_invite_needs_administrator(request, user_fixture, intermediary_organisation):
    actor = request.getfixturevalue(user_fixture)

    with pytest.raises(PermissionDenied):
        _invite(actor, intermediary_organisation)
    assert queued_mails(ADDRESS) == []


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", EmailMissing),
        ("   ", EmailMissing),
        ("lotte.example.test", InvalidEmail),
        ("lotte@example", InvalidEmail),
        ("lotte peeters@example.test", InvalidEmail),
        ("lotte@example.test\nBcc: x@example.test", InvalidEmail),
        ("a" * 250 + "@example.test", InvalidEmail),
    ],
)
def test_invalid_address_rejected(administrator, intermediary_organisation, email, error):
    with pytest.raises(error) as raised:
        _invite(administrator, intermediary_organisation, email=email)
    assert raised.value.field == "email"


@pytest.mark.parametrize("role", [None, "", "boss"])
def test_missing_role_rejected(administrator, intermediary_organisation, role):
    with pytest.raises(RoleRequired):
        _invite(administrator, intermediary_organisation, role=role)


def test_missing_organisation_rejected(administrator):
    with pytest.raises(InviteeOrganisationRequired):
        invite_user(actor_id=administrator.id, email=ADDRESS, role=Role.INTERMEDIARY, organisation_id=None)


def test_unknown_organisation_rejected(administrator):
    with pytest.raises(OrganisationNotFound):
        invite_user(actor_id=administrator.id, email=ADDRESS, role=Role.INTERMEDIARY, organisation_id=999_999)


def test_inactive_organisation_rejected(administrator, intermediary_organisation):
    with write_session() as session:
        session.exec(update(Organisation).where(Organisation.id == intermediary_organisation.id).values(active=False))

    with pytest.raises(OrganisationNotFound):
        _invite(administrator, intermediary_organisation)


def test_library_staff_needs_library(administrator, intermediary_organisation, library):
    with pytest.raises(RoleNotForOrganisation):
        _invite(administrator, intermediary_organisation, role=Role.LIBRARY_STAFF)

    assert _invite(administrator, library, role=Role.LIBRARY_STAFF).role == Role.LIBRARY_STAFF


def test_registered_address_rejected(administrator, intermediary):
    with pytest.raises(EmailAlreadyRegistered) as raised:
        invite_user(
            actor_id=administrator.id,
            email=intermediary.email.upper(),
            role=Role.INTERMEDIARY,
            organisation_id=intermediary.organisation_id,
        )
    assert raised.value.params == {"email": intermediary.email}


def test_open_invitation_rejected(administrator, intermediary_organisation):
    _invite(administrator, intermediary_organisation)

    with pytest.raises(InvitationAlreadyOpen):
        _invite(administrator, intermediary_organisation)
    assert len(queued_mails(ADDRESS)) == 1


def test_expired_invitation_replaced(administrator, intermediary_organisation, frozen_clock):
    first = _invite(administrator, intermediary_organisation)
    frozen_clock.advance(days=8)

    second = _invite(administrator, intermediary_organisation)

    assert _invitation(first.id).revoked_at == frozen_clock.now
    assert [view.id for view in list_open_invitations(actor_id=administrator.id)] == [second.id]


def test_register_creates_account(administrator, library):
    view = _invite(administrator, library, role=Role.LIBRARY_STAFF)
    token = latest_token(ADDRESS)

    preview = open_invitation(token)
    email = _register(token, name="  Lotte   Peeters ")

    assert preview.email == ADDRESS
    assert preview.organisation_name == library.name
    assert email == ADDRESS
    with read_session() as session:
        user = session.exec(select(User).where(User.email == ADDRESS)).one()
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "user.registered")).all()
    assert user.name == "Lotte Peeters"
    assert user.role == Role.LIBRARY_STAFF
    assert user.organisation_id == library.id
    assert _invitation(view.id).user_id == user.id
    assert [event.subject_id for event in events] == [user.id]
    assert log_in_with_password(ADDRESS, PASSWORD)


def test_link_single_use(administrator, intermediary_organisation):
    _invite(administrator, intermediary_organisation)
    token = latest_token(ADDRESS)
    _register(token)

    with pytest.raises(InvitationUsed):
        open_invitation(token)
    with pytest.raises(InvitationUsed):
        _register(token)


def test_link_expires_after_seven_days(administrator, intermediary_organisation, frozen_clock):
    _invite(administrator, intermediary_organisation)
    token = latest_token(ADDRESS)

    frozen_clock.advance(days=7, seconds=-1)
    assert open_invitation(token).email == ADDRESS
    frozen_clock.advance(seconds=1)

    with pytest.raises(InvitationExpired) as raised:
        open_invitation(token)
    assert raised.value.params == {"when": frozen_clock.now}
    with pytest.raises(InvitationExpired):
        _register(token)
    assert list_open_invitations(actor_id=administrator.id)[0].expired


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_unknown_token_rejected(database, token):
    with pytest.raises(InvitationNotFound):
        open_invitation(token)


def test_revoke_kills_link(administrator, intermediary_organisation):
    view = _invite(administrator, intermediary_organisation)
    token = latest_token(ADDRESS)

    revoke_invitation(actor_id=administrator.id, invitation_id=view.id)

    with pytest.raises(InvitationRevoked):
        open_invitation(token)
    with pytest.raises(InvitationRevoked):
        _register(token)
    with pytest.raises(InvitationClosed):
        revoke_invitation(actor_id=administrator.id, invitation_id=view.id)
    with pytest.raises(InvitationClosed):
        resend_invitation(actor_id=administrator.id, invitation_id=view.id)
    assert list_open_invitations(actor_id=administrator.id) == []


def test_revoke_used_invitation_rejected(administrator, intermediary_organisation):
    view = _invite(administrator, intermediary_organisation)
    _register(latest_token(ADDRESS))

    with pytest.raises(InvitationClosed):
        revoke_invitation(actor_id=administrator.id, invitation_id=view.id)


def test_resend_replaces_link(administrator, intermediary_organisation, frozen_clock):
    view = _invite(administrator, intermediary_organisation)
    old_token = latest_token(ADDRESS)
    frozen_clock.advance(days=6)

    resent = resend_invitation(actor_id=administrator.id, invitation_id=view.id)

    new_token = latest_token(ADDRESS)
    assert new_token != old_token
    assert len(queued_mails(ADDRESS)) == 2
    assert resent.send_count == 2
    assert resent.expires_at == frozen_clock.now + INVITATION_LIFETIME
    with pytest.raises(InvitationNotFound):
        open_invitation(old_token)
    frozen_clock.advance(days=3)
    assert open_invitation(new_token).email == ADDRESS


def test_resend_expired_invitation(administrator, intermediary_organisation, frozen_clock):
    view = _invite(administrator, intermediary_organisation)
    frozen_clock.advance(days=30)

    resend_invitation(actor_id=administrator.id, invitation_id=view.id)

    assert open_invitation(latest_token(ADDRESS)).email == ADDRESS


def test_resend_and_revoke_need_administrator(administrator, intermediary, intermediary_organisation):
    view = _invite(administrator, intermediary_organisation)

    with pytest.raises(PermissionDenied):
        resend_invitation(actor_id=intermediary.id, invitation_id=view.id)
    with pytest.raises(PermissionDenied):
        revoke_invitation(actor_id=intermediary.id, invitation_id=view.id)
    with pytest.raises(PermissionDenied):
        list_open_invitations(actor_id=intermediary.id)


def test_list_shows_open_only(administrator, intermediary_organisation):
    used = _invite(administrator, intermediary_organisation, email="used@example.test")
    _register(latest_token("used@example.test"), name="Uma Used")
    revoked = _invite(administrator, intermediary_organisation, email="revoked@example.test")
    revoke_invitation(actor_id=administrator.id, invitation_id=revoked.id)
    open_view = _invite(administrator, intermediary_organisation)

    listed = list_open_invitations(actor_id=administrator.id)

    assert [view.id for view in listed] == [open_view.id]
    assert used.id != open_view.id
    assert listed[0].invited_by_name == administrator.name


def test_register_applies_policy(administrator, intermediary_organisation):
    _invite(administrator, intermediary_organisation)
    token = latest_token(ADDRESS)

    with pytest.raises(PasswordCommon):
        _register(token, password="qwerty123456")
    with pytest.raises(PasswordFromContext):
        _register(token, password=f"{intermediary_organisation.name} 12")
    with pytest.raises(PasswordFromContext):
        _register(token, password="Peeters Peeters!")

    assert open_invitation(token).email == ADDRESS


@pytest.mark.parametrize(("name", "error"), [("", NameMissing), ("   ", NameMissing), ("x" * 201, NameTooLong)])
def test_register_checks_name(administrator, intermediary_organisation, name, error):
    _invite(administrator, intermediary_organisation)

    with pytest.raises(error) as raised:
        _register(latest_token(ADDRESS), name=name)
    assert raised.value.field == "name"


def test_register_existing_account_rejected(administrator, intermediary_organisation):
    _invite(administrator, intermediary_organisation)
    with write_session() as session:
        organisation = session.get(Organisation, intermediary_organisation.id)
        add_user(
            session, email=ADDRESS, name="Other", role=Role.INTERMEDIARY, organisation=organisation, password_hash="x"
        )

    with pytest.raises(AccountAlreadyExists):
        _register(latest_token(ADDRESS))


def test_deactivated_organisation_closes_invitation(administrator, database):
    from tests.factories import make_organisation

    organisation = make_organisation(OrganisationKind.INTERMEDIARY)
    _invite(administrator, organisation)
    with write_session() as session:
        session.exec(update(Organisation).where(Organisation.id == organisation.id).values(active=False))

    with pytest.raises(InvitationRevoked):
        open_invitation(latest_token(ADDRESS))
