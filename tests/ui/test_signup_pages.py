"""Invitations, registration, forgotten password, account and mail pages with NiceGUI's simulated user."""

from datetime import timedelta

from nicegui.testing import User
from sqlalchemy import update
from sqlmodel import select

from models import Invitation, MailStatus, Organisation, OutboxMail, Role
from models import User as Account
from services.clock import utc_now
from services.credentials import request_password_reset
from services.db import read_session, write_session
from services.invitations import invite_user
from services.settings import get_settings
from tests.mail_helpers import mailed_token, queued_mails
from tests.services.login_helpers import log_in_with_password
from tests.ui.conftest import log_in, wait_for

ADMIN_EMAIL = "beheerder@demo.test"
NEW_EMAIL = "nieuw@demo.test"
NEW_PASSWORD = "fietsen langs de maas in mei"
INTERMEDIARY_ORGANISATION = "Voedselbank Maastricht"


def _ids(organisation_name: str = INTERMEDIARY_ORGANISATION) -> tuple[int, int]:
    """Return the ids of the demo administrator and of an organisation."""
    with read_session() as session:
        admin_id = session.exec(select(Account.id).where(Account.email == ADMIN_EMAIL)).one()
        organisation_id = session.exec(select(Organisation.id).where(Organisation.name == organisation_name)).one()
    return admin_id, organisation_id


def _invite(email: str = NEW_EMAIL) -> str:
    """Invite `email` through the service and return the token from the mail."""
    admin_id, organisation_id = _ids()
    invite_user(actor_id=admin_id, email=email, role=Role.INTERMEDIARY, organisation_id=organisation_id)
    token = mailed_token(email, _outbox())
    assert token
    return token


def _outbox():
    return get_settings().data_dir / "outbox"


def _fill(user: User, marker: str, value: str) -> None:
    user.find(marker=marker).type(value)


async def _open_registration(user: User, token: str) -> None:
    await user.open(f"/register/open?token={token}")


async def test_admin_invites_and_user_registers(user: User):
    await log_in(user, ADMIN_EMAIL, path="/admin/invitations", heading="Uitnodigingen")
    _fill(user, "invite-email", NEW_EMAIL)
    user.find(marker="invite-role").elements.pop().set_value(Role.INTERMEDIARY.value)
    user.find(marker="invite-organisation").elements.pop().set_value(_ids()[1])
    user.find(marker="invite-submit").click()
    await user.should_see(f"Uitnodiging verstuurd naar {NEW_EMAIL}.")
    await user.should_see(marker=f"invitation-{NEW_EMAIL}")

    await wait_for(lambda: mailed_token(NEW_EMAIL, _outbox()) is not None)
    token = mailed_token(NEW_EMAIL, _outbox())
    await user.open("/logout")
    await _open_registration(user, token)
    await user.should_see(f"U bent uitgenodigd als Intermediair bij {INTERMEDIARY_ORGANISATION}.")
    _fill(user, "name", "Nina Nieuw")
    _fill(user, "password", NEW_PASSWORD)
    _fill(user, "password-repeat", NEW_PASSWORD)
    user.find(marker="register-submit").click()

    await user.should_see("Uw account is aangemaakt. Log in met uw e-mailadres en wachtwoord.")
    assert log_in_with_password(NEW_EMAIL, NEW_PASSWORD)


async def test_registration_sends_no_referrer(user: User):
    token = _invite()

    opened = await user.http_client.get(f"/register/open?token={token}")
    page = await user.http_client.get("/register")

    assert opened.status_code == 303
    assert opened.headers["location"] == "/register"
    assert opened.headers["referrer-policy"] == "no-referrer"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert token not in page.text


async def test_register_without_link(user: User):
    await user.open("/register")

    await user.should_see("In deze browser is geen link uit een e-mail geopend. Open de link in de e-mail opnieuw.")
    await user.should_not_see(marker="register-submit")


async def test_register_expired_link(user: User):
    token = _invite()
    with write_session() as session:
        session.exec(update(Invitation).values(expires_at=utc_now() - timedelta(minutes=1)))

    await _open_registration(user, token)

    await user.should_see("Deze uitnodiging is verlopen op")
    await user.should_not_see(marker="register-submit")


async def test_register_revoked_link(user: User):
    token = _invite()
    with write_session() as session:
        session.exec(update(Invitation).values(revoked_at=utc_now()))

    await _open_registration(user, token)

    await user.should_see("Deze uitnodiging is ingetrokken door een beheerder.")


async def test_register_unknown_link(user: User):
    await _open_registration(user, "not-a-real-token")

    await user.should_see("Deze uitnodigingslink is ongeldig.")


