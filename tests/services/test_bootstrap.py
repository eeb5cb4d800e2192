import pytest
from sqlmodel import select

from models import Organisation, Role, User
from services.bootstrap import create_first_administrator, main
from services.db import read_session
from services.errors import AdministratorExists, EmailAlreadyRegistered
from services.settings import get_settings
from tests.mail_helpers import latest_token, queued_mails


def test_first_administrator_gets_reset_link(database):
    user_id = create_first_administrator(
        email=" Beheer@Fonds.test ", name="Eerste Beheerder", organisation_name="Bibliotheken Limburg"
    )

    with read_session() as session:
        user = session.get(User, user_id)
        organisation = session.get(Organisation, user.organisation_id)
    assert user.email == "beheer@fonds.test"
    assert user.role == Role.ADMINISTRATOR
    assert organisation.name == "Bibliotheken Limburg"
    assert [mail.template for mail in queued_mails("beheer@fonds.test")] == ["password_reset"]
    assert latest_token("beheer@fonds.test")


def test_second_first_administrator_rejected(database):
    create_first_administrator(email="een@fonds.test", name="Een", organisation_name="Fonds")

    with pytest.raises(AdministratorExists):
        create_first_administrator(email="twee@fonds.test", name="Twee", organisation_name="Fonds")
    with read_session() as session:
        assert session.exec(select(User).where(User.email == "twee@fonds.test")).first() is None


def test_existing_address_rejected(intermediary):
    with pytest.raises(EmailAlreadyRegistered):
        create_first_administrator(email=intermediary.email, name="Dubbel", organisation_name="Fonds")


def test_command_reports_refusal(database, administrator, capsys, monkeypatch):
    # The command reads the database from the settings, as it would in a container. Its logging
    # setup is skipped: pytest captures the log, and a handler on the captured stderr would outlive it.
    monkeypatch.setenv("BIEBVOUCHER_DATABASE_URL", database)
    monkeypatch.setattr("services.logging_setup._configured", True)
    get_settings.cache_clear()

    assert main(["nieuw@fonds.test", "Nieuw", "Fonds"]) == 2
    assert "already has an active administrator" in capsys.readouterr().err
