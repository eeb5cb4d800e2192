import pytest
from sqlalchemy import update
from sqlmodel import select

from models import AuditEvent, PasswordReset, User
from services.accounts import resolve_session
from services.credentials import (
    RESET_MAILS_PER_HOUR,
    change_password,
    open_password_reset,
    request_password_reset,
    reset_password,
)
from services.db import read_session, write_session
from services.errors import (
    CurrentPasswordMissing,
    CurrentPasswordWrong,
    EmailMissing,
    InvalidEmail,
    LoginFailed,
    PasswordFromContext,
    PasswordsDiffer,
    PasswordTooShort,
    ResetLinkExpired,
    ResetLinkInvalid,
    ResetLinkUsed,
)
from tests.clock_helpers import freeze_clock
from tests.factories import TEST_PASSWORD
from tests.mail_helpers import latest_token, queued_mails
from tests.services.login_helpers import log_in_with_password

NEW_PASSWORD = "zeven zwanen zwemmen zuidwaarts"


@pytest.fixture
def frozen_clock(monkeypatch):
    return freeze_clock(monkeypatch)


def _log_in(user, password=TEST_PASSWORD):
    return log_in_with_password(user.email, password)


def _reset(token, password=NEW_PASSWORD, repeat=None):
    return reset_password(
        token=token, password=password, password_repeat=password if repeat is None else repeat, locale="nl"
    )


def _change(user, current=TEST_PASSWORD, new=NEW_PASSWORD, keep=None):
    return change_password(
        actor_id=user.id,
        current_password=current,
        new_password=new,
        password_repeat=new,
        keep_session_token=keep,
        locale="nl",
    )


def test_reset_request_same_answer_for_unknown_address(intermediary):
    known = request_password_reset(email=intermediary.email, locale="nl")
    unknown = request_password_reset(email="nobody@example.test", locale="nl")

    assert known is None
    assert unknown is None
    assert len(queued_mails(intermediary.email)) == 1
    assert queued_mails("nobody@example.test") == []


def test_reset_request_for_inactive_user_sends_nothing(intermediary):
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(active=False))

    assert request_password_reset(email=intermediary.email, locale="nl") is None

    assert queued_mails(intermediary.email) == []


@pytest.mark.parametrize(("email", "error"), [("", EmailMissing), ("not an address", InvalidEmail)])
def test_reset_request_checks_address(database, email, error):
    with pytest.raises(error):
        request_password_reset(email=email, locale="nl")


def test_reset_sets_password_and_ends_sessions(intermediary):
    first_session = _log_in(intermediary)
    second_session = _log_in(intermediary)
    request_password_reset(email=intermediary.email.upper(), locale="nl")
    token = latest_token(intermediary.email)

    assert open_password_reset(token).email == intermediary.email
    assert _reset(token) == intermediary.email

    assert resolve_session(first_session) is None
    assert resolve_session(second_session) is None
    assert _log_in(intermediary, NEW_PASSWORD)
    with pytest.raises(LoginFailed):
        _log_in(intermediary)
    subjects = [mail.subject for mail in queued_mails(intermediary.email)]
    assert subjects == ["Nieuw wachtwoord instellen voor biebvoucher", "Uw wachtwoord voor biebvoucher is gewijzigd"]
    with read_session() as session:
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.subject_id == intermediary.id)).all()
    assert "user.password_reset" in actions


def test_reset_link_single_use(intermediary):
    request_password_reset(email=intermediary.email, locale="nl")
    token = latest_token(intermediary.email)
    _reset(token)

    with pytest.raises(ResetLinkUsed):
        open_password_reset(token)
    with pytest.raises(ResetLinkUsed):
        _reset(token, password="een heel ander wachtwoord")


def test_reset_link_expires_after_one_hour(intermediary, frozen_clock):
    request_password_reset(email=intermediary.email, locale="nl")
    token = latest_token(intermediary.email)

    frozen_clock.advance(minutes=59, seconds=59)
    assert open_password_reset(token).email == intermediary.email
    frozen_clock.advance(seconds=1)

    with pytest.raises(ResetLinkExpired):
        open_password_reset(token)
    with pytest.raises(ResetLinkExpired):
        _reset(token)


def test_newer_reset_link_replaces_older(intermediary):
    request_password_reset(email=intermediary.email, locale="nl")
    old_token = latest_token(intermediary.email)
    request_password_reset(email=intermediary.email, locale="nl")

    with pytest.raises(ResetLinkInvalid):
        open_password_reset(old_token)
    assert open_password_reset(latest_token(intermediary.email)).email == intermediary.email


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_unknown_reset_token_rejected(database, token):
    with pytest.raises(ResetLinkInvalid):
        open_password_reset(token)


def test_reset_mails_limited_per_hour(intermediary, frozen_clock):
    for _ in range(RESET_MAILS_PER_HOUR + 1):
        request_password_reset(email=intermediary.email, locale="nl")

    assert len(queued_mails(intermediary.email)) == RESET_MAILS_PER_HOUR
    frozen_clock.advance(hours=1)
    request_password_reset(email=intermediary.email, locale="nl")
    assert len(queued_mails(intermediary.email)) == RESET_MAILS_PER_HOUR + 1


def test_reset_applies_policy_and_keeps_link(intermediary):
    request_password_reset(email=intermediary.email, locale="nl")
    token = latest_token(intermediary.email)

    with pytest.raises(PasswordTooShort):
        _reset(token, password="kort")
    with pytest.raises(PasswordsDiffer):
        _reset(token, repeat=NEW_PASSWORD + "!")

    assert open_password_reset(token).email == intermediary.email
    with read_session() as session:
        assert session.exec(select(PasswordReset.used_at)).one() is None


def test_reset_for_deactivated_user_rejected(intermediary):
    request_password_reset(email=intermediary.email, locale="nl")
    token = latest_token(intermediary.email)
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(active=False))

    with pytest.raises(ResetLinkInvalid):
        _reset(token)


def test_change_keeps_own_session_only(intermediary):
    own_session = _log_in(intermediary)
    other_session = _log_in(intermediary)

    ended = _change(intermediary, keep=own_session)

    assert ended == 1
    assert resolve_session(own_session).id == intermediary.id
    assert resolve_session(other_session) is None
    assert _log_in(intermediary, NEW_PASSWORD)
    assert [mail.subject for mail in queued_mails(intermediary.email)] == [
        "Uw wachtwoord voor biebvoucher is gewijzigd"
    ]


def test_change_needs_current_password(intermediary):
    with pytest.raises(CurrentPasswordMissing) as missing:
        _change(intermediary, current="")
    with pytest.raises(CurrentPasswordWrong) as wrong:
        _change(intermediary, current="not the password")

    assert missing.value.field == "current_password"
    assert wrong.value.field == "current_password"
    assert _log_in(intermediary)
    assert queued_mails(intermediary.email) == []


def test_change_applies_policy(intermediary):
    with pytest.raises(PasswordFromContext):
        _change(intermediary, new=f"{intermediary.name} 2026")

    assert _log_in(intermediary)
