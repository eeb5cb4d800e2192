"""Benchmark databases: organisations, accounts and a bulk load of vouchers with valid codes.

Vouchers are inserted with SQLAlchemy Core `executemany`, not through the services, so a
database of 99,000 vouchers loads in seconds. Every code is a distinct five-digit payload
plus its Damm check digit. The payloads come from one shuffled list of the whole code
space, so two datasets built with the same seed use the same codes.
"""

import logging
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, insert, make_url, text

from models import AuditEvent, BatchStatus, OrganisationKind, ReimbursementBatch, Role, Voucher, VoucherStatus
from models.text import holder_search_text
from services import codes, db
from services.clock import LOCAL_ZONE, utc_now
from services.demo import FIRST_NAMES, LAST_NAMES
from services.directory import add_organisation, add_user
from services.passwords import hash_password

logger = logging.getLogger(__name__)

POSTGRES_SERVER_URL = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres"
SEED = 2026
LIBRARY_COUNT = 4
INTERMEDIARY_COUNT = 8
HISTORY_DAYS = 730
INSERT_BATCH_SIZE = 5_000
# Issued, unexpired vouchers set aside for the desk benchmarks: service calls, their bare SQL and the 10-desk load.
RESERVED_CODE_COUNT = 1_500
# Codes left unused, so the issuing benchmark can still draw new ones.
MIN_FREE_CODES = 1_000
BENCH_PASSWORD = "Bench-wachtwoord-2026"  # noqa: S105  (throw-away accounts in a temporary database)
# Lifted for every organisation, so the issuing benchmark is never stopped by the open-voucher limit.
RAISED_OPEN_LIMIT = 1_000_000


@dataclass(frozen=True)
class Dataset:
    """A loaded benchmark database and the ids the benchmarks act with."""

    url: str
    dialect: str
    voucher_count: int
    administrator_id: int
    # An intermediary of `intermediary_organisation_id`, the organisation the per-organisation figures use.
    intermediary_id: int
    intermediary_organisation_id: int
    intermediary_organisation_vouchers: int
    desk_id: int
    desk_library_id: int
    # Every desk account as (user id, library id), for the benchmark with several desks at once.
    desks: tuple[tuple[int, int], ...]
    reserved_codes: tuple[str, ...]
    load_seconds: float

    @property
    def label(self) -> str:
        return f"{self.dialect} {self.voucher_count:,}"


@dataclass(frozen=True)
class _Accounts:
    administrator_id: int
    intermediary_ids: list[int]
    intermediary_organisation_ids: list[int]
    staff: list[tuple[int, int]]  # (user id, library id)
    batch_id: int
    batch_created_at: datetime


def shuffled_codes(seed: int = SEED) -> list[str]:
    """Return every valid code (100,000 of them) in a shuffled order fixed by `seed`."""
    payloads = list(range(codes.CODE_SPACE))
    random.Random(seed).shuffle(payloads)
    return [_code(payload) for payload in payloads]


def _code(payload: int) -> str:
    digits = f"{payload:0{codes.PAYLOAD_LENGTH}d}"
    return digits + codes.damm_check_digit(digits)


def load_dataset(url: str, voucher_count: int, seed: int = SEED) -> Dataset:
    """Migrate the empty database at `url`, add accounts and bulk-insert `voucher_count` vouchers.

    Leaves `services.db` configured for `url`.
    """
    if voucher_count > codes.CODE_SPACE - MIN_FREE_CODES:
        raise ValueError(
            f"voucher_count={voucher_count} leaves fewer than {MIN_FREE_CODES:,} unused codes for issuing; "
            f"use at most {codes.CODE_SPACE - MIN_FREE_CODES:,}"
        )
    started = time.perf_counter()
    db.migrate(url)
    engine = db.configure(url)
    rng = random.Random(seed)
    now = utc_now()
    accounts = _add_accounts(now)
    rows = _voucher_rows(rng, now, shuffled_codes(seed)[:voucher_count], accounts)
    _bulk_insert(engine, rows)
    reserved = tuple(row["code"] for row in rows if _is_reservable(row))[:RESERVED_CODE_COUNT]
    organisation_id = accounts.intermediary_organisation_ids[0]
    return Dataset(
        url=url,
        dialect=engine.dialect.name,
        voucher_count=voucher_count,
        administrator_id=accounts.administrator_id,
        intermediary_id=accounts.intermediary_ids[0],
        intermediary_organisation_id=organisation_id,
        intermediary_organisation_vouchers=sum(1 for row in rows if row["organisation_id"] == organisation_id),
        desk_id=accounts.staff[0][0],
        desk_library_id=accounts.staff[0][1],
        desks=tuple(accounts.staff),
        reserved_codes=reserved,
        load_seconds=time.perf_counter() - started,
    )


