"""The login steps before the session: password, then a code sent by e-mail.

`start_login` checks the password and mails a 6-digit code; `verify_login_code` accepts the code
once and returns the hand-off secret that `services.accounts.complete_login` turns into a session.

An unknown address, a wrong password or a deactivated account gets the same response as a correct
login: a login attempt whose code page never accepts a code. So neither the response nor the time
it takes (the password hash is checked either way) reveals whether an account exists.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from models import LoginAttempt, Organisation, SentLoginCode, User
from services.accounts import hash_token, safe_redirect_target
from services.clock import utc_now
from services.db import read_session, write_session
from services.errors import (
    DomainError,
    LoginAttemptExpired,
    LoginCodeBlocked,
    LoginCodeExpired,
    LoginCodeLimit,
    LoginCodeMalformed,
    LoginCodeMissing,
    LoginFieldsMissing,
    ResendTooSoon,
    WrongLoginCode,
)
from services.i18n import N_, format_value
from services.login_throttle import ADDRESS_FAILURE_LIMIT, check_not_locked, clear_address_failures, record_failure
from services.mail import MailTemplate, queue_mail
from services.passwords import verify_and_update
from services.preferences import mail_locale
from services.settings import get_settings

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
MAX_CODE_FAILURES = 5
MAX_CODES_PER_HOUR = 5
RESEND_COOLDOWN = timedelta(seconds=30)
# The code page stops working after this, so a forgotten tab cannot request codes for ever.
ATTEMPT_LIFETIME = timedelta(minutes=30)
HANDOFF_LIFETIME = timedelta(minutes=2)

LOGIN_CODE_MAIL = MailTemplate(
    name="login_code",
    subject=N_("Your verification code for biebvoucher"),
    paragraphs=(
        N_("Your verification code is {code}."),
        N_("Type this code on the login page. It works once and for {minutes} minutes."),
        N_(
            "Did you not just try to log in? Then someone else knows your password. "
            "Ignore this code and ask your administrator for help."
        ),
    ),
)
ACCOUNT_LOCKED_MAIL = MailTemplate(
    name="account_locked",
    subject=N_("Logging in to biebvoucher is locked for a while"),
    paragraphs=(
        N_("A wrong password was typed {count} times for your account, so logging in is locked until {locked_until}."),
        N_("Was that you? Then wait until that time and log in again."),
        N_("Did you not try to log in? Then someone may be guessing your password. Tell your administrator."),
    ),
)


@dataclass(frozen=True)
class LoginChallenge:
    """Login state the page keeps for the code step: the attempt's secret and the end of the resend cooldown."""

    attempt_token: str
    resend_available_at: datetime


def _code_hash(attempt_id: int, code: str) -> str:
    # A plain hash of 6 digits is reversed by trying all million, so the hash is keyed with the
    # storage secret. The attempt id in the message binds the code to this attempt.
    key = get_settings().storage_secret.get_secret_value().encode() + b"/login-code"
    return hmac.new(key, f"{attempt_id}:{code}".encode(), hashlib.sha256).hexdigest()


def start_login(
    *,
    email: str,
    password: str,
    redirect_to: str | None = None,
    client_address: str | None = None,
    locale: str = "nl",
) -> LoginChallenge:
    """Check e-mail and password and mail a code when they are right; returns the code step's challenge."""
    address = email.strip().lower()
    if not address or not password:
        raise LoginFieldsMissing()
    now = utc_now()
    with read_session() as session:
        check_not_locked(session, address=address, client=client_address, now=now)
        user = session.exec(select(User).where(User.email == address)).first()
        organisation = session.get(Organisation, user.organisation_id) if user else None
    # The hash is checked even for an unknown address, so timing does not reveal which exist.
    password_ok, new_hash = verify_and_update(password, user.password_hash if user else None)
    account_usable = user is not None and user.active and organisation is not None and organisation.active
    accepted_user = user if password_ok and account_usable else None

    attempt_token = secrets.token_urlsafe(32)
    with write_session() as session:
        attempt = LoginAttempt(
            attempt_hash=hash_token(attempt_token),
            redirect_to=safe_redirect_target(redirect_to),
            created_at=now,
            expires_at=now + ATTEMPT_LIFETIME,
        )
        if accepted_user is not None:
            _accept_password(session, accepted_user, address, new_hash, now)
            attempt.user_id = accepted_user.id
            session.add(attempt)
            session.flush()
            _send_code(session, attempt, accepted_user, now, locale)
        else:
            _reject_password(session, user if account_usable else None, address, client_address, now, locale)
            attempt.code_sent_at = now
            session.add(attempt)
    logger.info("login password step user=%s accepted=%s", user.id if user else "unknown", accepted_user is not None)
    return LoginChallenge(attempt_token=attempt_token, resend_available_at=now + RESEND_COOLDOWN)


def _accept_password(session: Session, user: User, address: str, new_hash: str | None, now: datetime) -> None:
    _check_code_limit(session, user.id or 0, now)
    clear_address_failures(session, address=address)
    if new_hash is not None:
        session.exec(update(User).where(col(User.id) == user.id).values(password_hash=new_hash))
        logger.info("password hash upgraded to the current argon2 parameters user=%d", user.id)


def _reject_password(
    session: Session, user: User | None, address: str, client: str | None, now: datetime, locale: str
) -> None:
    locked_until = record_failure(session, address=address, client=client, now=now)
    if locked_until is None:
        return
    logger.warning("login locked after %d failed passwords user=%s", ADDRESS_FAILURE_LIMIT, user.id if user else None)
    if user is not None:
        locale = mail_locale(user, locale)
        queue_mail(
            session,
            to=user.email,
            template=ACCOUNT_LOCKED_MAIL,
            locale=locale,
            count=str(ADDRESS_FAILURE_LIMIT),
            locked_until=format_value(locale, locked_until),
        )


