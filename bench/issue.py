"""Creating 100 vouchers as ten requests of ten, the most `issue_vouchers` accepts per request by default.

The intermediary's organisation has its open-voucher limit raised, so the limit never
rejects a request. At 99,000 vouchers 99% of the code space is taken, so drawing unused
codes needs many more lookups; the SQL statement count shows that.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.data import Dataset, Datasets
from bench.report import Table
from bench.sql_capture import captured_statements
from bench.timing import summarise, time_each
from services import db
from services.settings import get_settings
from services.vouchers import issue_vouchers

REQUESTS = 10
WARMUP_REQUESTS = 1


def run(datasets: Datasets, *, include_postgres: bool = True) -> tuple[list[Table], dict[str, Any]]:
    """Issue 100 vouchers on each dataset and time each request."""
    per_request = get_settings().max_vouchers_per_request
    table = Table(
        f"Issuing {REQUESTS * per_request} vouchers: {REQUESTS} requests of {per_request}, ms",
        ["database", "total", "request p50", "request max", "SQL statements", "code lookups", "warnings logged"],
    )
    details: dict[str, Any] = {}
    targets = [(datasets.sqlite, 1_000), (datasets.sqlite, 99_000)]
    if include_postgres:
        targets += [(datasets.postgres, 1_000), (datasets.postgres, 99_000)]
    for load, size in targets:
        dataset = load(size)
        result = _measure(dataset, per_request)
        table.add(
            dataset.label,
            result["total_ms"],
            result["request"]["p50_ms"],
            result["request"]["max_ms"],
            result["statements"],
            result["code_lookups"],
            len(result["warnings"]),
        )
        details[dataset.label] = result
    table.notes = [
        f"Timed after {WARMUP_REQUESTS} untimed request of {per_request}; each request is one transaction",
        "with its open-voucher count, code draws, inserts and one audit event per voucher.",
        "'code lookups' counts the SELECTs that test drawn codes for use; near a full code space most draws are taken.",
        "The database column gives the size before issuing; redemption runs first on the 99,000 datasets.",
    ]
    return [table], details


def _measure(dataset: Dataset, per_request: int) -> dict[str, Any]:
    actor_id = dataset.intermediary_id
    with _captured_warnings():
        for _ in range(WARMUP_REQUESTS):
            issue_vouchers(actor_id=actor_id, count=per_request)

    def issue() -> None:
        issued = issue_vouchers(actor_id=actor_id, count=per_request)
        if len(issued) != per_request:
            raise RuntimeError(f"issue_vouchers returned {len(issued)} ids for {per_request} requested")

    with _captured_warnings() as warnings, captured_statements(db.get_engine()) as statements:
        samples = time_each([issue] * REQUESTS)
    return {
        "total_ms": sum(samples),
        "request": summarise(samples).to_json(),
        "statements": len(statements),
        "code_lookups": sum(1 for statement in statements if statement.sql.startswith("SELECT voucher.code")),
        "warnings": warnings,
    }


@contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    """Collect the product's WARNING messages inside the block instead of printing each one."""
    messages: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(f"{record.name}: {record.getMessage()}")

    logger = logging.getLogger("services")
    handler = Collector(logging.WARNING)
    previous_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous_propagate
