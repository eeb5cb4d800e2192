"""Backups taken while the app writes restore to a consistent, intact database."""

import sqlite3
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import make_url

from models import AuditEvent, Organisation, OrganisationKind
from services.backup import BackupFailed, backup_database, backup_file_name, libpq_uri_without_password
from services.clock import utc_now
from services.db import write_session
from tests.app_server import PROJECT_ROOT, free_port
from tests.conftest import empty_postgres

WRITES_BEFORE_BACKUP = 20


def _write_pairs(stop: threading.Event, written: list[int]) -> None:
    """Write an organisation and its audit event in one transaction each, until stopped."""
    while not stop.is_set():
        with write_session() as session:
            organisation = Organisation(
                name=f"org {uuid.uuid4().hex}", kind=OrganisationKind.LIBRARY, created_at=utc_now()
            )
            session.add(organisation)
            session.flush()
            session.add(
                AuditEvent(
                    occurred_at=utc_now(),
                    action="organisation.added",
                    subject_type="organisation",
                    subject_id=organisation.id,
                )
            )
        written.append(1)


def _backup_while_writing(url: str, backup_dir) -> tuple:
    stop = threading.Event()
    written: list[int] = []
    writer = threading.Thread(target=_write_pairs, args=(stop, written))
    writer.start()
    try:
        while len(written) < WRITES_BEFORE_BACKUP:
            stop.wait(0.01)
        path = backup_database(url, backup_dir)
        written_at_backup_end = len(written)
    finally:
        stop.set()
        writer.join()
    return path, written_at_backup_end


def _counts(connection_execute) -> tuple[int, int]:
    organisations = connection_execute("SELECT count(*) FROM organisation")
    pairs = connection_execute("SELECT count(*) FROM audit_event WHERE action = 'organisation.added'")
    return organisations, pairs


def test_sqlite_backup_under_writes_is_consistent(sqlite_database, tmp_path):
    path, written_at_end = _backup_while_writing(sqlite_database, tmp_path / "backups")

    restored = sqlite3.connect(path)
    try:
        integrity = restored.execute("PRAGMA integrity_check").fetchone()
        organisations, pairs = _counts(lambda sql: restored.execute(sql).fetchone()[0])
    finally:
        restored.close()

    assert path.name.startswith("biebvoucher-")
    assert path.suffix == ".sqlite3"
    assert integrity == ("ok",)
    assert organisations == pairs
    assert WRITES_BEFORE_BACKUP <= organisations <= written_at_end


def test_postgres_backup_under_writes_restores(postgres_database, tmp_path):
    empty_postgres(postgres_database)
    path, written_at_end = _backup_while_writing(postgres_database, tmp_path / "backups")
    server = make_url(postgres_database).set(drivername="postgresql")
    restored_name = f"biebvoucher_restore_{uuid.uuid4().hex[:8]}"
    admin_dsn = server.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        restored_dsn = server.set(database=restored_name)
        restored_uri = libpq_uri_without_password(restored_dsn.render_as_string(hide_password=False))
        subprocess.run(  # noqa: S603  (a fixed program and arguments made by this test)
            ["/usr/bin/pg_restore", "--no-owner", f"--dbname={restored_uri}", str(path)],
            env={"PGPASSWORD": str(server.password or ""), "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
        )
        with psycopg.connect(restored_dsn.render_as_string(hide_password=False)) as restored:
            organisations, pairs = _counts(lambda sql: restored.execute(sql).fetchone()[0])
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')

    assert path.suffix == ".dump"
    assert organisations == pairs
    assert WRITES_BEFORE_BACKUP <= organisations <= written_at_end


def test_backup_refuses_to_overwrite(sqlite_database, tmp_path):
    moment = datetime(2026, 12, 4, 21, 15, tzinfo=UTC)
    backup_database(sqlite_database, tmp_path, moment)

    with pytest.raises(BackupFailed, match="already exists"):
        backup_database(sqlite_database, tmp_path, moment)


def test_backup_of_missing_sqlite_file_fails(tmp_path):
    with pytest.raises(BackupFailed, match="not found"):
        backup_database(f"sqlite:///{tmp_path / 'absent.sqlite3'}", tmp_path / "backups")

    assert list((tmp_path / "backups").iterdir()) == []


def test_backup_of_unreachable_postgres_fails(tmp_path):
    url = f"postgresql+psycopg://postgres:postgres@127.0.0.1:{free_port()}/biebvoucher"
    with pytest.raises(BackupFailed, match="pg_dump failed"):
        backup_database(url, tmp_path / "backups")

    assert list((tmp_path / "backups").iterdir()) == []


def test_pg_dump_uri_leaves_out_password():
    uri = libpq_uri_without_password("postgresql+psycopg://app:s3cret@db.internal:5433/bieb?sslmode=require")

    assert uri == "postgresql://app@db.internal:5433/bieb?sslmode=require"


def test_file_name_has_utc_timestamp():
    moment = datetime(2026, 12, 4, 21, 15, 0, tzinfo=UTC)

    assert backup_file_name("sqlite:////data/x.sqlite3", moment) == "biebvoucher-20261204T211500Z.sqlite3"
    assert backup_file_name("postgresql+psycopg://u@h/d", moment) == "biebvoucher-20261204T211500Z.dump"


def test_backup_command_writes_file(sqlite_database, tmp_path):
    environment = {
        "PATH": "/usr/bin:/bin",
        "BIEBVOUCHER_DATABASE_URL": sqlite_database,
        "BIEBVOUCHER_DATA_DIR": str(tmp_path / "data"),
    }

    completed = subprocess.run(
        [sys.executable, "-m", "services.backup"], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True
    )

    assert completed.returncode == 0, completed.stderr
    written = list((tmp_path / "data" / "backups").glob("biebvoucher-*.sqlite3"))
    assert [str(path) for path in written] == [completed.stdout.strip()]
