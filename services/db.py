"""Database engine, sessions and migrations.

On SQLite every write transaction starts with BEGIN IMMEDIATE: a transaction that reads
first and writes later would otherwise fail at once with "database is locked" when another
writer got there first, instead of waiting for the busy timeout.

Both session helpers turn a lost or unreachable database into `DatabaseUnavailable`, a
domain error that pages show like any other. The transaction is rolled back first, so a
change is either committed whole or not at all.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from services.errors import DatabaseUnavailable

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
READ_ONLY_OPTION = "biebvoucher_read_only"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Seconds psycopg waits for a PostgreSQL connection, unless the URL sets connect_timeout itself.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5
# Key of the PostgreSQL advisory lock that lets only one process at a time run migrations.
MIGRATION_LOCK_KEY = 0x62696562  # "bieb" in ASCII

_engine: Engine | None = None
# SQLite lets one writer in at a time. The others retry through a sleeping busy handler, which
# left one redemption waiting 1.3 s with 10 desks at once. Writers of this process therefore queue
# on this lock, and only writers in other processes meet the busy handler.
_sqlite_writer_lock = threading.RLock()


def create_database_engine(url: str) -> Engine:
    """Create an engine for `url` with the per-dialect settings this application relies on."""
    # Parameters hold names, dates of birth and voucher codes, so they stay out of SQL logging
    # and out of the text of database errors, which end up in the log.
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in make_url(url).query:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_SECONDS
    return create_engine(
        url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args
    )


def is_postgres(url: str) -> bool:
    """Return whether `url` points at PostgreSQL."""
    return make_url(url).get_backend_name() == "postgresql"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module, so the "begin" hook decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def configure(url: str) -> Engine:
    """Create the process-wide engine for `url`, replacing any earlier one."""
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = create_database_engine(url)
    logger.info("database configured: dialect=%s", _engine.dialect.name)
    return _engine


def get_engine() -> Engine:
    """Return the process-wide engine; `configure` must have run."""
    if _engine is None:
        raise RuntimeError("database not configured; call services.db.configure() first")
    return _engine


@contextmanager
def write_session() -> Iterator[Session]:
    """Open a session for one change; commits on success and rolls back on any error."""
    engine = get_engine()
    if engine.dialect.name == "sqlite":
        with _sqlite_writer_lock, _unavailable_as_domain_error(), Session(engine, expire_on_commit=False) as session:
            with session.begin():
                yield session
        return
    with _unavailable_as_domain_error(), Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def read_session() -> Iterator[Session]:
    """Open a session for reading only; on SQLite it does not block writers."""
    engine = get_engine().execution_options(**{READ_ONLY_OPTION: True})
    with _unavailable_as_domain_error(), Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def _unavailable_as_domain_error() -> Iterator[None]:
    # OperationalError covers a refused or dropped connection, a terminated backend and, on
    # SQLite, a file that cannot be opened or stays locked past the busy timeout. Integrity
    # and programming errors are bugs or races that callers handle, so they pass through.
    # NOTE: when the connection drops while COMMIT is under way, the change may have been
    # committed all the same. Redemption detects such a repeated request by its request key.
    try:
        yield
    except (OperationalError, InterfaceError, PoolTimeoutError) as error:
        _log_unavailable(error)
        raise DatabaseUnavailable() from error
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        _log_unavailable(error)
        raise DatabaseUnavailable() from error


def _log_unavailable(error: Exception) -> None:
    # Only the driver's first line: the full SQLAlchemy text includes the statement's parameters.
    original = getattr(error, "orig", None) or error
    first_line = (str(original).strip().splitlines() or [""])[0]
    logger.warning("database unavailable error=%s: %s", type(original).__name__, first_line)


def alembic_config(url: str) -> Config:
    """Return the Alembic configuration of this project, pointed at `url`."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema.

    On PostgreSQL an advisory lock makes app processes that start together migrate one after
    the other, so the later ones find the schema up to date.
    """
    logger.info("running migrations")
    if not is_postgres(url):
        command.upgrade(alembic_config(url), "head")
        return
    lock_engine = create_engine(url, poolclass=NullPool)
    try:
        with lock_engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            try:
                command.upgrade(alembic_config(url), "head")
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
    finally:
        lock_engine.dispose()
