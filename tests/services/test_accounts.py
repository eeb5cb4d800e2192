from datetime import timedelta

import pytest
from sqlalchemy import update

from models import AuthSession, User
from services.accounts import complete_login, end_session, resolve_session, safe_redirect_target, start_login
from services.clock import utc_now
from services.db import write_session
from services.errors import LoginExpired, LoginFailed
from tests.factories import TEST_PASSWORD


def _log_in(user, redirect_to="/"):
    handoff = start_login(email=user.email, password=TEST_PASSWORD, redirect_to=redirect_to)
    return complete_login(handoff=handoff)


def test_login_creates_session(intermediary):
    token, redirect_to = _log_in(intermediary, redirect_to="/check")

    session_user = resolve_session(token)
    assert session_user.id == intermediary.id
    assert redirect_to == "/check"


def test_email_is_case_insensitive(intermediary):
    handoff = start_login(email=f"  {intermediary.email.upper()} ", password=TEST_PASSWORD)

    assert complete_login(handoff=handoff)[0]


@pytest.mark.parametrize("password", ["wrong", TEST_PASSWORD.upper(), TEST_PASSWORD + " "])
def test_wrong_password_rejected(intermediary, password):
    with pytest.raises(LoginFailed):
        start_login(email=intermediary.email, password=password)


def test_unknown_email_same_error(database):
    with pytest.raises(LoginFailed) as raised:
        start_login(email="nobody@example.test", password=TEST_PASSWORD)
    assert raised.value.code == "auth.login_failed"


def test_inactive_user_cannot_log_in(intermediary):
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(active=False))

    with pytest.raises(LoginFailed):
        start_login(email=intermediary.email, password=TEST_PASSWORD)


def test_handoff_single_use(intermediary):
    handoff = start_login(email=intermediary.email, password=TEST_PASSWORD)
    complete_login(handoff=handoff)

    with pytest.raises(LoginExpired):
        complete_login(handoff=handoff)


def test_handoff_expires(intermediary):
    handoff = start_login(email=intermediary.email, password=TEST_PASSWORD)
    from models import LoginAttempt

    with write_session() as session:
        session.exec(update(LoginAttempt).values(expires_at=utc_now() - timedelta(seconds=1)))

    with pytest.raises(LoginExpired):
        complete_login(handoff=handoff)


def test_idle_session_ends(intermediary):
    token, _ = _log_in(intermediary)
    with write_session() as session:
        session.exec(update(AuthSession).values(last_seen_at=utc_now() - timedelta(minutes=31)))

    assert resolve_session(token) is None
    assert resolve_session(token) is None


def test_session_older_than_absolute_limit_ends(intermediary):
    token, _ = _log_in(intermediary)
    with write_session() as session:
        session.exec(update(AuthSession).values(created_at=utc_now() - timedelta(hours=12, minutes=1)))

    assert resolve_session(token) is None


def test_logout_ends_session(intermediary):
    token, _ = _log_in(intermediary)

    end_session(token)

    assert resolve_session(token) is None


def test_deactivation_ends_session(intermediary):
    token, _ = _log_in(intermediary)
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(active=False))

    assert resolve_session(token) is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/check", "/check"),
        ("/vouchers/5?x=1", "/vouchers/5?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_redirect_target_must_be_local(target, expected):
    assert safe_redirect_target(target) == expected


@pytest.mark.parametrize(("email", "password"), [("", TEST_PASSWORD), ("someone@example.test", ""), ("  ", "")])
def test_empty_login_fields_rejected(database, email, password):
    from services.errors import LoginFieldsMissing

    with pytest.raises(LoginFieldsMissing):
        start_login(email=email, password=password)
