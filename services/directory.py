"""Creating organisations and accounts directly, for the demo data, set-up scripts and tests.

Inviting users through the app (with e-mail and registration) builds on these.
"""

from sqlmodel import Session

from models import Organisation, OrganisationKind, Role, User
from services.clock import utc_now
from services.passwords import hash_password


def add_organisation(
    session: Session, *, name: str, kind: OrganisationKind, max_open_vouchers: int | None = None
) -> Organisation:
    """Add an active organisation to the session and flush it, so it has an id."""
    organisation = Organisation(name=name, kind=kind, max_open_vouchers=max_open_vouchers, created_at=utc_now())
    session.add(organisation)
    session.flush()
    return organisation


def add_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    organisation: Organisation,
    password: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Add an active user; pass `password_hash` to reuse one hash for many accounts."""
    if password_hash is None:
        if password is None:
            raise ValueError("add_user needs a password or a password_hash")
        password_hash = hash_password(password)
    user = User(
        email=email.strip().lower(),
        name=name,
        role=role,
        organisation_id=organisation.id or 0,
        password_hash=password_hash,
        created_at=utc_now(),
    )
    session.add(user)
    session.flush()
    return user
