"""Vergoeding (administrators): preview redeemed vouchers, mark them reimbursed as a batch, handle batches."""

import logging
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import BatchStatus, Role
from models.voucher import format_batch_number
from services.accounts import SessionUser
from services.dates import parse_filter_date
from services.errors import DomainError
from services.i18n import N_, format_money, format_short_date, format_short_datetime
from services.redemption import list_libraries
from services.reimbursement import (
    ReimbursementPreview,
    Statement,
    check_filter,
    default_period,
    mark_reimbursed,
    preview_reimbursement,
)
from services.reimbursement_batches import (
    BatchSummary,
    batch_statement,
    confirm_batch_paid,
    list_batches,
    reopen_batch,
)
from services.statement_documents import STATEMENT_LOCALE, statement_csv, statement_filename, statement_pdf
from ui.dialogs import dialog_result
from ui.field_errors import clear_field_error, mark_field_error
from ui.frame import page_frame
from ui.i18n import _, current_locale, ngettext, rejection_text
from ui.reason_dialog import run_with_reason
from ui.session import call_as_user, page_user

logger = logging.getLogger(__name__)

ALL_LIBRARIES = 0
BATCH_STATUS_LABELS = {
    BatchStatus.OPEN: N_("Open"),
    BatchStatus.PAID: N_("Paid"),
    BatchStatus.REOPENED: N_("Reopened"),
}
BATCH_STATUS_COLOURS = {
    BatchStatus.OPEN: "bg-blue-100 text-blue-900",
    BatchStatus.PAID: "bg-green-100 text-green-900",
    BatchStatus.REOPENED: "bg-gray-200 text-gray-900",
}


