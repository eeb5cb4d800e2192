"""Desk latency: `check_code` and `redeem_voucher` on reserved issued vouchers, SQLite and PostgreSQL.

Each code is checked and then redeemed, as at the desk. A redemption uses its voucher up,
so every timed call is on a different voucher. The first WARMUP codes are not timed. The
same number of other reserved codes is then looked up and redeemed with bare SQL through
the driver (bench/desk_floor.py), the floor the service calls are compared with.
"""

import uuid
from typing import Any

from bench.data import Dataset, Datasets
from bench.desk_floor import measure_floor
from bench.report import Table
from bench.timing import Summary, summarise, time_each
from models import VoucherStatus
from services.codes import format_code
from services.redemption import check_code, redeem_voucher

SIZE = 99_000
REPEAT = 100
WARMUP = 5
# Reserved codes used by this part: the service calls first, then the bare SQL.
CODES_USED = 2 * (WARMUP + REPEAT)


def run(datasets: Datasets, *, include_postgres: bool = True) -> tuple[list[Table], dict[str, Any]]:
    """Time check_code and redeem_voucher, and their bare SQL, on the 99,000-voucher datasets."""
    table = Table(
        f"Desk: check and redeem one code at {SIZE:,} vouchers, ms",
        ["database", "call", "calls", "p50", "p95", "min", "max", "bare SQL p50", "bare SQL p95"],
    )
    details: dict[str, Any] = {}
    loaders = [datasets.sqlite] + ([datasets.postgres] if include_postgres else [])
    for load in loaders:
        dataset = load(SIZE)
        reserved = list(dataset.reserved_codes)
        if len(reserved) < CODES_USED:
            raise RuntimeError(f"{dataset.label} has only {len(reserved)} reserved codes, this part needs {CODES_USED}")
        checks, redemptions = _measure(dataset, reserved[: WARMUP + REPEAT])
        lookup_floor, redeem_floor = measure_floor(
            dataset, reserved[WARMUP + REPEAT : CODES_USED], dataset.desk_library_id, WARMUP
        )
        rows = (("check_code", checks, lookup_floor), ("redeem_voucher", redemptions, redeem_floor))
        for call, summary, floor in rows:
            table.add(
                dataset.label,
                call,
                summary.count,
                summary.p50_ms,
                summary.p95_ms,
                summary.min_ms,
                summary.max_ms,
                floor.p50_ms,
                floor.p95_ms,
            )
        details[dataset.label] = {
            "check_code": checks.to_json(),
            "redeem_voucher": redemptions.to_json(),
            "bare_sql_lookup": lookup_floor.to_json(),
            "bare_sql_redeem": redeem_floor.to_json(),
        }
    table.notes = [
        f"{REPEAT} vouchers per database after {WARMUP} untimed ones; each is checked, then redeemed once.",
        "redeem_voucher includes its audit event and the commit (synchronous=NORMAL in WAL mode on SQLite).",
        "bare SQL: the SELECT by code, and the conditional UPDATE plus one audit INSERT in one transaction,",
        "through the driver alone, on as many other reserved vouchers in the same run.",
        "Targets: check under 3 ms and redemption under 5 ms at p95 in the service layer.",
    ]
    return [table], details


def _measure(dataset: Dataset, codes: list[str]) -> tuple[Summary, Summary]:
    desk_id = dataset.desk_id
    check_samples: list[float] = []
    redeem_samples: list[float] = []
    for code in codes:

        def check(code: str = code) -> None:
            result = check_code(actor_id=desk_id, raw_code=format_code(code))
            if not result.redeemable:
                raise RuntimeError(f"reserved code {code} is not redeemable: {result.problem!r}")

        def redeem(code: str = code) -> None:
            outcome = redeem_voucher(actor_id=desk_id, raw_code=code, request_key=uuid.uuid4().hex)
            if outcome.voucher.status != VoucherStatus.REDEEMED or outcome.repeated:
                raise RuntimeError(f"redeeming {code} did not redeem it: {outcome!r}")

        check_ms, redeem_ms = time_each([check, redeem])
        check_samples.append(check_ms)
        redeem_samples.append(redeem_ms)
    return summarise(check_samples[WARMUP:]), summarise(redeem_samples[WARMUP:])
