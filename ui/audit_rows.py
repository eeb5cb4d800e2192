"""Readable before → after text for the audit trail on the voucher detail page."""

from typing import Any

from services import voucher_labels
from ui.i18n import current_locale


def describe_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """Return "old → new" for the recorded fields in the current locale."""
    return voucher_labels.describe_change(current_locale(), before, after)