async def test_register_used_link(user: User):
    token = _invite()
    await _open_registration(user, token)
    _fill(user, "name", "Nina Nieuw")
    _fill(user, "password", NEW_PASSWORD)
    _fill(user, "password-repeat", NEW_PASSWORD)
    user.find(marker="register-submit").click()
    await user.should_see("Uw account is aangemaakt.")

    await _open_registration(user, token)

    await user.should_see("Deze uitnodiging is al gebruikt om een account aan te maken.")


async def test_register_weak_password_keeps_input(user: User):
    await _open_registration(user, _invite())
    _fill(user, "name", "Nina Nieuw")
    _fill(user, "password", "qwerty123456")
    _fill(user, "password-repeat", "qwerty123456")

    user.find(marker="register-submit").click()

    await user.should_see("Wachtwoord staat op een lijst van veelgebruikte wachtwoorden")
    assert user.find(marker="name").elements.pop().value == "Nina Nieuw"
    assert user.find(marker="password").elements.pop().props["error"] is True
    assert user.find(marker="register-error").elements.pop().text == ""


async def test_register_context_password_rejected(user: User):
    await _open_registration(user, _invite())
    _fill(user, "name", "Nina Nieuw")
    _fill(user, "password", "Bibliotheek2026!")
    _fill(user, "password-repeat", "Bibliotheek2026!")

    user.find(marker="register-submit").click()

    await user.should_see('Wachtwoord bestaat vooral uit "bibliotheek"')


async def test_register_repeat_differs(user: User):
    await _open_registration(user, _invite())
    _fill(user, "name", "Nina Nieuw")
    _fill(user, "password", NEW_PASSWORD)
    _fill(user, "password-repeat", NEW_PASSWORD + "!")

    user.find(marker="register-submit").click()

    await user.should_see("Herhaal wachtwoord wijkt af van het wachtwoord.")
    assert user.find(marker="password-repeat").elements.pop().props["error"] is True


async def test_register_name_missing(user: User):
    await _open_registration(user, _invite())
    _fill(user, "password", NEW_PASSWORD)
    _fill(user, "password-repeat", NEW_PASSWORD)

    user.find(marker="register-submit").click()

    await user.should_see("Naam is leeg. Typ uw voor- en achternaam.")


async def test_invite_page_errors(user: User):
    await log_in(user, ADMIN_EMAIL, path="/admin/invitations", heading="Uitnodigingen")

    user.find(marker="invite-submit").click()
    await user.should_see("E-mailadres is leeg.")

    _fill(user, "invite-email", "intermediair@demo.test")
    user.find(marker="invite-role").elements.pop().set_value(Role.INTERMEDIARY.value)
    user.find(marker="invite-organisation").elements.pop().set_value(_ids()[1])
    user.find(marker="invite-submit").click()
    await user.should_see("intermediair@demo.test heeft al een account")

    user.find(marker="invite-email").elements.pop().set_value(NEW_EMAIL)
    user.find(marker="invite-role").elements.pop().set_value(Role.LIBRARY_STAFF.value)
    user.find(marker="invite-submit").click()
    await user.should_see("Een bibliotheekmedewerker hoort bij een bibliotheek")


async def test_invite_page_open_invitation_rejected(user: User):
    _invite()
    await log_in(user, ADMIN_EMAIL, path="/admin/invitations", heading="Uitnodigingen")
    _fill(user, "invite-email", NEW_EMAIL)
    user.find(marker="invite-role").elements.pop().set_value(Role.INTERMEDIARY.value)
    user.find(marker="invite-organisation").elements.pop().set_value(_ids()[1])

    user.find(marker="invite-submit").click()

    await user.should_see(f"{NEW_EMAIL} heeft al een openstaande uitnodiging")


async def test_resend_and_revoke_from_list(user: User):
    old_token = _invite()
    await log_in(user, ADMIN_EMAIL, path="/admin/invitations", heading="Uitnodigingen")

    user.find(marker=f"resend-{NEW_EMAIL}").click()
    await user.should_see(f"Uitnodiging opnieuw verstuurd naar {NEW_EMAIL}.")
    await wait_for(lambda: mailed_token(NEW_EMAIL, _outbox()) not in (None, old_token))

    user.find(marker=f"revoke-{NEW_EMAIL}").click()
    await user.should_see(f"Uitnodiging voor {NEW_EMAIL} ingetrokken.")
    await user.should_see(marker="no-invitations")


async def test_admin_pages_refuse_intermediary(user: User):
    await log_in(user, "intermediair@demo.test", path="/admin/invitations", heading="Uitnodigingen")
    await user.should_see("Dit mag u niet met uw rol.")
    await user.should_not_see(marker="invite-submit")

    await user.open("/admin/mail")
    await user.should_see(marker="page-error")
    await user.should_not_see(marker="mail-table")


