"""Small helpers that create organisations, users and vouchers for tests."""

import itertools
import secrets
from datetime import datetime

from models import AuthSession, MailStatus, Organisation, OrganisationKind, OutboxMail, Role, User
from services.accounts import hash_token
from services.clock import utc_now
from services.db import write_session
from services.directory import add_organisation, add_user
from services.passwords import hash_password

TEST_PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)
_password_hash: str | None = None


def _shared_hash() -> str:
    # argon2 costs about 0.1 s per hash, so all test accounts share one.
    global _password_hash
    if _password_hash is None:
        _password_hash = hash_password(TEST_PASSWORD)
    return _password_hash


def make_organisation(
    kind: OrganisationKind, name: str | None = None, max_open_vouchers: int | None = None
) -> Organisation:
    """Create and commit an organisation with a unique name."""
    with write_session() as session:
        return add_organisation(
            session, name=name or f"{kind.value} {next(_counter)}", kind=kind, max_open_vouchers=max_open_vouchers
        )


def make_user(role: Role, organisation: Organisation, name: str | None = None) -> User:
    """Create and commit an active user with TEST_PASSWORD."""
    number = next(_counter)
    with write_session() as session:
        return add_user(
            session,
            email=f"{role.value}{number}@example.test",
            name=name or f"{role.value} {number}",
            role=role,
            organisation=organisation,
            password_hash=_shared_hash(),
        )


def make_session(user: User) -> str:
    """Start a server-side session for `user` without the login steps; returns its cookie token."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with write_session() as session:
        session.add(AuthSession(token_hash=hash_token(token), user_id=user.id or 0, created_at=now, last_seen_at=now))
    return token


def make_outbox_mail(next_attempt_at: datetime, status: MailStatus = MailStatus.QUEUED) -> None:
    """Add a mail to the outbox with the given next delivery time and status."""
    with write_session() as session:
        session.add(
            OutboxMail(
                template="test",
                recipient="someone@example.test",
                subject="Onderwerp",
                text_body="tekst",
                html_body="<p>tekst</p>",
                status=status,
                next_attempt_at=next_attempt_at,
                created_at=next_attempt_at,
            )
        )
