"""Names of voucher statuses, audit actions and roles, and readable text for a recorded change.

Pages, mails and the resident's data export use these, each in the reader's locale.
"""

from datetime import date, datetime
from typing import Any

from models import Role, VoucherStatus
from services.audit import PERSONAL_FIELDS
from services.i18n import N_, format_short_date, format_short_datetime, translate

ROLE_LABELS = {
    Role.INTERMEDIARY: N_("Intermediary"),
    Role.LIBRARY_STAFF: N_("Library staff"),
    Role.ADMINISTRATOR: N_("Administrator"),
}
STATUS_LABELS = {
    VoucherStatus.ISSUED: N_("Issued"),
    VoucherStatus.REDEEMED: N_("Redeemed"),
    VoucherStatus.REIMBURSED: N_("Reimbursed"),
    VoucherStatus.WITHDRAWN: N_("Withdrawn"),
    VoucherStatus.EXPIRED: N_("Expired"),
}
ACTION_LABELS = {
    "voucher.issued": N_("Created"),
    "voucher.personalised": N_("Holder details changed"),
    "voucher.withdrawn": N_("Withdrawn"),
    "voucher.redeemed": N_("Redeemed"),
    "voucher.redemption_undone": N_("Redemption undone"),
    "voucher.reimbursed": N_("Reimbursed"),
    "voucher.reimbursement_reopened": N_("Reimbursement batch reopened"),
    "voucher.personal_data_exported": N_("Personal data exported"),
    "voucher.personal_data_erased": N_("Personal data erased on request"),
}
# Ids are shown through the names recorded beside them, so they are left out here.
HIDDEN_FIELDS = {"redeemed_library_id"}
PERSONAL_FIELD_LABELS = {
    "holder_first_name": N_("First name"),
    "holder_last_name": N_("Last name"),
    "holder_birth_date": N_("Date of birth"),
    "library_card_number": N_("Library card number"),
}


def status_text(locale: str, status: VoucherStatus | str) -> str:
    """Return the name of a status in `locale`; an unknown value is returned as it is."""
    if status not in VoucherStatus._value2member_map_:
        return str(status)
    return translate(locale, STATUS_LABELS[VoucherStatus(status)])


def action_text(locale: str, action: str) -> str:
    """Return the name of an audit action in `locale`; an unknown action is returned as it is."""
    label = ACTION_LABELS.get(action)
    return translate(locale, label) if label else action


def describe_change(locale: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """Return "old → new" for the recorded fields, with statuses and dates in `locale`.

    Personal fields are stored without their values, so they are described as filled in,
    changed or removed.
    """
    before, after = before or {}, after or {}
    old = _describe_values(locale, before)
    new = _describe_values(locale, after)
    status_change = f"{old} → {new}" if old and new else new or old
    personal = _describe_personal(locale, before, after)
    return "; ".join(part for part in (status_change, personal) if part)


def _describe_values(locale: str, values: dict[str, Any]) -> str:
    parts = [
        _describe_value(locale, name, value)
        for name, value in values.items()
        if value and name not in HIDDEN_FIELDS and name not in PERSONAL_FIELDS
    ]
    return ", ".join(parts)


def _describe_personal(locale: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    parts = []
    for name, label in PERSONAL_FIELD_LABELS.items():
        had_value, has_value = bool(before.get(name)), bool(after.get(name))
        if name not in before and name not in after:
            continue
        field = translate(locale, label)
        if has_value and not had_value:
            parts.append(translate(locale, N_("{field} filled in"), field=field))
        elif had_value and not has_value:
            parts.append(translate(locale, N_("{field} removed"), field=field))
        elif had_value and has_value:
            parts.append(translate(locale, N_("{field} changed"), field=field))
    return ", ".join(parts)


def _describe_value(locale: str, name: str, value: Any) -> str:
    if name == "status":
        return status_text(locale, value)
    if name.endswith("_date"):
        return format_short_date(locale, date.fromisoformat(value))
    if name.endswith("_at"):
        return format_short_datetime(locale, datetime.fromisoformat(value))
    return str(value)
