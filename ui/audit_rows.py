"""Readable before → after text for the audit trail on the voucher detail page."""

from datetime import date, datetime
from typing import Any

from models import VoucherStatus
from services.i18n import format_short_date, format_short_datetime
from ui.i18n import current_locale
from ui.labels import status_label

# Ids are shown through the names recorded beside them, so they are left out here.
HIDDEN_FIELDS = {"redeemed_library_id"}


def describe_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """Return "old → new" for the recorded fields, with statuses and dates in the current locale."""
    old = _describe_values(before or {})
    new = _describe_values(after or {})
    if old and new:
        return f"{old} → {new}"
    return new or old


def _describe_values(values: dict[str, Any]) -> str:
    parts = [_describe_value(name, value) for name, value in values.items() if value and name not in HIDDEN_FIELDS]
    return ", ".join(parts)


def _describe_value(name: str, value: Any) -> str:
    locale = current_locale()
    if name == "status" and value in VoucherStatus._value2member_map_:
        return status_label(VoucherStatus(value))
    if name.endswith("_date"):
        return format_short_date(locale, date.fromisoformat(value))
    if name.endswith("_at"):
        return format_short_datetime(locale, datetime.fromisoformat(value))
    return str(value)
