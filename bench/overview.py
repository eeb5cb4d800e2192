"""Overview first page: `list_vouchers` beside the bare SQL it sends, at 1,000 and 99,000 vouchers.

The bare-SQL floor is the COUNT(*) and the page SELECT that one `list_vouchers` call sent,
captured at the driver and replayed with the same parameters through sqlite3 or psycopg
alone: no ORM, no session, no permission check and no row conversion.
"""

from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from bench.data import Dataset, Datasets
from bench.report import Table
from bench.sql_capture import DriverConnection, Statement, captured_statements
from bench.timing import DEFAULT_WARMUP, Summary, summarise, time_interleaved
from models import VoucherStatus
from services import db
from services.voucher_queries import VoucherQuery, list_vouchers

SMALL = 1_000
LARGE = 99_000
REPEAT = 50
# The first three digits, as printed on a voucher ("123 456"). About 1 in 1,000 codes match.
CODE_PREFIX = "123"
HOLDER_SEARCH = "janssen"


@dataclass(frozen=True)
class Case:
    """One overview request: a filter and the dataset sizes it runs at."""

    name: str
    query: VoucherQuery
    sizes: tuple[int, ...]


CASES = (
    Case("default (newest first)", VoucherQuery(), (SMALL, LARGE)),
    Case(f"code prefix {CODE_PREFIX!r}", VoucherQuery(search=CODE_PREFIX), (LARGE,)),
    Case("status issued", VoucherQuery(status=VoucherStatus.ISSUED), (LARGE,)),
    Case(f"holder name {HOLDER_SEARCH!r}", VoucherQuery(search=HOLDER_SEARCH), (LARGE,)),
)


@dataclass
class Measurement:
    """Service and bare-SQL latencies of one case, for one actor on one dataset."""

    dataset: Dataset
    actor: str
    case: str
    matching: int
    service: Summary
    sql_page: Summary
    sql_count: Summary
    sql_both: Summary
    plans: dict[str, list[str]] = field(default_factory=dict)


def run(datasets: Datasets, *, include_postgres: bool = True) -> tuple[list[Table], dict[str, Any]]:
    """Measure every case on SQLite, and the 99,000-voucher cases on PostgreSQL too."""
    targets = [("sqlite", SMALL), ("sqlite", LARGE)]
    if include_postgres:
        targets.append(("postgresql", LARGE))

    measurements: list[Measurement] = []
    for dialect, size in targets:
        dataset = datasets.sqlite(size) if dialect == "sqlite" else datasets.postgres(size)
        for case in CASES:
            if size not in case.sizes:
                continue
            for actor, actor_id in (
                ("administrator", dataset.administrator_id),
                ("intermediary", dataset.intermediary_id),
            ):
                measurements.append(_measure(dataset, actor, actor_id, case))

    tables = [_latency_table(measurements), _ratio_table(measurements)]
    details = {
        "plans": [
            {"database": m.dataset.label, "actor": m.actor, "query": m.case, "plans": m.plans} for m in measurements
        ]
    }
    return tables, details


def _measure(dataset: Dataset, actor: str, actor_id: int, case: Case) -> Measurement:
    def call() -> Any:
        return list_vouchers(actor_id=actor_id, query=case.query)

    with captured_statements(db.get_engine()) as statements:
        page = call()
    count_statement, page_statement = _overview_statements(statements)

    with ExitStack() as stack:
        driver = DriverConnection(dataset.url)
        stack.callback(driver.close)
        calls = {"service": call, "count": driver.runner(count_statement), "page": driver.runner(page_statement)}
        if len(calls["page"]()) != len(page.rows) or calls["count"]()[0][0] != page.total:
            raise RuntimeError(f"replayed SQL returned other rows than list_vouchers for {case.name!r}")
        samples = time_interleaved(calls, repeat=REPEAT)
        plans = {"count": driver.plan(count_statement), "page": driver.plan(page_statement)}

    measurement = Measurement(
        dataset=dataset,
        actor=actor,
        case=case.name,
        matching=page.total,
        service=summarise(samples["service"]),
        sql_page=summarise(samples["page"]),
        sql_count=summarise(samples["count"]),
        sql_both=summarise(_add_rounds(samples["count"], samples["page"])),
        plans=plans,
    )
    return measurement


def _add_rounds(first: list[float], second: list[float]) -> list[float]:
    return [a + b for a, b in zip(first, second, strict=True)]


def _overview_statements(statements: list[Statement]) -> tuple[Statement, Statement]:
    """Pick the COUNT(*) and the LIMIT query out of the statements one list_vouchers call sent."""
    counts = [s for s in statements if s.sql.lstrip().upper().startswith("SELECT COUNT(*)") and "voucher" in s.sql]
    pages = [s for s in statements if "LIMIT" in s.sql.upper() and "FROM voucher" in s.sql]
    if len(counts) != 1 or len(pages) != 1:
        sent = "\n".join(s.sql for s in statements)
        raise RuntimeError(f"expected one COUNT and one page query from list_vouchers, got:\n{sent}")
    return counts[0], pages[0]


def _latency_table(measurements: list[Measurement]) -> Table:
    table = Table(
        "Overview first page (list_vouchers, 25 rows) and its bare SQL, ms",
        [
            "database",
            "actor",
            "query",
            "matching",
            "service p50",
            "service p95",
            "SQL page p50",
            "SQL count p50",
            "SQL both p50",
            "SQL both p95",
        ],
    )
    for m in measurements:
        table.add(
            m.dataset.label,
            m.actor,
            m.case,
            m.matching,
            m.service.p50_ms,
            m.service.p95_ms,
            m.sql_page.p50_ms,
            m.sql_count.p50_ms,
            m.sql_both.p50_ms,
            m.sql_both.p95_ms,
        )
    table.notes = [
        f"{REPEAT} rounds per row after {DEFAULT_WARMUP} untimed; a round times service, COUNT and page once each.",
        "SQL columns replay the exact COUNT(*) and SELECT ... LIMIT 25 of that call through the driver alone;",
        "'SQL both' adds COUNT and page of the same round. 'matching' is the total the page reports.",
    ]
    return table


def _ratio_table(measurements: list[Measurement]) -> Table:
    table = Table(
        f"Overview first page, {LARGE:,} vouchers against {SMALL:,} (SQLite, default query)",
        [
            "actor",
            f"service p50 {SMALL // 1000}k",
            f"service p50 {LARGE // 1000}k",
            "service ratio",
            f"SQL p50 {SMALL // 1000}k",
            f"SQL p50 {LARGE // 1000}k",
            "SQL ratio",
        ],
    )
    default = CASES[0].name
    for actor in ("administrator", "intermediary"):
        by_size = {
            m.dataset.voucher_count: m
            for m in measurements
            if m.dataset.dialect == "sqlite" and m.actor == actor and m.case == default
        }
        small, large = by_size[SMALL], by_size[LARGE]
        table.add(
            actor,
            small.service.p50_ms,
            large.service.p50_ms,
            large.service.p50_ms / small.service.p50_ms,
            small.sql_both.p50_ms,
            large.sql_both.p50_ms,
            large.sql_both.p50_ms / small.sql_both.p50_ms,
        )
    table.notes = [
        "A ratio near 1 means the cost does not grow with the table; near 99 it grows in proportion to the vouchers.",
    ]
    return table
