"""A user's language: stored through the service, remembered at login, used for their mails."""

import pytest
from sqlalchemy import update
from sqlmodel import select

from models import AuditEvent, User
from services.accounts import resolve_session
from services.credentials import change_password, request_password_reset
from services.db import read_session, write_session
from services.errors import LocaleUnknown, NotAuthenticated
from services.login import start_login
from services.preferences import choose_locale, mail_locale
from tests.factories import TEST_PASSWORD
from tests.services.login_helpers import log_in, mails_to

NEW_PASSWORD = "a long new sentence for the test"


def _stored_locale(user: User) -> str | None:
    with read_session() as session:
        return session.exec(select(User.locale).where(User.id == user.id)).one()


def test_new_user_has_no_locale(intermediary):
    assert _stored_locale(intermediary) is None


def test_choose_locale_stores_it(intermediary):
    assert choose_locale(actor_id=intermediary.id, locale="en") == "en"

    assert _stored_locale(intermediary) == "en"


def test_choose_locale_is_audited(intermediary):
    choose_locale(actor_id=intermediary.id, locale="en")

    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.locale_changed")).one()
    assert event.actor_id == intermediary.id
    assert event.subject_id == intermediary.id
    assert event.before == {"locale": None}
    assert event.after == {"locale": "en"}


def test_same_locale_again_not_audited(intermediary):
    choose_locale(actor_id=intermediary.id, locale="en")
    choose_locale(actor_id=intermediary.id, locale="en")

    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "user.locale_changed")).all()
    assert len(events) == 1


@pytest.mark.parametrize("locale", ["fr", "", "EN", "en-US"])
def test_unknown_locale_rejected(intermediary, locale):
    with pytest.raises(LocaleUnknown):
        choose_locale(actor_id=intermediary.id, locale=locale)

    assert _stored_locale(intermediary) is None


def test_deactivated_user_cannot_choose(intermediary):
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(active=False))

    with pytest.raises(NotAuthenticated):
        choose_locale(actor_id=intermediary.id, locale="en")


def test_session_user_carries_locale(intermediary):
    choose_locale(actor_id=intermediary.id, locale="en")

    token, _ = log_in(intermediary.email)

    assert resolve_session(token).locale == "en"


def test_mail_locale_prefers_stored_choice():
    assert mail_locale(User(locale="en"), "nl") == "en"
    assert mail_locale(User(locale=None), "en") == "en"
    assert mail_locale(User(locale=None), "xx") == "nl"
    assert mail_locale(None) == "nl"


def test_login_code_mailed_in_stored_language(intermediary):
    choose_locale(actor_id=intermediary.id, locale="en")

    # The login page was Dutch, but the account chose English.
    start_login(email=intermediary.email, password=TEST_PASSWORD, locale="nl")

    mail = mails_to(intermediary.email)[-1]
    assert mail.subject == "Your verification code for biebvoucher"
    assert "Your verification code is" in mail.text_body


def test_login_code_without_choice_follows_page(intermediary):
    start_login(email=intermediary.email, password=TEST_PASSWORD, locale="nl")

    assert "Uw verificatiecode is" in mails_to(intermediary.email)[-1].text_body


def test_password_reset_mailed_in_stored_language(intermediary):
    choose_locale(actor_id=intermediary.id, locale="en")

    request_password_reset(email=intermediary.email, locale="nl")

    mail = mails_to(intermediary.email, template="password_reset")[-1]
    assert mail.subject == "Set a new password for biebvoucher"


def test_password_changed_notice_in_stored_language(intermediary):
    choose_locale(actor_id=intermediary.id, locale="en")

    change_password(
        actor_id=intermediary.id,
        current_password=TEST_PASSWORD,
        new_password=NEW_PASSWORD,
        password_repeat=NEW_PASSWORD,
        keep_session_token=None,
        locale="nl",
    )

    mail = mails_to(intermediary.email, template="password_changed")[-1]
    assert mail.subject == "Your biebvoucher password was changed"
