"""Fixtures shared by every test layer: settings, databases and domain objects."""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text

from models import Organisation, OrganisationKind, Role, User
from services import db
from services.settings import get_settings
from tests.factories import make_organisation, make_user

POSTGRES_URL = os.environ.get(
    "BIEBVOUCHER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres"
)
TABLES = (
    "outbox_mail",
    "invitation",
    "password_reset",
    "conduct_acceptance",
    "conduct_version",
    "sent_login_code",
    "login_throttle",
    "audit_event",
    "voucher",
    "reimbursement_batch",
    "auth_session",
    "login_attempt",
    "user_account",
    "organisation",
)


@pytest.fixture(autouse=True)
def settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Give each test default settings with its own data folder."""
    monkeypatch.setenv("BIEBVOUCHER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BIEBVOUCHER_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a migrated SQLite file that each test copies, so migrations run once."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db.migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """Create and migrate a throw-away PostgreSQL database; fails when PostgreSQL is not running."""
    server_url = make_url(POSTGRES_URL)
    name = f"biebvoucher_test_{uuid.uuid4().hex[:8]}"
    dsn = server_url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {server_url.host}:{server_url.port} ({error}). "
            "Start it with `make postgres` (pg_ctlcluster 15 main start)."
        )
    url = server_url.set(database=name).render_as_string(hide_password=False)
    db.migrate(url)
    yield url
    db.get_engine().dispose() if db._engine is not None else None
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sqlite_database(template: Path, tmp_path: Path) -> str:
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def empty_postgres(url: str) -> str:
    """Configure the test database at `url` and empty every table."""
    engine = db.configure(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Configure an empty, migrated database; each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = _sqlite_database(request.getfixturevalue("sqlite_template"), tmp_path)
    else:
        url = empty_postgres(request.getfixturevalue("postgres_database"))
    db.configure(url)
    yield url
    db.get_engine().dispose()


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """Configure an empty, migrated SQLite database only."""
    url = _sqlite_database(sqlite_template, tmp_path)
    db.configure(url)
    yield url
    db.get_engine().dispose()


@pytest.fixture
def intermediary_organisation(database: str) -> Organisation:
    return make_organisation(OrganisationKind.INTERMEDIARY)


@pytest.fixture
def library(database: str) -> Organisation:
    return make_organisation(OrganisationKind.LIBRARY)


@pytest.fixture
def intermediary(intermediary_organisation: Organisation) -> User:
    return make_user(Role.INTERMEDIARY, intermediary_organisation)


@pytest.fixture
def desk_staff(library: Organisation) -> User:
    return make_user(Role.LIBRARY_STAFF, library)


@pytest.fixture
def administrator(database: str) -> User:
    return make_user(Role.ADMINISTRATOR, make_organisation(OrganisationKind.INTERMEDIARY, name="Fonds"))
