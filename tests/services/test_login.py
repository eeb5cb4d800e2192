"""The password and code steps of a login, on a fixed clock."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from passlib.hash import argon2
from sqlalchemy import update
from sqlmodel import select

from models import LoginAttempt, SentLoginCode, User
from services.accounts import complete_login, resolve_session
from services.db import read_session, write_session
from services.errors import (
    AccountLocked,
    ClientThrottled,
    LoginAttemptExpired,
    LoginCodeBlocked,
    LoginCodeExpired,
    LoginCodeLimit,
    LoginCodeMalformed,
    LoginCodeMissing,
    LoginExpired,
    ResendTooSoon,
    WrongLoginCode,
)
from services.login import resend_login_code, start_login, verify_login_code
from services.passwords import verify_password
from tests.clock_helpers import FrozenClock, freeze_clock
from tests.factories import TEST_PASSWORD
from tests.services.login_helpers import latest_code, mails_to

START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
UNKNOWN = "nobody@example.test"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    return freeze_clock(monkeypatch, START)


def _start(email: str, password: str = TEST_PASSWORD, client: str | None = "192.0.2.1") -> str:
    return start_login(email=email, password=password, client_address=client).attempt_token


def _wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_correct_password_mails_code(intermediary, clock):
    _start(intermediary.email)

    mails = mails_to(intermediary.email)
    assert len(mails) == 1
    assert "Uw verificatiecode is" in mails[0].text_body
    assert len(latest_code(intermediary.email)) == 6


def test_code_never_logged(intermediary, clock, caplog):
    caplog.set_level(logging.DEBUG)
    token = _start(intermediary.email)
    code = latest_code(intermediary.email)
    verify_login_code(attempt_token=token, code=code)

    assert code not in caplog.text


def test_code_accepted_once(intermediary, clock):
    token = _start(intermediary.email)
    code = latest_code(intermediary.email)

    handoff = verify_login_code(attempt_token=token, code=code)

    session_token, _ = complete_login(handoff=handoff)
    assert resolve_session(session_token).id == intermediary.id
    with pytest.raises(LoginAttemptExpired):
        verify_login_code(attempt_token=token, code=code)


def test_code_with_spaces_accepted(intermediary, clock):
    token = _start(intermediary.email)
    code = latest_code(intermediary.email)

    assert verify_login_code(attempt_token=token, code=f" {code[:3]} {code[3:]} ")


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", LoginCodeMissing),
        ("  ", LoginCodeMissing),
        ("12345", LoginCodeMalformed),
        ("1234567", LoginCodeMalformed),
        ("12a456", LoginCodeMalformed),
        ("١٢٣٤٥٦", LoginCodeMalformed),
    ],
)
def test_malformed_code_rejected_without_counting(intermediary, clock, typed, error):
    token = _start(intermediary.email)

    with pytest.raises(error):
        verify_login_code(attempt_token=token, code=typed)

    with read_session() as session:
        assert session.exec(select(LoginAttempt.code_failures)).one() == 0


def test_code_valid_until_ten_minutes(intermediary, clock):
    token = _start(intermediary.email)
    clock.advance(minutes=9, seconds=59)

    assert verify_login_code(attempt_token=token, code=latest_code(intermediary.email))


def test_code_expires_after_ten_minutes(intermediary, clock):
    token = _start(intermediary.email)
    clock.advance(minutes=10)

    with pytest.raises(LoginCodeExpired):
        verify_login_code(attempt_token=token, code=latest_code(intermediary.email))


def test_five_wrong_codes_invalidate_code(intermediary, clock):
    token = _start(intermediary.email)
    code = latest_code(intermediary.email)

    for _ in range(4):
        with pytest.raises(WrongLoginCode):
            verify_login_code(attempt_token=token, code=_wrong_code(code))
    with pytest.raises(LoginCodeBlocked):
        verify_login_code(attempt_token=token, code=_wrong_code(code))

    with pytest.raises(LoginCodeBlocked):
        verify_login_code(attempt_token=token, code=code)


def test_resend_after_blocked_code_works(intermediary, clock):
    token = _start(intermediary.email)
    for _ in range(5):
        with pytest.raises((WrongLoginCode, LoginCodeBlocked)):
            verify_login_code(attempt_token=token, code=_wrong_code(latest_code(intermediary.email)))
    clock.advance(seconds=30)

    resend_login_code(attempt_token=token)

    assert verify_login_code(attempt_token=token, code=latest_code(intermediary.email))


def test_resend_too_soon_rejected(intermediary, clock):
    token = _start(intermediary.email)
    clock.advance(seconds=29)

    with pytest.raises(ResendTooSoon):
        resend_login_code(attempt_token=token)
    assert len(mails_to(intermediary.email)) == 1


def test_resend_kills_previous_code(intermediary, clock):
    token = _start(intermediary.email)
    old_code = latest_code(intermediary.email)
    clock.advance(seconds=30)

    challenge = resend_login_code(attempt_token=token)

    assert challenge.resend_available_at == clock.now + timedelta(seconds=30)
    new_code = latest_code(intermediary.email)
    if new_code != old_code:  # one chance in a million that both codes are equal
        with pytest.raises(WrongLoginCode):
            verify_login_code(attempt_token=token, code=old_code)
    assert verify_login_code(attempt_token=token, code=new_code)


def test_new_login_kills_code_of_earlier_attempt(intermediary, clock):
    first = _start(intermediary.email)
    first_code = latest_code(intermediary.email)
    clock.advance(seconds=5)

    second = _start(intermediary.email)

    with pytest.raises(WrongLoginCode):
        verify_login_code(attempt_token=first, code=first_code)
    assert verify_login_code(attempt_token=second, code=latest_code(intermediary.email))


def test_code_bound_to_its_attempt(intermediary, desk_staff, clock):
    intermediary_attempt = _start(intermediary.email)
    _start(desk_staff.email)

    with pytest.raises(WrongLoginCode):
        verify_login_code(attempt_token=intermediary_attempt, code=latest_code(desk_staff.email))


def test_sixth_code_in_an_hour_rejected(intermediary, clock):
    token = _start(intermediary.email)
    for _ in range(4):
        clock.advance(seconds=30)
        resend_login_code(attempt_token=token)
    clock.advance(seconds=30)

    with pytest.raises(LoginCodeLimit) as raised:
        resend_login_code(attempt_token=token)

    assert raised.value.params["retry_at"] == START + timedelta(hours=1)
    assert raised.value.params["count"] == 5
    assert len(mails_to(intermediary.email)) == 5
    with pytest.raises(LoginCodeLimit):
        _start(intermediary.email)


def test_code_limit_frees_after_an_hour(intermediary, clock):
    token = _start(intermediary.email)
    for _ in range(4):
        clock.advance(seconds=30)
        resend_login_code(attempt_token=token)
    clock.now = START + timedelta(hours=1, seconds=1)

    _start(intermediary.email)

    assert len(mails_to(intermediary.email)) == 6
    with read_session() as session:
        assert len(session.exec(select(SentLoginCode)).all()) == 6


def test_attempt_expires_after_thirty_minutes(intermediary, clock):
    token = _start(intermediary.email)
    clock.advance(minutes=30)

    with pytest.raises(LoginAttemptExpired):
        resend_login_code(attempt_token=token)


def test_unknown_token_rejected(database, clock):
    with pytest.raises(LoginAttemptExpired):
        verify_login_code(attempt_token="not-a-token", code="123456")


@pytest.mark.parametrize("email", [UNKNOWN, "wrong-password"])
def test_unknown_address_or_wrong_password_gets_silent_attempt(intermediary, clock, email):
    address, password = (UNKNOWN, TEST_PASSWORD) if email == UNKNOWN else (intermediary.email, "wrong password")
    token = _start(address, password=password)

    assert mails_to(intermediary.email) == []
    assert mails_to(UNKNOWN) == []
    for _ in range(4):
        with pytest.raises(WrongLoginCode):
            verify_login_code(attempt_token=token, code="123456")
    with pytest.raises(LoginCodeBlocked):
        verify_login_code(attempt_token=token, code="123456")
    clock.advance(seconds=30)
    resend_login_code(attempt_token=token)
    with pytest.raises(WrongLoginCode):
        verify_login_code(attempt_token=token, code="123456")


def test_silent_attempt_code_expires_like_real(database, clock):
    token = _start(UNKNOWN)
    clock.advance(minutes=10)

    with pytest.raises(LoginCodeExpired):
        verify_login_code(attempt_token=token, code="123456")


def test_inactive_user_gets_no_code(intermediary, clock):
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(active=False))

    token = _start(intermediary.email)

    assert mails_to(intermediary.email) == []
    with pytest.raises(WrongLoginCode):
        verify_login_code(attempt_token=token, code="123456")


def test_silent_attempt_cannot_hand_off(database, clock):
    _start(UNKNOWN)

    with pytest.raises(LoginExpired):
        complete_login(handoff="")


def test_ten_wrong_passwords_lock_account(intermediary, clock):
    for _ in range(10):
        _start(intermediary.email, password="wrong password")

    with pytest.raises(AccountLocked) as raised:
        _start(intermediary.email)

    assert raised.value.params["locked_until"] == START + timedelta(minutes=15)
    locked_mails = mails_to(intermediary.email, template="account_locked")
    assert len(locked_mails) == 1
    assert "10 keer een verkeerd wachtwoord" in locked_mails[0].text_body
    assert mails_to(intermediary.email) == []


def test_lock_ends_after_fifteen_minutes(intermediary, clock):
    for _ in range(10):
        _start(intermediary.email, password="wrong password")
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AccountLocked):
        _start(intermediary.email)
    clock.advance(seconds=1)

    _start(intermediary.email)

    assert len(mails_to(intermediary.email)) == 1


def test_unknown_address_locks_the_same(database, clock):
    for _ in range(10):
        _start(UNKNOWN)

    with pytest.raises(AccountLocked) as raised:
        _start(UNKNOWN)
    assert raised.value.params["locked_until"] == START + timedelta(minutes=15)


def test_correct_password_clears_failures(intermediary, clock):
    for _ in range(9):
        _start(intermediary.email, password="wrong password")
    _start(intermediary.email)
    for _ in range(9):
        _start(intermediary.email, password="wrong password")

    _start(intermediary.email)

    assert mails_to(intermediary.email, template="account_locked") == []


def test_client_throttled_across_accounts(database, clock):
    for number in range(30):
        _start(f"guess{number}@example.test", client="198.51.100.7")

    with pytest.raises(ClientThrottled) as raised:
        _start("another@example.test", client="198.51.100.7")
    assert raised.value.params["locked_until"] == START + timedelta(minutes=15)
    _start("another@example.test", client="198.51.100.8")


def test_client_window_restarts_after_fifteen_minutes(database, clock):
    for number in range(29):
        _start(f"guess{number}@example.test", client="198.51.100.7")
    clock.advance(minutes=15)

    for number in range(29):
        _start(f"later{number}@example.test", client="198.51.100.7")


def test_weaker_hash_upgraded_at_login(intermediary, clock):
    weak_hash = argon2.using(memory_cost=8 * 1024, rounds=1, parallelism=1).hash(TEST_PASSWORD)
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(password_hash=weak_hash))

    _start(intermediary.email)

    with read_session() as session:
        stored = session.get(User, intermediary.id).password_hash
    assert stored != weak_hash
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in stored
    assert verify_password(TEST_PASSWORD, stored)


def test_weaker_hash_kept_on_wrong_password(intermediary, clock):
    weak_hash = argon2.using(memory_cost=8 * 1024, rounds=1, parallelism=1).hash(TEST_PASSWORD)
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(password_hash=weak_hash))

    _start(intermediary.email, password="wrong password")

    with read_session() as session:
        assert session.get(User, intermediary.id).password_hash == weak_hash


def test_stronger_hash_kept_at_login(intermediary, clock):
    strong_hash = argon2.using(memory_cost=32 * 1024, rounds=3, parallelism=1).hash(TEST_PASSWORD)
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(password_hash=strong_hash))

    _start(intermediary.email)

    with read_session() as session:
        assert session.get(User, intermediary.id).password_hash == strong_hash
