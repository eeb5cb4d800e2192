"""Downloads with personal data: selected vouchers as PDF, the overview as CSV or XLSX.

Each download is checked against the vouchers the user may see and recorded in the audit
trail with the user, the voucher ids and their number. The file is built before the audit
event is written, so no event records a download that failed, and the page receives the
file only after the event has been committed.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col

from models import Voucher, VoucherStatus
from services.audit import record_event
from services.clock import local_today, to_local
from services.db import read_session, write_session
from services.errors import NothingSelected, TooManySelected, VouchersNotPrintable, VouchersNotVisible
from services.permissions import Action, Actor, load_actor, require, visible_vouchers
from services.voucher_exports import ExportFormat, write_csv, write_xlsx
from services.voucher_pdf import PrintedVoucher, render_vouchers_pdf
from services.voucher_queries import VoucherQuery, matching_vouchers
from services.voucher_views import VoucherView, to_view, voucher_view_query

logger = logging.getLogger(__name__)

# 125 A4 pages; the benchmark in bench/pdf.py measures this size.
MAX_VOUCHERS_PER_PDF = 1000
PDF_ACTION = "vouchers.downloaded"
EXPORT_ACTION = "vouchers.exported"
MEDIA_TYPES = {
    "pdf": "application/pdf",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class DownloadFile:
    """A generated file and the name and media type the browser saves it under."""

    content: bytes
    filename: str
    media_type: str


def download_vouchers_pdf(*, actor_id: int, voucher_ids: Sequence[int], locale: str) -> DownloadFile:
    """Render the selected issued vouchers as one PDF, in the order given, and audit the download."""
    unique_ids = list(dict.fromkeys(voucher_ids))
    if not unique_ids:
        raise NothingSelected()
    if len(unique_ids) > MAX_VOUCHERS_PER_PDF:
        raise TooManySelected(count=len(unique_ids), maximum=MAX_VOUCHERS_PER_PDF)

    today = local_today()
    with read_session() as session:
        actor = _load_downloader(session, actor_id)
        statement = voucher_view_query().where(col(Voucher.id).in_(unique_ids), visible_vouchers(actor))
        views = {view.id: view for view in (to_view(row, today=today) for row in session.exec(statement))}  # type: ignore[call-overload]

    _check_printable(actor_id, unique_ids, views)
    content = render_vouchers_pdf([_printed(views[voucher_id]) for voucher_id in unique_ids], locale=locale)

    _record_download(actor_id, PDF_ACTION, {"format": "pdf", "count": len(unique_ids), "voucher_ids": unique_ids})
    logger.info("vouchers downloaded as pdf actor=%d count=%d bytes=%d", actor_id, len(unique_ids), len(content))
    return DownloadFile(content=content, filename=f"vouchers-{today.isoformat()}.pdf", media_type=MEDIA_TYPES["pdf"])


def export_vouchers(*, actor_id: int, query: VoucherQuery, file_format: ExportFormat, locale: str) -> DownloadFile:
    """Write every voucher matching the overview's filters (not only one page) as CSV or XLSX, and audit it."""
    today = local_today()
    with read_session() as session:
        actor = _load_downloader(session, actor_id)
        views = matching_vouchers(session, actor, query, today)

    # NOTE: exports have no row limit. For 99,000 vouchers on the shared 2-core development
    # machine the CSV took about 4 s (15 MiB). The XLSX is estimated at 20 s from 20,000 rows in
    # 4.5 s (openpyxl without lxml). NiceGUI sends the bytes to the browser over its websocket.
    if file_format == ExportFormat.CSV:
        content = write_csv(views, locale=locale)
    else:
        content = write_xlsx(views, locale=locale, sheet_title="Vouchers")

    voucher_ids = [view.id for view in views]
    details = {"format": file_format.value, "count": len(views), "voucher_ids": voucher_ids, "filters": _filters(query)}
    _record_download(actor_id, EXPORT_ACTION, details)
    logger.info("vouchers exported actor=%d format=%s count=%d", actor_id, file_format.value, len(views))
    filename = f"vouchers-export-{today.isoformat()}.{file_format.value}"
    return DownloadFile(content=content, filename=filename, media_type=MEDIA_TYPES[file_format])


def _load_downloader(session: Session, actor_id: int) -> Actor:
    actor = load_actor(session, actor_id)
    require(actor, Action.DOWNLOAD_VOUCHERS)
    return actor


def _check_printable(actor_id: int, voucher_ids: list[int], views: dict[int, VoucherView]) -> None:
    """Reject the whole selection if a voucher is not visible or not issued, so the PDF contains every selected one."""
    missing = [voucher_id for voucher_id in voucher_ids if voucher_id not in views]
    if missing:
        logger.info("pdf download rejected actor=%d not_visible=%d first_ids=%s", actor_id, len(missing), missing[:10])
        raise VouchersNotVisible(count=len(missing))
    # A printed redeemed, withdrawn or expired voucher would only be rejected at the desk.
    not_issued = [view.id for view in views.values() if view.status != VoucherStatus.ISSUED]
    if not_issued:
        logger.info(
            "pdf download rejected actor=%d not_issued=%d first_ids=%s", actor_id, len(not_issued), not_issued[:10]
        )
        raise VouchersNotPrintable(count=len(not_issued))


def _printed(view: VoucherView) -> PrintedVoucher:
    return PrintedVoucher(
        code=view.code,
        organisation_name=view.organisation_name,
        issued_on=to_local(view.created_at).date(),
        expires_on=view.expires_on,
        holder_first_name=view.holder_first_name,
        holder_last_name=view.holder_last_name,
        holder_birth_date=view.holder_birth_date,
    )


def _filters(query: VoucherQuery) -> dict[str, Any]:
    return {
        "status": query.status.value if query.status else None,
        "search": query.search or None,
        "created_from": query.created_from.isoformat() if query.created_from else None,
        "created_to": query.created_to.isoformat() if query.created_to else None,
        "sort": query.sort.value,
        "descending": query.descending,
    }


def _record_download(actor_id: int, action: str, details: dict[str, Any]) -> None:
    with write_session() as session:
        # Loaded again, because a user deactivated while the file was built must not receive it.
        load_actor(session, actor_id)
        record_event(
            session, actor_id=actor_id, action=action, subject_type="voucher_list", subject_id=None, after=details
        )
