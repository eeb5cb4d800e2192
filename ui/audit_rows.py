"""Readable before → after text for the audit trail on the voucher detail page."""

from datetime import date, datetime
from typing import Any

from models import VoucherStatus
from services.audit import PERSONAL_FIELDS
from services.i18n import N_, format_short_date, format_short_datetime
from ui.i18n import _, current_locale
from ui.labels import status_label

# Ids are shown through the names recorded beside them, so they are left out here.
HIDDEN_FIELDS = {"redeemed_library_id"}
PERSONAL_FIELD_LABELS = {
    "holder_first_name": N_("First name"),
    "holder_last_name": N_("Last name"),
    "holder_birth_date": N_("Date of birth"),
    "library_card_number": N_("Library card number"),
}


def describe_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """Return "old → new" for the recorded fields, with statuses and dates in the current locale.

    Personal fields are stored without their values, so they are described as filled in,
    changed or removed.
    """
    before, after = before or {}, after or {}
    old = _describe_values(before)
    new = _describe_values(after)
    status_change = f"{old} → {new}" if old and new else new or old
    personal = _describe_personal(before, after)
    return "; ".join(part for part in (status_change, personal) if part)


def _describe_values(values: dict[str, Any]) -> str:
    parts = [
        _describe_value(name, value)
        for name, value in values.items()
        if value and name not in HIDDEN_FIELDS and name not in PERSONAL_FIELDS
    ]
    return ", ".join(parts)


def _describe_personal(before: dict[str, Any], after: dict[str, Any]) -> str:
    parts = []
    for name, label in PERSONAL_FIELD_LABELS.items():
        had_value, has_value = bool(before.get(name)), bool(after.get(name))
        if name not in before and name not in after:
            continue
        if has_value and not had_value:
            parts.append(_("{field} filled in", field=_(label)))
        elif had_value and not has_value:
            parts.append(_("{field} removed", field=_(label)))
        elif had_value and has_value:
            parts.append(_("{field} changed", field=_(label)))
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