def reimbursement_page(request: Request) -> RedirectResponse | None:
    """Show the reimbursement screen to administrators."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Reimbursement")):
        if user.role != Role.ADMINISTRATOR:
            ui.label(_("Only administrators can reimburse vouchers.")).classes("text-lg").mark("reimbursement-refused")
            return None
        ReimbursementScreen(user).build()
    return None


def statement_rows(statement: Statement) -> list[dict[str, object]]:
    """Return table rows of a statement, one per library and a total row, with amounts formatted."""
    locale = current_locale()
    rows: list[dict[str, object]] = [
        {
            "library": line.library_name,
            "count": line.voucher_count,
            "fees": format_money(locale, line.handling_fees),
            "costs": format_money(locale, line.membership_costs),
            "total": format_money(locale, line.total),
        }
        for line in statement.lines
    ]
    rows.append(
        {
            "library": _("Total"),
            "count": statement.voucher_count,
            "fees": format_money(locale, statement.handling_fees),
            "costs": format_money(locale, statement.membership_costs),
            "total": format_money(locale, statement.total),
        }
    )
    return rows


def statement_columns() -> list[dict[str, str]]:
    return [
        {"name": "library", "label": _("Library"), "field": "library", "align": "left"},
        {"name": "count", "label": _("Vouchers"), "field": "count", "align": "right"},
        {"name": "fees", "label": _("Handling fees"), "field": "fees", "align": "right"},
        {"name": "costs", "label": _("Membership costs"), "field": "costs", "align": "right"},
        {"name": "total", "label": _("Total"), "field": "total", "align": "right"},
    ]


class ReimbursementScreen:
    """The filter, the preview with its confirm button, and the list of batches."""

    def __init__(self, user: SessionUser) -> None:
        self.user = user
        self.preview: ReimbursementPreview | None = None

    def build(self) -> None:
        self._build_filter()
        self.preview_area = ui.column().classes("w-full gap-3")
        ui.label(_("Batches")).classes("text-xl font-bold mt-4").props("role=heading aria-level=2")
        self.batch_area = ui.column().classes("w-full gap-3")
        self.show_batches()

    def _build_filter(self) -> None:
        first_day, last_day = default_period()
        options = {ALL_LIBRARIES: _("All libraries")}
        options.update(dict(list_libraries()))
        with ui.row().classes("w-full items-end gap-3 flex-wrap"):
            self.library = (
                ui.select(options, value=ALL_LIBRARIES, label=_("Library"))
                .props("outlined dense")
                .classes("w-64")
                .mark("reimbursement-library")
            )
            self.period_from = self._date_field(_("Redeemed from"), format_short_date("nl", first_day))
            self.period_to = self._date_field(_("Redeemed until"), format_short_date("nl", last_day))
            ui.button(_("Show vouchers"), icon="search", on_click=self._show_preview).props(
                "unelevated no-caps data-testid=reimbursement-show"
            ).mark("reimbursement-show")
        self.filter_error = (
            ui.label()
            .classes("text-red-800")
            .props("role=alert data-testid=reimbursement-error")
            .mark("reimbursement-error")
        )

    def _date_field(self, label: str, value: str) -> ui.input:
        return (
            ui.input(label, value=value, placeholder=_("dd-mm-yyyy"))
            .props("outlined dense maxlength=10")
            .classes("w-44")
        )

    async def _show_preview(self) -> None:
        self.filter_error.text = ""
        for field in (self.library, self.period_from, self.period_to):
            clear_field_error(field)
        self.preview = None
        self.preview_area.clear()
        # The field that the next step's error belongs to, or None for the alert line below the filter.
        failing_field: ui.input | ui.select | None = self.period_from
        try:
            first_day = parse_filter_date(self.period_from.value)
            failing_field = self.period_to
            last_day = parse_filter_date(self.period_to.value)
            # A missing date belongs to its own field, an end before the start to the end date.
            failing_field = self.period_from if first_day is None else self.period_to
            selection = check_filter(first_day, last_day, self.library.value or None)
            failing_field = None
            self.preview = await call_as_user(preview_reimbursement, selection=selection)
        except DomainError as error:
            text = rejection_text(error, action="reimbursement preview", user_id=self.user.id)
            if error.field == "library":
                failing_field = self.library
            if failing_field is None:
                self.filter_error.text = text
            else:
                mark_field_error(failing_field, text)
            return
        self._build_preview(self.preview)

    def _build_preview(self, preview: ReimbursementPreview) -> None:
        statement = preview.statement
        count = statement.voucher_count
        with self.preview_area:
            if preview.waiting_before:
                ui.label(
                    ngettext(
                        "{count} redeemed voucher from before this period also waits for reimbursement. "
                        "Set 'Redeemed from' earlier to include it.",
                        "{count} redeemed vouchers from before this period also wait for reimbursement. "
                        "Set 'Redeemed from' earlier to include them.",
                        preview.waiting_before,
                    )
                ).classes("w-full rounded bg-amber-100 text-amber-950 px-4 py-2").props(
                    "role=status data-testid=waiting-before"
                ).mark("waiting-before")
            if count == 0:
                ui.label(_("No redeemed vouchers wait for reimbursement in this period.")).mark("preview-empty")
                return
            ui.label(
                ngettext(
                    "{count} redeemed voucher waits for reimbursement.",
                    "{count} redeemed vouchers wait for reimbursement.",
                    count,
                )
            ).classes("text-lg").mark("preview-count")
            ui.table(columns=statement_columns(), rows=statement_rows(statement), row_key="library").classes(
                "w-full"
            ).props("flat bordered data-testid=preview-table").mark("preview-table")
            ui.button(
                ngettext("Mark {count} voucher reimbursed", "Mark {count} vouchers reimbursed", count),
                icon="paid",
                on_click=self._confirm_batch,
            ).props("unelevated no-caps size=lg data-testid=mark-reimbursed").mark("mark-reimbursed")

    async def _confirm_batch(self) -> None:
        preview = self.preview
        if preview is None:
            return
        total = format_money(current_locale(), preview.statement.total)
        question = ngettext(
            "Mark {count} voucher reimbursed as one batch, for {total} in total?",
            "Mark {count} vouchers reimbursed as one batch, for {total} in total?",
            preview.statement.voucher_count,
            total=total,
        )
        if not await confirm_dialog(_("Mark reimbursed"), question):
            return
        try:
            batch_id = await call_as_user(mark_reimbursed, preview=preview)
        except DomainError as error:
            self.filter_error.text = rejection_text(error, action="reimbursement batch", user_id=self.user.id)
            return
        self.preview = None
        self.preview_area.clear()
        ui.notify(_("Batch {number} made", number=format_batch_number(batch_id)), type="positive")
        self.show_batches()

    def show_batches(self) -> None:
        self.batch_area.clear()
        batches = list_batches(actor_id=self.user.id)
        with self.batch_area:
            if not batches:
                ui.label(_("No batches yet."))
            for batch in batches:
                BatchCard(self.user, batch, on_change=self.show_batches).build()


class BatchCard:
    """One batch with its figures and the actions its status allows."""

    def __init__(self, user: SessionUser, batch: BatchSummary, on_change: Callable[[], None]) -> None:
        self.user = user
        self.batch = batch
        self.on_change = on_change

    def build(self) -> None:
        batch = self.batch
        locale = current_locale()
        with ui.card().classes("w-full gap-1").props(f"data-testid=batch-{batch.number}").mark(f"batch-{batch.number}"):
            with ui.row().classes("items-center gap-3"):
                ui.label(_("Batch {number}", number=batch.number)).classes("text-lg font-semibold")
                ui.label(_(BATCH_STATUS_LABELS[batch.status])).classes(
                    f"rounded-full px-3 py-1 text-sm font-medium {BATCH_STATUS_COLOURS[batch.status]}"
                ).mark(f"batch-{batch.number}-status")
            library = batch.library_name or _("all libraries")
            period = _(
                "Redeemed from {first_day} through {last_day}",
                first_day=format_short_date(locale, batch.period_from),
                last_day=format_short_date(locale, batch.period_to),
            )
            ui.label(f"{period} · {library}")
            amounts = ngettext("{count} voucher", "{count} vouchers", batch.voucher_count)
            ui.label(f"{amounts} · {format_money(locale, batch.total_amount)}").classes("font-semibold")
            created = _(
                "Made on {when} by {name}",
                when=format_short_datetime(locale, batch.created_at),
                name=batch.created_by_name,
            )
            ui.label(created).classes("text-sm")
            if batch.paid_at:
                ui.label(_("Payment confirmed on {when}", when=format_short_datetime(locale, batch.paid_at))).classes(
                    "text-sm"
                )
            if batch.reopened_at:
                reopened = _("Reopened on {when}", when=format_short_datetime(locale, batch.reopened_at))
                ui.label(f"{reopened}: {batch.reopen_reason or ''}").classes("text-sm")
            self._actions()

    def _actions(self) -> None:
        batch = self.batch
        if batch.status == BatchStatus.REOPENED:
            return
        with ui.row().classes("gap-2 mt-2"):
            ui.button(_("Statement (PDF)"), icon="picture_as_pdf", on_click=lambda: self._download("pdf")).props(
                f"outline no-caps data-testid=batch-{batch.number}-pdf"
            ).mark(f"batch-{batch.number}-pdf")
            ui.button(_("Statement (CSV)"), icon="table_view", on_click=lambda: self._download("csv")).props(
                f"outline no-caps data-testid=batch-{batch.number}-csv"
            ).mark(f"batch-{batch.number}-csv")
            if batch.status == BatchStatus.OPEN:
                ui.button(_("Confirm payment"), icon="check", on_click=self._confirm_paid).props(
                    f"outline no-caps data-testid=batch-{batch.number}-paid"
                ).mark(f"batch-{batch.number}-paid")
                ui.button(_("Reopen"), icon="undo", on_click=self._reopen).props(
                    f"outline no-caps color=red-9 data-testid=batch-{batch.number}-reopen"
                ).mark(f"batch-{batch.number}-reopen")

    async def _download(self, kind: str) -> None:
        try:
            statement = await call_as_user(batch_statement, batch_id=self.batch.id)
        except DomainError as error:
            ui.notify(
                rejection_text(error, action="statement", user_id=self.user.id, batch=self.batch.id), type="negative"
            )
            return
        if kind == "pdf":
            content = await run.io_bound(statement_pdf, statement, STATEMENT_LOCALE)
            ui.download.content(content, statement_filename(statement, "pdf"), "application/pdf")
        else:
            ui.download.content(
                statement_csv(statement, STATEMENT_LOCALE), statement_filename(statement, "csv"), "text/csv"
            )

    async def _confirm_paid(self) -> None:
        question = _(
            "Confirm that batch {number} is paid? It can no longer be reopened after that.", number=self.batch.number
        )
        if not await confirm_dialog(_("Confirm payment"), question):
            return
        try:
            await call_as_user(confirm_batch_paid, batch_id=self.batch.id)
        except DomainError as error:
            ui.notify(
                rejection_text(error, action="confirm payment", user_id=self.user.id, batch=self.batch.id),
                type="negative",
            )
        else:
            ui.notify(_("Payment of batch {number} is confirmed.", number=self.batch.number), type="positive")
        self.on_change()

    async def _reopen(self) -> None:
        async def reopen(reason: str) -> None:
            await call_as_user(reopen_batch, batch_id=self.batch.id, reason=reason)

        title = _("Reopen batch {number}", number=self.batch.number)
        question = _("Why is this batch reopened? Its vouchers get the status Redeemed again and wait for a new batch.")
        if await run_with_reason(title, question, reopen):
            ui.notify(
                _("Batch reopened. Its vouchers have the status Redeemed again and wait for a new batch."),
                type="positive",
            )
            self.on_change()


async def confirm_dialog(title: str, question: str) -> bool:
    """Ask a yes/no question in a dialog; returns whether the user confirmed."""
    with (
        ui.dialog() as dialog,
        ui.card().classes("w-full max-w-lg gap-3").props("data-testid=confirm-dialog").mark("confirm-dialog"),
    ):
        ui.label(title).classes("text-xl font-bold").props("role=heading aria-level=2")
        ui.label(question)
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(_("Cancel"), on_click=lambda: dialog.submit(False)).props("flat no-caps size=lg")
            ui.button(_("Confirm"), on_click=lambda: dialog.submit(True)).props(
                "unelevated no-caps size=lg data-testid=confirm-yes"
            ).mark("confirm-yes")
    return bool(await dialog_result(dialog))