def _add_accounts(now: datetime) -> _Accounts:
    password_hash = hash_password(BENCH_PASSWORD)
    with db.write_session() as session:
        fund = add_organisation(
            session, name="Fonds Bibliotheken", kind=OrganisationKind.INTERMEDIARY, max_open_vouchers=RAISED_OPEN_LIMIT
        )
        administrator = add_user(
            session,
            email="beheerder@bench.test",
            name="Beheerder",
            role=Role.ADMINISTRATOR,
            organisation=fund,
            password_hash=password_hash,
        )
        staff = []
        for number in range(1, LIBRARY_COUNT + 1):
            library = add_organisation(session, name=f"Bibliotheek {number}", kind=OrganisationKind.LIBRARY)
            user = add_user(
                session,
                email=f"balie{number}@bench.test",
                name=f"Baliemedewerker {number}",
                role=Role.LIBRARY_STAFF,
                organisation=library,
                password_hash=password_hash,
            )
            staff.append((user.id or 0, library.id or 0))
        intermediary_ids = []
        organisation_ids = []
        for number in range(1, INTERMEDIARY_COUNT + 1):
            organisation = add_organisation(
                session,
                name=f"Intermediair {number}",
                kind=OrganisationKind.INTERMEDIARY,
                max_open_vouchers=RAISED_OPEN_LIMIT,
            )
            user = add_user(
                session,
                email=f"intermediair{number}@bench.test",
                name=f"Medewerker {number}",
                role=Role.INTERMEDIARY,
                organisation=organisation,
                password_hash=password_hash,
            )
            intermediary_ids.append(user.id or 0)
            organisation_ids.append(organisation.id or 0)
        # Every reimbursed voucher of the history is in this one paid batch.
        batch = ReimbursementBatch(
            status=BatchStatus.PAID,
            created_at=now - timedelta(days=30),
            created_by_id=administrator.id or 0,
            period_from=(now - timedelta(days=HISTORY_DAYS)).astimezone(LOCAL_ZONE).date(),
            period_to=(now - timedelta(days=31)).astimezone(LOCAL_ZONE).date(),
        )
        session.add(batch)
        session.flush()
        return _Accounts(
            administrator_id=administrator.id or 0,
            intermediary_ids=intermediary_ids,
            intermediary_organisation_ids=organisation_ids,
            staff=staff,
            batch_id=batch.id or 0,
            batch_created_at=batch.created_at,
        )


def _voucher_rows(rng: random.Random, now: datetime, voucher_codes: list[str], accounts: _Accounts) -> list[dict]:
    """Build one insert row per code, spread over two years, eight organisations and every status."""
    rows = []
    for code in voucher_codes:
        index = rng.randrange(INTERMEDIARY_COUNT)
        created_at = now - timedelta(days=rng.uniform(0, HISTORY_DAYS))
        row = _empty_row(
            code, created_at, accounts.intermediary_ids[index], accounts.intermediary_organisation_ids[index]
        )
        if rng.random() < 0.7:
            row["holder_first_name"] = rng.choice(FIRST_NAMES)
            row["holder_last_name"] = rng.choice(LAST_NAMES)
            row["holder_birth_date"] = date(rng.randint(1940, 2008), rng.randint(1, 12), rng.randint(1, 28))
        # Core inserts skip the model's listener that fills the folded search name.
        row["holder_search"] = holder_search_text(row["holder_first_name"], row["holder_last_name"])
        _give_status(row, rng, now, accounts)
        rows.append(row)

    # Ids follow creation time, as they do when vouchers are issued one request after another.
    rows.sort(key=lambda row: row["created_at"])
    for voucher_id, row in enumerate(rows, start=1):
        row["id"] = voucher_id
    return rows


def _empty_row(code: str, created_at: datetime, creator_id: int, organisation_id: int) -> dict[str, Any]:
    row: dict[str, Any] = {column.name: None for column in Voucher.__table__.columns}  # type: ignore[attr-defined]
    row.update(
        code=code,
        status=VoucherStatus.ISSUED,
        created_at=created_at,
        created_by_id=creator_id,
        organisation_id=organisation_id,
    )
    return row


def _give_status(row: dict[str, Any], rng: random.Random, now: datetime, accounts: _Accounts) -> None:
    """Set a status: about 10% withdrawn, 5% expired, 20% issued and 65% redeemed or reimbursed."""
    created_at: datetime = row["created_at"]
    age = now - created_at
    roll = rng.random()
    if age < timedelta(days=3) or 0.15 <= roll < 0.35:
        return
    if roll < 0.10:
        row["status"] = VoucherStatus.WITHDRAWN
        row["withdrawn_at"] = min(created_at + timedelta(days=rng.uniform(1, 10)), now)
        row["withdrawn_by_id"] = row["created_by_id"]
        row["withdrawal_reason"] = rng.choice(("Bewoner verhuisd", "Dubbel aangemaakt", "Voucher kwijtgeraakt"))
        return
    if roll < 0.15:
        # As if a validity period of six weeks was configured, so all but the newest of these have expired.
        row["expires_on"] = (created_at + timedelta(days=42)).astimezone(LOCAL_ZONE).date()
        return
    staff_id, library_id = rng.choice(accounts.staff)
    redeemed_at = min(created_at + timedelta(days=rng.uniform(0.1, 30)), now - timedelta(hours=1))
    row.update(
        status=VoucherStatus.REDEEMED,
        redeemed_at=redeemed_at,
        redeemed_by_id=staff_id,
        redeemed_library_id=library_id,
        library_card_number=f"2{rng.randrange(10**12):012d}",
        redeem_request_key=uuid.UUID(int=rng.getrandbits(128)).hex,
    )
    if redeemed_at < accounts.batch_created_at - timedelta(days=5) and rng.random() < 0.8:
        row.update(
            status=VoucherStatus.REIMBURSED,
            reimbursed_at=accounts.batch_created_at,
            reimbursed_by_id=accounts.administrator_id,
            reimbursement_batch_id=accounts.batch_id,
        )


