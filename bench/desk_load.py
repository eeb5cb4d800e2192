"""Redemptions per second with 10 desks at once, on SQLite and PostgreSQL.

Ten threads stand for ten desks. Each redeems its own share of the reserved codes through
`redeem_voucher`, one after another, all threads at the same time. The desks take turns over
the libraries' staff accounts. The figure is the number of redemptions divided by the wall
time from the common start until the last desk finishes.
"""

import threading
import time
import uuid
from typing import Any

from bench.data import Dataset, Datasets
from bench.redeem import CODES_USED, SIZE
from bench.report import Table
from bench.timing import summarise
from models import VoucherStatus
from services.redemption import redeem_voucher

DESKS = 10
PER_DESK = 100


def run(datasets: Datasets, *, include_postgres: bool = True) -> tuple[list[Table], dict[str, Any]]:
    """Redeem DESKS x PER_DESK vouchers with DESKS threads on each 99,000-voucher dataset."""
    table = Table(
        f"Desk load: {DESKS} desks redeeming at once at {SIZE:,} vouchers",
        ["database", "redemptions", "wall s", "per second", "p50 ms", "p95 ms", "max ms"],
    )
    details: dict[str, Any] = {}
    loaders = [datasets.sqlite] + ([datasets.postgres] if include_postgres else [])
    for load in loaders:
        dataset = load(SIZE)
        result = _measure(dataset)
        latency = summarise(result["samples_ms"])
        table.add(
            dataset.label,
            result["redeemed"],
            round(result["wall_seconds"], 2),
            round(result["redeemed"] / result["wall_seconds"], 1),
            latency.p50_ms,
            latency.p95_ms,
            latency.max_ms,
        )
        details[dataset.label] = {
            "redeemed": result["redeemed"],
            "wall_seconds": result["wall_seconds"],
            "latency": latency.to_json(),
        }
    table.notes = [
        f"{DESKS} threads, {PER_DESK} different vouchers each; latency is one redeem_voucher call while all desks run.",
        "On SQLite the writers of one process queue on a lock in services/db.py, then on BEGIN IMMEDIATE.",
    ]
    return [table], details


def _measure(dataset: Dataset) -> dict[str, Any]:
    codes = list(dataset.reserved_codes[CODES_USED : CODES_USED + DESKS * PER_DESK])
    if len(codes) < DESKS * PER_DESK:
        raise RuntimeError(f"{dataset.label} has too few reserved codes left for {DESKS} desks x {PER_DESK}")
    samples: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(DESKS + 1)

    def desk(number: int) -> None:
        user_id, _library_id = dataset.desks[number % len(dataset.desks)]
        own = codes[number::DESKS]
        start.wait()
        for code in own:
            began = time.perf_counter()
            try:
                outcome = redeem_voucher(actor_id=user_id, raw_code=code, request_key=uuid.uuid4().hex)
            except Exception as error:  # noqa: BLE001  (counted and reported after the run)
                with lock:
                    failures.append(f"{type(error).__name__}: {error}")
                continue
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                samples.append(elapsed)
                if outcome.voucher.status != VoucherStatus.REDEEMED:
                    failures.append(f"{code} ended as {outcome.voucher.status}")

    threads = [threading.Thread(target=desk, args=(number,), name=f"desk-{number}") for number in range(DESKS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"{len(failures)} redemptions failed, first: {failures[0]}")
    return {"redeemed": len(samples), "wall_seconds": wall, "samples_ms": samples}