async def test_mail_page_retries_failed_mail(user: User):
    with write_session() as session:
        mail = OutboxMail(
            template="invitation",
            recipient="onbekend@demo.test",
            subject="Uitnodiging voor biebvoucher",
            text_body="tekst",
            html_body="<p>tekst</p>",
            status=MailStatus.FAILED,
            attempts=1,
            last_error="550 5.1.1 No such mailbox",
            next_attempt_at=utc_now(),
            created_at=utc_now(),
        )
        session.add(mail)
        session.flush()
        mail_id = mail.id
    await log_in(user, ADMIN_EMAIL, path="/admin/mail", heading="Niet afgeleverde e-mail")
    await user.should_see("onbekend@demo.test")
    await user.should_see("550 5.1.1 No such mailbox")

    user.find(marker=f"retry-{mail_id}").click()

    await user.should_see("De mail staat weer in de wachtrij en wordt binnen enkele seconden verstuurd.")
    with read_session() as session:
        assert session.get(OutboxMail, mail_id).status != MailStatus.FAILED


async def test_login_page_links_forgotten_password(user: User):
    await user.open("/login")

    user.find("Wachtwoord vergeten?").click()

    await user.should_see("Typ het e-mailadres van uw account.")


async def test_forgotten_password_same_answer(user: User):
    for address in ("intermediair@demo.test", "niemand@demo.test"):
        await user.open("/forgot-password")
        _fill(user, "email", address)
        user.find(marker="forgot-submit").click()
        await user.should_see(f"Als {address} bij een account hoort, is er een link onderweg.")

    await wait_for(lambda: mailed_token("intermediair@demo.test", _outbox()) is not None)
    assert queued_mails("niemand@demo.test") == []


async def test_forgotten_password_invalid_address(user: User):
    await user.open("/forgot-password")
    _fill(user, "email", "geen adres")

    user.find(marker="forgot-submit").click()

    await user.should_see('E-mailadres "geen adres" is ongeldig.')
    assert user.find(marker="email").elements.pop().value == "geen adres"


async def test_reset_link_sets_password(user: User):
    request_password_reset(email="intermediair@demo.test", locale="nl")
    token = mailed_token("intermediair@demo.test", _outbox())

    await user.open(f"/reset-password/open?token={token}")
    await user.should_see("intermediair@demo.test")
    _fill(user, "password", NEW_PASSWORD)
    _fill(user, "password-repeat", NEW_PASSWORD)
    user.find(marker="reset-submit").click()

    await user.should_see("Uw wachtwoord is gewijzigd. Log in met uw nieuwe wachtwoord.")
    assert log_in_with_password("intermediair@demo.test", NEW_PASSWORD)

    await user.open(f"/reset-password/open?token={token}")
    await user.should_see("Deze link voor een nieuw wachtwoord is al gebruikt.")


async def test_reset_weak_password(user: User):
    request_password_reset(email="intermediair@demo.test", locale="nl")
    await user.open(f"/reset-password/open?token={mailed_token('intermediair@demo.test', _outbox())}")
    _fill(user, "password", "kort")
    _fill(user, "password-repeat", "kort")

    user.find(marker="reset-submit").click()

    await user.should_see("Wachtwoord heeft 4 tekens, maar moet er minstens 12 hebben.")


async def test_reset_without_link(user: User):
    await user.open("/reset-password")

    await user.should_see("In deze browser is geen link uit een e-mail geopend.")
    await user.should_see("Nieuwe link aanvragen")


async def test_account_changes_password(user: User):
    await log_in(user, "intermediair@demo.test", path="/account", heading="Account")
    _fill(user, "current-password", "niet het wachtwoord")
    _fill(user, "password", NEW_PASSWORD)
    _fill(user, "password-repeat", NEW_PASSWORD)
    user.find(marker="change-submit").click()
    await user.should_see("Huidig wachtwoord is onjuist.")

    user.find(marker="current-password").elements.pop().set_value("Demo-wachtwoord-2026")
    user.find(marker="change-submit").click()

    await user.should_see("Uw wachtwoord is gewijzigd. We hebben een bericht gestuurd naar intermediair@demo.test.")
    assert user.find(marker="current-password").elements.pop().value == ""
    assert log_in_with_password("intermediair@demo.test", NEW_PASSWORD)


async def test_account_menu_links_account_page(user: User):
    await log_in(user, "intermediair@demo.test")

    user.find(marker="menu-account").click()

    await user.should_see("Wachtwoord wijzigen")
