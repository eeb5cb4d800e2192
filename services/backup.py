"""Back up the database into a timestamped file: `python -m services.backup` or `make backup`.

SQLite is copied with its online backup API, which reads one consistent snapshot while the
app keeps writing, and the copy must then pass `PRAGMA integrity_check`. PostgreSQL is dumped
with `pg_dump --format=custom`, which also reads one snapshot; restore it with `pg_restore`.
docs/deploy.md describes restoring both.
"""

import argparse
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, make_url

from services.clock import utc_now
from services.db import is_postgres
from services.settings import get_settings

logger = logging.getLogger(__name__)

PG_DUMP_TIMEOUT_SECONDS = 3600


class BackupFailed(Exception):
    """The backup could not be written or did not pass its check."""


def backup_file_name(url: str, moment: datetime) -> str:
    """Return the file name of a backup made at `moment` (UTC), for example biebvoucher-20261204T211500Z.sqlite3."""
    suffix = "dump" if is_postgres(url) else "sqlite3"
    return f"biebvoucher-{moment:%Y%m%dT%H%M%SZ}.{suffix}"


def backup_database(url: str, backup_dir: Path, moment: datetime | None = None) -> Path:
    """Write a backup of the database at `url` into `backup_dir` and return its path.

    The file appears under its final name only when complete, so a half-written backup is
    never mistaken for a good one.
    """
    backup_dir.mkdir(parents=True, exist_ok=True)
    target = backup_dir / backup_file_name(url, moment or utc_now())
    if target.exists():
        raise BackupFailed(f"backup file {target} already exists; wait a second and run the backup again")
    partial = target.with_name(target.name + ".partial")
    logger.info("backup started file=%s", target.name)
    try:
        if is_postgres(url):
            _dump_postgres(url, partial)
        else:
            _copy_sqlite(url, partial)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    logger.info("backup finished file=%s bytes=%d", target.name, target.stat().st_size)
    return target


def _copy_sqlite(url: str, target: Path) -> None:
    source_path = make_url(url).database
    if not source_path or not Path(source_path).is_file():
        raise BackupFailed(
            f"SQLite database file {source_path!r} not found; check BIEBVOUCHER_DATABASE_URL and BIEBVOUCHER_DATA_DIR"
        )
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        # pages=-1 copies everything in one step inside one read transaction, so concurrent
        # writes cannot make the copy start over or mix two states.
        source.backup(copy, pages=-1)
        result = copy.execute("PRAGMA integrity_check").fetchone()
    finally:
        copy.close()
        source.close()
    if result != ("ok",):
        raise BackupFailed(f"the copy failed SQLite's integrity check: {result}")


def libpq_uri_without_password(url: str) -> str:
    """Return `url` as a libpq connection URI for the PostgreSQL tools, with the password left out."""
    parsed = make_url(url)
    # URL.set(password=None) keeps the old password, so the URI is built anew.
    without_password = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return without_password.render_as_string(hide_password=False)


def _dump_postgres(url: str, target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise BackupFailed("pg_dump not found; install the PostgreSQL client tools of the server's major version")
    parsed = make_url(url)
    # The password goes through the environment, never the command line, which `ps` shows to every user.
    environment = dict(os.environ)
    if parsed.password:
        environment["PGPASSWORD"] = str(parsed.password)
    dbname = libpq_uri_without_password(url)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", f"--dbname={dbname}"]
    try:
        completed = subprocess.run(  # noqa: S603  (fixed program, arguments from settings)
            command, env=environment, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise BackupFailed(f"pg_dump timed out after {PG_DUMP_TIMEOUT_SECONDS} s") from error
    if completed.returncode != 0:
        raise BackupFailed(f"pg_dump failed with exit code {completed.returncode}: {completed.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    """Run the backup command line; returns the exit code."""
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m services.backup", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=settings.data_dir / "backups",
        help="folder for the backup file (default: BIEBVOUCHER_DATA_DIR/backups)",
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        path = backup_database(settings.resolved_database_url, arguments.output_dir)
    except (BackupFailed, OSError, sqlite3.Error) as error:
        logger.error("backup failed: %s", error)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
