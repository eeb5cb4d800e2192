"""An unreachable or lost database gives `DatabaseUnavailable` and leaves no half change."""

import sqlite3
import uuid

import psycopg
import pytest
from sqlalchemy import event, make_url
from sqlmodel import func, select

from models import AuditEvent, OrganisationKind, Role, Voucher, VoucherStatus
from services import db
from services.db import read_session
from services.errors import DatabaseUnavailable
from services.redemption import check_code, redeem_voucher
from services.vouchers import issue_vouchers
from tests.app_server import free_port
from tests.conftest import empty_postgres
from tests.factories import make_organisation, make_user


def _issued_voucher(intermediary) -> Voucher:
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)
    with read_session() as session:
        voucher = session.get(Voucher, voucher_id)
    assert voucher is not None
    return voucher


def _status_and_events(voucher_id: int) -> tuple[VoucherStatus, int]:
    with read_session() as session:
        voucher = session.get(Voucher, voucher_id)
        events = session.exec(select(func.count()).where(AuditEvent.voucher_id == voucher_id)).one()
    assert voucher is not None
    return voucher.status, events


def _unreachable_url(url: str, tmp_path) -> str:
    if db.is_postgres(url):
        # A port that was free a moment ago has no server behind it.
        return make_url(url).set(host="127.0.0.1", port=free_port()).render_as_string(hide_password=False)
    return f"sqlite:///{tmp_path / 'missing-folder' / 'biebvoucher.sqlite3'}"


def test_unreachable_database_raises_domain_error(database, desk_staff, intermediary, tmp_path, caplog):
    voucher = _issued_voucher(intermediary)
    db.configure(_unreachable_url(database, tmp_path))

    with pytest.raises(DatabaseUnavailable) as raised:
        check_code(actor_id=desk_staff.id, raw_code=voucher.code)

    assert raised.value.code == "database.unavailable"
    assert "database unavailable" in caplog.text
    assert voucher.code not in caplog.text


def test_unavailable_message_is_dutch():
    text = DatabaseUnavailable().render("nl")

    assert text == "De database is nu niet bereikbaar. Probeer het over een minuut opnieuw."


def test_database_back_after_outage_works_again(database, desk_staff, intermediary, tmp_path):
    voucher = _issued_voucher(intermediary)
    db.configure(_unreachable_url(database, tmp_path))
    with pytest.raises(DatabaseUnavailable):
        check_code(actor_id=desk_staff.id, raw_code=voucher.code)

    db.configure(database)
    result = check_code(actor_id=desk_staff.id, raw_code=voucher.code)

    assert result.voucher.id == voucher.id


def _intermediary_and_desk_staff():
    intermediary = make_user(Role.INTERMEDIARY, make_organisation(OrganisationKind.INTERMEDIARY))
    desk_staff = make_user(Role.LIBRARY_STAFF, make_organisation(OrganisationKind.LIBRARY))
    return intermediary, desk_staff


def test_sqlite_write_lock_past_timeout_changes_nothing(sqlite_database, monkeypatch):
    intermediary, desk_staff = _intermediary_and_desk_staff()
    voucher = _issued_voucher(intermediary)
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    db.configure(sqlite_database)
    # Another program holds SQLite's write lock for longer than the busy timeout.
    blocker = sqlite3.connect(make_url(sqlite_database).database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseUnavailable):
            redeem_voucher(actor_id=desk_staff.id, raw_code=voucher.code, request_key=uuid.uuid4().hex)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    status, events = _status_and_events(voucher.id)
    assert status == VoucherStatus.ISSUED
    assert events == 1  # only voucher.issued


def test_backend_terminated_mid_redemption_changes_nothing(postgres_database):
    # Terminating a server backend needs PostgreSQL; the write-lock test covers SQLite.
    empty_postgres(postgres_database)
    intermediary, desk_staff = _intermediary_and_desk_staff()
    voucher = _issued_voucher(intermediary)
    admin_dsn = make_url(postgres_database).set(drivername="postgresql").render_as_string(hide_password=False)
    engine = db.get_engine()
    terminated = []

    # Right after the UPDATE has changed the row, the server ends this connection's backend, as a
    # restart or failover would. The audit insert that follows then fails.
    def terminate_after_update(connection, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("UPDATE VOUCHER") and not terminated:
            pid = connection.connection.dbapi_connection.info.backend_pid
            with psycopg.connect(admin_dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            terminated.append(pid)

    event.listen(engine, "after_cursor_execute", terminate_after_update)
    try:
        with pytest.raises(DatabaseUnavailable):
            redeem_voucher(actor_id=desk_staff.id, raw_code=voucher.code, request_key=uuid.uuid4().hex)
    finally:
        event.remove(engine, "after_cursor_execute", terminate_after_update)

    assert len(terminated) == 1
    status, events = _status_and_events(voucher.id)
    assert status == VoucherStatus.ISSUED
    assert events == 1  # only voucher.issued
