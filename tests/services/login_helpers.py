"""Helpers for service tests that log in: the codes in the outbox table and every login step."""

from sqlmodel import col, select

from models import OutboxMail
from services.accounts import complete_login
from services.db import read_session
from services.errors import LoginFailed
from services.login import start_login, verify_login_code
from tests.factories import TEST_PASSWORD
from tests.login_mail import code_in_text


def mails_to(email: str, template: str = "login_code") -> list[OutboxMail]:
    """Return the queued mails of `template` to `email`, oldest first."""
    with read_session() as session:
        statement = (
            select(OutboxMail)
            .where(OutboxMail.recipient == email, OutboxMail.template == template)
            .order_by(col(OutboxMail.id))
        )
        return list(session.exec(statement))


def latest_code(email: str) -> str:
    """Return the code of the newest login-code mail to `email`."""
    mails = mails_to(email)
    assert mails, f"no login-code mail to {email}"
    return code_in_text(mails[-1].text_body)


def log_in(email: str, redirect_to: str = "/", password: str = TEST_PASSWORD) -> tuple[str, str]:
    """Run every login step for `email`; returns the session token and the redirect target."""
    challenge = start_login(email=email, password=password, redirect_to=redirect_to)
    handoff = verify_login_code(attempt_token=challenge.attempt_token, code=latest_code(email))
    return complete_login(handoff=handoff)


def log_in_with_password(email: str, password: str) -> str:
    """Run every login step for `email`; returns the session token.

    Raises LoginFailed when no new code was mailed, which is how a wrong password shows.
    """
    mails_before = len(mails_to(email))
    challenge = start_login(email=email, password=password)
    if len(mails_to(email)) == mails_before:
        raise LoginFailed()
    handoff = verify_login_code(attempt_token=challenge.attempt_token, code=latest_code(email))
    return complete_login(handoff=handoff)[0]
