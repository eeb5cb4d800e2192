"""Voucher detail: every recorded field, the audit trail, and the changes allowed now."""

import logging

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role, VoucherStatus
from services.accounts import SessionUser
from services.codes import format_code
from services.errors import DomainError
from services.i18n import format_short_date, format_short_datetime
from services.redemption import undo_redemption
from services.voucher_labels import ACTION_LABELS
from services.voucher_queries import VoucherDetail, voucher_detail
from services.voucher_views import VoucherView
from services.vouchers import personalise_voucher, withdraw_voucher
from ui.audit_rows import describe_change
from ui.check_page import UNDONE_PARAMETER
from ui.date_field import birth_date_field
from ui.dialogs import dialog_result
from ui.field_errors import clear_field_error, mark_field_error
from ui.frame import page_frame
from ui.i18n import _, current_locale, error_text, rejection_text
from ui.labels import STATUS_COLOURS, status_label
from ui.reason_dialog import run_with_reason
from ui.session import call_as_user, page_user

logger = logging.getLogger(__name__)


def voucher_page(request: Request, voucher_id: str) -> RedirectResponse | None:
    """Show one voucher if the user may see it."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Voucher")):
        # The id is taken as text, so "/vouchers/abc" gets the Dutch "not found" instead of a JSON error.
        VoucherDetailView(user, int(voucher_id) if voucher_id.isdigit() else 0).build()
    return None


class VoucherDetailView:
    def __init__(self, user: SessionUser, voucher_id: int) -> None:
        self.user = user
        self.voucher_id = voucher_id

    def build(self) -> None:
        self.container = ui.column().classes("w-full gap-4")
        self.show()

    def show(self) -> None:
        self.container.clear()
        with self.container:
            try:
                detail = voucher_detail(actor_id=self.user.id, voucher_id=self.voucher_id)
            except DomainError as error:
                ui.label(error_text(error)).classes("text-lg").props("data-testid=detail-error").mark("detail-error")
                ui.link(_("Back to the overview"), "/").classes("text-blue-900 underline")
                return
            self._fields(detail.voucher)
            self._actions(detail.voucher)
            self._trail(detail)

    def _fields(self, voucher: VoucherView) -> None:
        locale = current_locale()
        with ui.row().classes("items-center gap-4"):
            ui.label(format_code(voucher.code)).classes("text-3xl font-mono font-bold").props(
                "data-testid=detail-code"
            ).mark("detail-code")
            ui.label(status_label(voucher.status)).classes(
                f"rounded-full px-3 py-1 font-medium {STATUS_COLOURS[voucher.status]}"
            ).props("data-testid=detail-status").mark("detail-status")
        missing = _("removed") if voucher.personal_data_removed_at else _("not filled in")
        rows = [
            (_("Issued by"), f"{voucher.organisation_name} · {voucher.created_by_name}"),
            (_("Created"), format_short_datetime(locale, voucher.created_at)),
            (_("Holder"), voucher.holder_name or missing),
            (_("Date of birth"), format_short_date(locale, voucher.holder_birth_date) or missing),
            (_("Valid until"), format_short_date(locale, voucher.expires_on) or _("no end date")),
        ]
        if voucher.redeemed_at:
            rows.append(
                (
                    _("Redeemed"),
                    f"{format_short_datetime(locale, voucher.redeemed_at)} · "
                    f"{voucher.redeemed_library_name} · {voucher.redeemed_by_name}",
                )
            )
            if voucher.library_card_number:
                rows.append((_("Library card number"), voucher.library_card_number))
        if voucher.reimbursed_at:
            rows.append((_("Reimbursed"), format_short_datetime(locale, voucher.reimbursed_at)))
        if voucher.withdrawn_at:
            rows.append(
                (_("Withdrawn"), f"{format_short_datetime(locale, voucher.withdrawn_at)} · {voucher.withdrawal_reason}")
            )
        if voucher.personal_data_removed_at:
            rows.append((_("Personal data removed"), format_short_datetime(locale, voucher.personal_data_removed_at)))
        with ui.grid(columns="auto 1fr").classes("gap-x-6 gap-y-1 text-base"):
            for label, value in rows:
                ui.label(label).classes("font-semibold")
                ui.label(value)

    def _actions(self, voucher: VoucherView) -> None:
        own = self.user.role == Role.ADMINISTRATOR or voucher.organisation_id == self.user.organisation_id
        with ui.row().classes("gap-2"):
            if voucher.status == VoucherStatus.ISSUED and own:
                ui.button(_("Holder details"), icon="edit", on_click=lambda: self._personalise(voucher)).props(
                    "outline no-caps size=lg data-testid=personalise-button"
                ).mark("personalise-button")
                ui.button(_("Withdraw"), icon="block", on_click=self._withdraw).props(
                    "outline no-caps size=lg color=red-9 data-testid=withdraw-button"
                ).mark("withdraw-button")
            if voucher.status == VoucherStatus.REDEEMED and self.user.role != Role.INTERMEDIARY:
                ui.button(_("Undo redemption"), icon="undo", on_click=self._undo).props(
                    "outline no-caps size=lg color=red-9 data-testid=undo-button"
                ).mark("undo-button")

    def _trail(self, detail: VoucherDetail) -> None:
        locale = current_locale()
        ui.label(_("History")).classes("text-xl font-bold").props("role=heading aria-level=2")
        rows = []
        for event, actor_name in detail.events:
            rows.append(
                {
                    "id": event.id,
                    "when": format_short_datetime(locale, event.occurred_at),
                    "who": actor_name or "",
                    "what": _(ACTION_LABELS.get(event.action, event.action)),
                    "change": describe_change(event.before, event.after),
                    "reason": event.reason or "",
                }
            )
        columns = [
            {"name": key, "label": label, "field": key, "align": "left"}
            for key, label in (
                ("when", _("When")),
                ("who", _("Who")),
                ("what", _("What")),
                ("change", _("Change")),
                ("reason", _("Reason")),
            )
        ]
        # Long changes and reasons wrap, so the table fits a portrait tablet; only the time stays on one line.
        columns[0]["classes"] = "whitespace-nowrap"
        ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").props(
            "flat bordered wrap-cells data-testid=audit-table"
        ).mark("audit-table")

    async def _personalise(self, voucher: VoucherView) -> None:
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg gap-3"):
            ui.label(_("Holder details")).classes("text-xl font-bold").props("role=heading aria-level=2")
            first = (
                ui.input(_("First name"), value=voucher.holder_first_name or "")
                .props("outlined maxlength=100")
                .classes("w-full")
            )
            last = (
                ui.input(_("Last name"), value=voucher.holder_last_name or "")
                .props("outlined maxlength=100")
                .classes("w-full")
            )
            born = birth_date_field(
                _("Date of birth"),
                value=format_short_date("nl", voucher.holder_birth_date),
                marker="personalise-birth-date",
            )
            message = (
                ui.label()
                .classes("text-red-800")
                .props("role=alert data-testid=personalise-error")
                .mark("personalise-error")
            )

            fields = {"first_name": first, "last_name": last, "birth_date": born}

            async def save() -> None:
                message.text = ""
                for field in fields.values():
                    clear_field_error(field)
                try:
                    await call_as_user(
                        personalise_voucher,
                        voucher_id=voucher.id,
                        first_name=first.value or "",
                        last_name=last.value or "",
                        birth_date=born.value or "",
                    )
                except DomainError as error:
                    text = rejection_text(error, action="personalisation", user_id=self.user.id, voucher=voucher.id)
                    # Shown once: below the field the error names, else in the dialog's alert line.
                    element = fields.get(error.field or "")
                    if element is None:
                        message.text = text
                    else:
                        mark_field_error(element, text)
                    return
                dialog.submit(True)

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=lambda: dialog.submit(False)).props("flat no-caps size=lg")
                ui.button(_("Save"), on_click=save).props(
                    "unelevated no-caps size=lg data-testid=personalise-save"
                ).mark("personalise-save")
        saved = await dialog_result(dialog)
        if saved:
            ui.notify(_("Holder details saved"), type="positive")
            self.show()

    async def _withdraw(self) -> None:
        async def withdraw(reason: str) -> None:
            await call_as_user(withdraw_voucher, voucher_id=self.voucher_id, reason=reason)

        if await run_with_reason(
            _("Withdraw voucher"),
            _("Why is this voucher withdrawn?"),
            withdraw,
            explanation=_("This cannot be undone."),
        ):
            ui.notify(_("Voucher withdrawn"), type="positive")
            self.show()

    async def _undo(self) -> None:
        async def undo(reason: str) -> None:
            await call_as_user(undo_redemption, voucher_id=self.voucher_id, reason=reason)

        if not await run_with_reason(_("Undo redemption"), _("Why is this redemption undone?"), undo):
            return
        try:
            voucher_detail(actor_id=self.user.id, voucher_id=self.voucher_id)
        except DomainError as error:
            # Library staff see a voucher of another organisation only while their library has
            # redeemed it, so after the undo the desk screen is the place to continue.
            logger.info(
                "voucher hidden after undo user=%d voucher=%d error=%s", self.user.id, self.voucher_id, error.code
            )
            ui.navigate.to(f"/check?{UNDONE_PARAMETER}=1")
            return
        ui.notify(_("Redemption undone; the voucher is issued again."), type="positive")
        self.show()
