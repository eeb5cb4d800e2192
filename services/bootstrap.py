"""The first administrator of a new installation: `python -m services.bootstrap EMAIL NAME ORGANISATION`.

Without demo data a new installation has no accounts, and only an administrator can invite
others. This command adds the fund's organisation (unless one of that name exists) and an
administrator with an unusable random password, then mails a password-reset link, so the
administrator chooses a password through the normal reset page. The running app's delivery
loop sends that mail.
"""

import argparse
import logging
import secrets
import sys

from sqlmodel import select

from models import Organisation, OrganisationKind, Role, User
from services import db
from services.audit import record_event
from services.credentials import request_password_reset
from services.db import write_session
from services.directory import add_organisation, add_user
from services.errors import AdministratorExists, DomainError, EmailAlreadyRegistered
from services.links import normalise_email
from services.logging_setup import configure_logging
from services.passwords import hash_password
from services.settings import get_settings

logger = logging.getLogger(__name__)


def create_first_administrator(*, email: str, name: str, organisation_name: str, locale: str = "nl") -> int:
    """Add the first administrator and mail them a link to set a password; returns the user id."""
    address = normalise_email(email)
    with write_session() as session:
        if session.exec(select(User.id).where(User.role == Role.ADMINISTRATOR, User.active)).first() is not None:
            raise AdministratorExists()
        if session.exec(select(User.id).where(User.email == address)).first() is not None:
            raise EmailAlreadyRegistered(email=address)
        organisation = session.exec(select(Organisation).where(Organisation.name == organisation_name)).first()
        if organisation is None:
            organisation = add_organisation(session, name=organisation_name, kind=OrganisationKind.INTERMEDIARY)
        user = add_user(
            session,
            email=address,
            name=name.strip(),
            role=Role.ADMINISTRATOR,
            organisation=organisation,
            # A random password that is never shown: the administrator sets one through the mailed reset link.
            password_hash=hash_password(secrets.token_urlsafe(32)),
        )
        record_event(session, actor_id=None, action="user.first_administrator", subject_type="user", subject_id=user.id)
        user_id = user.id or 0
    request_password_reset(email=address, locale=locale)
    logger.info("first administrator added user=%d organisation=%d", user_id, organisation.id)
    return user_id


def main(argv: list[str]) -> int:
    """Parse the command line, migrate the database, and add the first administrator."""
    parser = argparse.ArgumentParser(prog="python -m services.bootstrap", description=__doc__.splitlines()[0])
    parser.add_argument("email", help="e-mail address of the administrator")
    parser.add_argument("name", help="full name of the administrator")
    parser.add_argument("organisation", help="name of the fund's organisation, for example 'Bibliotheken Limburg'")
    arguments = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level, settings.data_dir)
    url = settings.resolved_database_url
    db.migrate(url)
    db.configure(url)
    try:
        create_first_administrator(email=arguments.email, name=arguments.name, organisation_name=arguments.organisation)
    except DomainError as error:
        print(error.render("en"), file=sys.stderr)
        return 2
    print(f"administrator added; a link to set a password is mailed to {normalise_email(arguments.email)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
