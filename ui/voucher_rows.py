"""Turning voucher views into table rows for the overview."""

from typing import Any

from services.codes import format_code
from services.i18n import format_short_date, format_short_datetime
from services.voucher_views import VoucherView
from ui.i18n import current_locale
from ui.labels import STATUS_COLOURS, status_label


def to_row(view: VoucherView) -> dict[str, Any]:
    """Return the table row of one voucher, with every value already formatted."""
    locale = current_locale()
    redeemed = ""
    if view.redeemed_at:
        redeemed = f"{format_short_datetime(locale, view.redeemed_at)} · {view.redeemed_library_name or ''}"
        if view.redeemed_by_name:
            redeemed += f" · {view.redeemed_by_name}"
    return {
        "id": view.id,
        "code": format_code(view.code),
        "created_at": format_short_date(locale, view.created_at),
        "status": view.status.value,
        "status_label": status_label(view.status),
        "status_classes": STATUS_COLOURS[view.status],
        "holder": view.holder_name,
        "organisation": view.organisation_name,
        "redeemed": redeemed,
        "reimbursed_at": format_short_date(locale, view.reimbursed_at),
    }
