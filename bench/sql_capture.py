"""Recording the SQL a service call sends, and replaying it through the database driver alone."""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import Engine, event, make_url

from services import db


@dataclass(frozen=True)
class Statement:
    """One SQL statement exactly as SQLAlchemy handed it to the driver, with its parameters."""

    sql: str
    parameters: Any


@contextmanager
def captured_statements(engine: Engine) -> Iterator[list[Statement]]:
    """Collect every statement `engine` executes inside the block."""
    statements: list[Statement] = []

    def record(_connection: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append(Statement(sql, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


class DriverConnection:
    """Plain driver connection (sqlite3 or psycopg) to a dataset's database, so statements bypass SQLAlchemy.

    On SQLite the connection is taken from the app's engine by default, so it carries the
    same connect-time PRAGMAs as the app's own. Pass `app_setup=False` for a bare sqlite3
    connection.
    """

    def __init__(self, url: str, *, app_setup: bool = True) -> None:
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        self._pooled: Any = None
        self._connection: Any
        if self.dialect == "sqlite" and app_setup:
            if db.get_engine().url != parsed:
                raise RuntimeError(f"services.db is configured for {db.get_engine().url}, not {url}")
            self._pooled = db.get_engine().raw_connection()
            self._connection = self._pooled.driver_connection
        elif self.dialect == "sqlite":
            self._connection = sqlite3.connect(parsed.database or "", isolation_level=None)
        else:
            dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            self._connection = psycopg.connect(dsn, autocommit=True)

    @property
    def raw(self) -> Any:
        """The driver's own connection (sqlite3 or psycopg), in autocommit mode."""
        return self._connection

    def runner(self, statement: Statement) -> Callable[[], list[Any]]:
        """Return a function that executes `statement` and fetches every row."""

        def run() -> list[Any]:
            cursor = self._connection.cursor()
            try:
                cursor.execute(statement.sql, statement.parameters)
                return cursor.fetchall()
            finally:
                cursor.close()

        return run

    def plan(self, statement: Statement) -> list[str]:
        """Return the query plan the database chooses for `statement`, one line per step."""
        prefix = "EXPLAIN QUERY PLAN " if self.dialect == "sqlite" else "EXPLAIN "
        cursor = self._connection.cursor()
        try:
            cursor.execute(prefix + statement.sql, statement.parameters)
            return [" ".join(str(value) for value in row[-1:]) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def close(self) -> None:
        if self._pooled is not None:
            self._pooled.close()  # returns the connection to the engine's pool
        else:
            self._connection.close()
