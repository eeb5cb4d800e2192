"""The bare-SQL floor of the desk: a code lookup and a redemption straight through the driver.

The lookup is the SELECT `check_code` needs. The redemption is the conditional UPDATE plus one
audit row in one transaction, which is what `redeem_voucher` writes. Comparing these with the
service figures shows the share of SQLAlchemy, the permission checks and the Python around them.
"""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.data import Dataset
from bench.sql_capture import DriverConnection
from bench.timing import Summary, summarise, time_each

LOOKUP_SQL = (
    "SELECT id, code, status, organisation_id, expires_on, redeemed_at, redeemed_library_id, withdrawn_at "
    "FROM voucher WHERE code = {p}"
)
REDEEM_SQL = (
    "UPDATE voucher SET status = 'redeemed', redeemed_at = {p}, redeemed_by_id = {p}, redeemed_library_id = {p} "
    "WHERE code = {p} AND status = 'issued'"
)
AUDIT_SQL = (
    "INSERT INTO audit_event (occurred_at, actor_id, action, voucher_id, subject_type, subject_id, after) "
    "VALUES ({p}, {p}, 'voucher.redeemed', {p}, 'voucher', {p}, {p})"
)


def measure_floor(dataset: Dataset, codes: list[str], library_id: int, warmup: int) -> tuple[Summary, Summary]:
    """Look up and redeem each of `codes` with plain SQL; returns (lookup, redeem) summaries after `warmup`."""
    connection = DriverConnection(dataset.url)
    placeholder = "?" if connection.dialect == "sqlite" else "%s"
    raw = connection.raw
    lookup_sql = LOOKUP_SQL.format(p=placeholder)
    redeem_sql = REDEEM_SQL.format(p=placeholder)
    audit_sql = AUDIT_SQL.format(p=placeholder)
    lookups: list[float] = []
    redemptions: list[float] = []
    try:
        for code in codes:
            found: list[Any] = []

            def lookup(code: str = code, found: list[Any] = found) -> None:
                cursor = raw.cursor()
                cursor.execute(lookup_sql, (code,))
                found.extend(cursor.fetchall())
                cursor.close()

            def redeem(code: str = code, found: list[Any] = found) -> None:
                voucher_id = found[0][0]
                now = datetime.now(UTC)
                # SQLite keeps naive UTC in the format SQLAlchemy writes (see models.types.UTCDateTime).
                stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if connection.dialect == "sqlite" else now
                _transaction(raw, connection.dialect, lambda cursor: _redeem(cursor, code, voucher_id, stamp))

            def _redeem(cursor: Any, code: str, voucher_id: int, stamp: Any) -> None:
                cursor.execute(redeem_sql, (stamp, dataset.desk_id, library_id, code))
                if cursor.rowcount != 1:
                    raise RuntimeError(f"bare-SQL redemption of a reserved code changed {cursor.rowcount} rows")
                after = json.dumps({"status": "redeemed"})
                cursor.execute(audit_sql, (stamp, dataset.desk_id, voucher_id, voucher_id, after))

            lookup_ms, redeem_ms = time_each([lookup, redeem])
            lookups.append(lookup_ms)
            redemptions.append(redeem_ms)
    finally:
        connection.close()
    return summarise(lookups[warmup:]), summarise(redemptions[warmup:])


def _transaction(raw: Any, dialect: str, body: Callable[[Any], None]) -> None:
    cursor = raw.cursor()
    try:
        cursor.execute("BEGIN IMMEDIATE" if dialect == "sqlite" else "BEGIN")
        body(cursor)
        cursor.execute("COMMIT")
    except Exception:
        cursor.execute("ROLLBACK")
        raise
    finally:
        cursor.close()