def _check_code_limit(session: Session, user_id: int, now: datetime) -> None:
    """Raise LoginCodeLimit when the account was sent the maximum of codes in the past hour."""
    statement = (
        select(SentLoginCode.sent_at)
        .where(SentLoginCode.user_id == user_id, col(SentLoginCode.sent_at) > now - timedelta(hours=1))
        .order_by(col(SentLoginCode.sent_at))
    )
    sent = list(session.exec(statement))
    if len(sent) >= MAX_CODES_PER_HOUR:
        # The limit frees up when the oldest of the last MAX_CODES_PER_HOUR codes is an hour old.
        retry_at = sent[-MAX_CODES_PER_HOUR] + timedelta(hours=1)
        logger.info("login code limit reached user=%d", user_id)
        raise LoginCodeLimit(count=MAX_CODES_PER_HOUR, retry_at=retry_at)


def _send_code(session: Session, attempt: LoginAttempt, user: User, now: datetime, locale: str) -> None:
    """Make a new code for `attempt`, end every other code of the account and queue the mail."""
    assert attempt.id is not None and user.id is not None
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    session.exec(
        update(LoginAttempt)
        .where(col(LoginAttempt.user_id) == user.id, col(LoginAttempt.id) != attempt.id)
        .where(col(LoginAttempt.code_hash).is_not(None))
        .values(code_hash=None)
    )
    attempt.code_hash = _code_hash(attempt.id, code)
    attempt.code_sent_at = now
    attempt.code_failures = 0
    session.add(attempt)
    session.add(SentLoginCode(user_id=user.id, attempt_id=attempt.id, sent_at=now))
    minutes = str(int(CODE_LIFETIME.total_seconds() // 60))
    locale = mail_locale(user, locale)
    queue_mail(session, to=user.email, template=LOGIN_CODE_MAIL, locale=locale, code=code, minutes=minutes)
    logger.info("login code queued user=%d attempt=%d", user.id, attempt.id)


def _open_attempt(session: Session, attempt_token: str, now: datetime) -> LoginAttempt:
    statement = select(LoginAttempt).where(LoginAttempt.attempt_hash == hash_token(attempt_token)).with_for_update()
    attempt = session.exec(statement).first()
    if attempt is None or attempt.handoff_hash is not None or attempt.expires_at <= now:
        raise LoginAttemptExpired()
    return attempt


def resend_login_code(*, attempt_token: str, locale: str = "nl") -> LoginChallenge:
    """Mail a new code for the attempt, which ends the previous one; returns the next cooldown."""
    now = utc_now()
    with write_session() as session:
        attempt = _open_attempt(session, attempt_token, now)
        if attempt.code_sent_at is not None and now < attempt.code_sent_at + RESEND_COOLDOWN:
            raise ResendTooSoon(seconds=int(RESEND_COOLDOWN.total_seconds()))
        user = session.get(User, attempt.user_id) if attempt.user_id is not None else None
        if user is not None and user.active:
            _check_code_limit(session, user.id or 0, now)
            _send_code(session, attempt, user, now, locale)
        else:
            # An attempt without an account behaves the same, only nothing is sent.
            attempt.code_sent_at = now
            attempt.code_failures = 0
            session.add(attempt)
    return LoginChallenge(attempt_token=attempt_token, resend_available_at=now + RESEND_COOLDOWN)


def normalise_login_code(raw: str) -> str:
    """Return the 6 digits of a typed code; spaces and dashes are allowed between them."""
    digits = "".join(character for character in raw if character not in " -\t")
    if not digits:
        raise LoginCodeMissing()
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        raise LoginCodeMalformed()
    return digits


def verify_login_code(*, attempt_token: str, code: str) -> str:
    """Accept the attempt's current code once; returns the one-time hand-off secret for the session."""
    digits = normalise_login_code(code)
    now = utc_now()
    rejection: DomainError | None = None
    handoff = secrets.token_urlsafe(32)
    with write_session() as session:
        attempt = _open_attempt(session, attempt_token, now)
        assert attempt.id is not None
        matches = hmac.compare_digest(_code_hash(attempt.id, digits), attempt.code_hash or "")
        if attempt.code_failures >= MAX_CODE_FAILURES:
            rejection = LoginCodeBlocked(count=MAX_CODE_FAILURES)
        elif attempt.code_sent_at is None or attempt.code_sent_at + CODE_LIFETIME <= now:
            rejection = LoginCodeExpired(minutes=int(CODE_LIFETIME.total_seconds() // 60))
        elif not matches:
            rejection = _count_wrong_code(attempt)
        else:
            attempt.code_hash = None
            attempt.handoff_hash = hash_token(handoff)
            attempt.handoff_expires_at = now + HANDOFF_LIFETIME
        session.add(attempt)
    if rejection is not None:
        # Raised after the commit, so a counted wrong entry is kept.
        logger.info("login code rejected attempt=%d error=%s", attempt.id, rejection.code)
        raise rejection
    logger.info("login code accepted user=%s attempt=%d", attempt.user_id, attempt.id)
    return handoff


def _count_wrong_code(attempt: LoginAttempt) -> DomainError:
    attempt.code_failures += 1
    if attempt.code_failures < MAX_CODE_FAILURES:
        return WrongLoginCode()
    attempt.code_hash = None
    return LoginCodeBlocked(count=MAX_CODE_FAILURES)