def _is_reservable(row: dict[str, Any]) -> bool:
    return row["status"] == VoucherStatus.ISSUED and row["expires_on"] is None


def _bulk_insert(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Insert the vouchers and one "voucher.issued" audit event each, in batches of INSERT_BATCH_SIZE."""
    voucher_table = Voucher.__table__  # type: ignore[attr-defined]
    audit_table = AuditEvent.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        for start in range(0, len(rows), INSERT_BATCH_SIZE):
            batch = rows[start : start + INSERT_BATCH_SIZE]
            events = [_issued_event(row) for row in batch]
            with connection.begin():
                connection.execute(insert(voucher_table), batch)
                connection.execute(insert(audit_table), events)
        if engine.dialect.name == "postgresql":
            # Explicit ids leave the sequence at 1, but the services' own inserts need it past the last id.
            with connection.begin():
                connection.execute(text("SELECT setval(pg_get_serial_sequence('voucher', 'id'), max(id)) FROM voucher"))
            # Autovacuum analyzes a freshly loaded table on its own after a while. Analyzing now keeps
            # the query plans independent of when that happens.
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def _issued_event(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "occurred_at": row["created_at"],
        "actor_id": row["created_by_id"],
        "action": "voucher.issued",
        "voucher_id": row["id"],
        "subject_type": "voucher",
        "subject_id": row["id"],
        "before": None,
        "after": {"status": "issued"},
        "reason": None,
    }


@contextmanager
def sqlite_dataset(folder: Path, voucher_count: int) -> Iterator[Dataset]:
    """Build a dataset in a new SQLite file under `folder`, which the caller removes."""
    path = folder / f"bench-{voucher_count}.sqlite3"
    yield load_dataset(f"sqlite:///{path}", voucher_count)
    _dispose_engine_of(path.name)


@contextmanager
def postgres_dataset(voucher_count: int, server_url: str = POSTGRES_SERVER_URL) -> Iterator[Dataset]:
    """Build a dataset in a throw-away PostgreSQL database, dropped on exit."""
    server = make_url(server_url)
    name = f"biebvoucher_bench_{uuid.uuid4().hex[:8]}"
    dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise RuntimeError(
            f"PostgreSQL is not reachable at {server.host}:{server.port} ({error}). Start it with `make postgres`."
        ) from error
    try:
        yield load_dataset(server.set(database=name).render_as_string(hide_password=False), voucher_count)
    finally:
        _dispose_engine_of(name)
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _is_configured(url: str) -> bool:
    try:
        return db.get_engine().url == make_url(url)
    except RuntimeError:
        return False


def _dispose_engine_of(database: str) -> None:
    engine = db.get_engine()
    if engine.url.database and engine.url.database.endswith(database):
        engine.dispose()


class Datasets:
    """Cache of one run's datasets: each is built once and shared by every part that requests it.

    Parts run in a fixed order because some of them change the data: redemption uses up
    reserved codes and issuing adds vouchers.
    """

    def __init__(self, folder: Path, stack: ExitStack) -> None:
        self._folder = folder
        self._stack = stack
        self._built: dict[tuple[str, int], Dataset] = {}

    def sqlite(self, voucher_count: int) -> Dataset:
        return self._get("sqlite", voucher_count)

    def postgres(self, voucher_count: int) -> Dataset:
        return self._get("postgresql", voucher_count)

    def _get(self, dialect: str, voucher_count: int) -> Dataset:
        key = (dialect, voucher_count)
        if key not in self._built:
            logger.info("loading %s database with %d vouchers", dialect, voucher_count)
            if dialect == "sqlite":
                dataset = self._stack.enter_context(sqlite_dataset(self._folder, voucher_count))
            else:
                dataset = self._stack.enter_context(postgres_dataset(voucher_count))
            self._built[key] = dataset
        dataset = self._built[key]
        # Several datasets are open in one run, and the services use whichever was configured last.
        if not _is_configured(dataset.url):
            db.configure(dataset.url)
        return dataset

    @property
    def built(self) -> list[Dataset]:
        return list(self._built.values())
