"""Voucher PDF: rendering alone and the whole download service, for 100 and 1,000 vouchers.

The vouchers are issued, unexpired vouchers of the 99,000-voucher datasets, downloaded by
the administrator, who may see all of them. Before every timed round the cache of QR
operators is emptied, so each round computes every QR symbol again, as a first download of
new vouchers does. One more round repeats the last selection with the cache filled, as a
reprint does.
"""

import io
import math
from typing import Any

import pypdf
from sqlmodel import col, select

from bench.data import Dataset, Datasets
from bench.report import Table
from bench.timing import summarise, time_each
from models import Voucher, VoucherStatus
from services import db
from services.clock import to_local
from services.downloads import download_vouchers_pdf
from services.voucher_pdf import PER_PAGE, PrintedVoucher, qr_operators, render_vouchers_pdf

SIZE = 99_000
# Vouchers per PDF, the number of timed rounds, and the target the product aims for in ms.
CASES = ((100, 10, 1_000), (1_000, 3, 5_000))
LOCALE = "nl"


def run(datasets: Datasets, *, include_postgres: bool = True) -> tuple[list[Table], dict[str, Any]]:
    """Time render_vouchers_pdf and download_vouchers_pdf at 100 and 1,000 vouchers."""
    table = Table(
        "Voucher PDF: cold QR cache unless marked warm, ms",
        ["database", "call", "vouchers", "rounds", "p50", "max", "target", "pages", "KiB"],
    )
    details: dict[str, Any] = {}

    def add(dataset: Dataset, call: str, size: int, target_ms: int, result: dict[str, Any]) -> None:
        summary = result["summary"]
        row = [summary["count"], summary["p50_ms"], summary["max_ms"], target_ms, result["pages"], result["kib"]]
        table.add(dataset.label, call, size, *row)
        details[f"{dataset.label} {call} {size}"] = result

    loaders = [datasets.sqlite] + ([datasets.postgres] if include_postgres else [])
    for load in loaders:
        dataset = load(SIZE)
        voucher_ids = _printable_ids(dataset, max(size for size, _rounds, _target in CASES))
        for size, rounds, target_ms in CASES:
            selected = voucher_ids[:size]
            # Rendering does not touch the database, so it is measured on the first dataset only.
            if load is loaders[0]:
                add(dataset, "render only", size, target_ms, _measure_render(selected, rounds))
            add(dataset, "download service", size, target_ms, _measure_service(dataset, selected, rounds))
            warm = _measure_service(dataset, selected, 1, clear_cache=False)
            add(dataset, "download service, warm", size, target_ms, warm)

    table.notes = [
        "'render only' is render_vouchers_pdf on prepared PrintedVoucher values; it never touches the database.",
        "'download service' is download_vouchers_pdf as the administrator: permission check, one SELECT,",
        "rendering and the audit event with its commit. 'warm' repeats the last selection with every QR cached.",
        "'target' is the aim (100 in 1 s, 1,000 in 5 s); nothing fails when a figure misses it.",
    ]
    return [table], details


def _printable_ids(dataset: Dataset, count: int) -> list[int]:
    """Return ids of issued vouchers without an end date, leaving out the codes reserved for the desk."""
    reserved = set(dataset.reserved_codes)
    with db.read_session() as session:
        statement = (
            select(Voucher.id, Voucher.code)
            .where(Voucher.status == VoucherStatus.ISSUED, col(Voucher.expires_on).is_(None))
            .order_by(col(Voucher.id).desc())
        )
        ids = [voucher_id for voucher_id, code in session.exec(statement) if code not in reserved]
    if len(ids) < count:
        raise RuntimeError(f"{dataset.label} has only {len(ids)} printable vouchers, but the benchmark needs {count}")
    return ids[:count]


def _measure_render(voucher_ids: list[int], rounds: int) -> dict[str, Any]:
    with db.read_session() as session:
        rows = session.exec(select(Voucher).where(col(Voucher.id).in_(voucher_ids))).all()
        vouchers = [
            PrintedVoucher(
                code=row.code,
                organisation_name=f"Intermediair {row.organisation_id}",
                issued_on=to_local(row.created_at).date(),
                expires_on=row.expires_on,
                holder_first_name=row.holder_first_name,
                holder_last_name=row.holder_last_name,
                holder_birth_date=row.holder_birth_date,
            )
            for row in rows
        ]
    outputs: list[bytes] = []

    def render() -> None:
        qr_operators.cache_clear()
        outputs.append(render_vouchers_pdf(vouchers, locale=LOCALE))

    samples = time_each([render] * rounds)
    return _result(samples, outputs[-1], len(voucher_ids))


def _measure_service(
    dataset: Dataset, voucher_ids: list[int], rounds: int, *, clear_cache: bool = True
) -> dict[str, Any]:
    outputs: list[bytes] = []

    def download() -> None:
        if clear_cache:
            qr_operators.cache_clear()
        file = download_vouchers_pdf(actor_id=dataset.administrator_id, voucher_ids=voucher_ids, locale=LOCALE)
        outputs.append(file.content)

    samples = time_each([download] * rounds)
    return _result(samples, outputs[-1], len(voucher_ids))


def _result(samples: list[float], content: bytes, count: int) -> dict[str, Any]:
    """Summarise the samples after checking that the last PDF has one page per eight vouchers."""
    pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
    if pages != math.ceil(count / PER_PAGE):
        raise RuntimeError(f"PDF of {count} vouchers has {pages} pages, expected {math.ceil(count / PER_PAGE)}")
    return {"summary": summarise(samples).to_json(), "samples_ms": samples, "pages": pages, "kib": len(content) // 1024}
