"""Changing the e2e server's SQLite data directly, for states a browser cannot reach quickly."""

import sqlite3
from contextlib import closing

from tests.app_server import AppServer


def execute(server: AppServer, statement: str, *parameters: object) -> int:
    """Run one write statement on the server's database; returns the number of changed rows."""
    with closing(sqlite3.connect(server.database_path, timeout=10)) as connection, connection:
        return connection.execute(statement, parameters).rowcount


def user_id(server: AppServer, email: str) -> int:
    """Return the id of the account with `email` in the server's database."""
    with closing(sqlite3.connect(f"file:{server.database_path}?mode=ro", uri=True)) as connection:
        return connection.execute("SELECT id FROM user_account WHERE email = ?", (email,)).fetchone()[0]
