from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from models import AuthSession, LoginAttempt, User
from services.accounts import complete_login, end_session, resolve_session, safe_redirect_target
from services.clock import utc_now
from services.db import write_session
from services.errors import LoginExpired
from services.login import start_login, verify_login_code
from tests.factories import TEST_PASSWORD
from tests.services.login_helpers import latest_code
from tests.services.login_helpers import log_in as log_in_steps


def _log_in(user, redirect_to="/"):
    return log_in_steps(user.email, redirect_to=redirect_to)


def _handoff(user):
    challenge = start_login(email=user.email, password=TEST_PASSWORD)
    return verify_login_code(attempt_token=challenge.attempt_token, code=latest_code(user.email))


def test_login_creates_session(intermediary):
    token, redirect_to = _log_in(intermediary, redirect_to="/check")

    session_user = resolve_session(token)
    assert session_user.id == intermediary.id
    assert redirect_to == "/check"


def test_email_is_case_insensitive(intermediary):
    challenge = start_login(email=f"  {intermediary.email.upper()} ", password=TEST_PASSWORD)
    handoff = verify_login_code(attempt_token=challenge.attempt_token, code=latest_code(intermediary.email))

    token, _ = complete_login(handoff=handoff)
    assert resolve_session(token).id == intermediary.id


def test_handoff_single_use(intermediary):
    handoff = _handoff(intermediary)
    complete_login(handoff=handoff)

    with pytest.raises(LoginExpired):
        complete_login(handoff=handoff)


def test_handoff_expires(intermediary):
    handoff = _handoff(intermediary)
    with write_session() as session:
        session.exec(update(LoginAttempt).values(handoff_expires_at=utc_now() - timedelta(seconds=1)))

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


def test_resolving_records_activity(intermediary):
    token, _ = _log_in(intermediary)
    with write_session() as session:
        session.exec(update(AuthSession).values(last_seen_at=utc_now() - timedelta(minutes=20)))

    assert resolve_session(token).id == intermediary.id

    with write_session() as session:
        last_seen = session.exec(select(AuthSession.last_seen_at)).one()
    assert utc_now() - last_seen < timedelta(minutes=1)
