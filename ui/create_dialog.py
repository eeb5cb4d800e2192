"""Vouchers aanmaken: how many, for which organisation, and optionally the holder of each."""

from nicegui import ui

from models import Role
from services.accounts import SessionUser
from services.errors import DomainError
from services.organisations import issuing_organisations
from services.settings import get_settings
from services.vouchers import HolderInput, issue_vouchers
from ui.date_field import birth_date_field
from ui.dialogs import dialog_result
from ui.field_errors import clear_field_error, mark_field_error
from ui.i18n import _, ngettext, rejection_text
from ui.session import call_as_user

FIELD_MARKERS = {"first_name": "holder-first-name", "last_name": "holder-last-name", "birth_date": "holder-birth-date"}


class HolderFields:
    """The three inputs for one voucher's holder."""

    def __init__(self, number: int) -> None:
        self.row = ui.row().classes("w-full items-start gap-2 flex-nowrap")
        with self.row:
            ui.label(f"{number}.").classes("pt-4 w-6")
            self.inputs = {
                "first_name": ui.input(_("First name")).props("outlined dense maxlength=100").classes("flex-1"),
                "last_name": ui.input(_("Last name")).props("outlined dense maxlength=100").classes("flex-1"),
                "birth_date": birth_date_field(
                    _("Date of birth"), marker=FIELD_MARKERS["birth_date"], dense=True
                ).classes("w-48"),
            }
        for field, element in self.inputs.items():
            element.mark(FIELD_MARKERS[field])

    def value(self) -> HolderInput:
        first_name, last_name, birth_date = (element.value or "" for element in self.inputs.values())
        return HolderInput(first_name, last_name, birth_date)

    def show_error(self, field: str | None, message: str) -> bool:
        """Show `message` below the holder field named `field`; returns False when the row has no such field."""
        element = self.inputs.get(field or "")
        if element is None:
            return False
        mark_field_error(element, message)
        return True

    def clear_errors(self) -> None:
        for element in self.inputs.values():
            clear_field_error(element)


class CreateVouchersDialog:
    """The dialog's fields; holder rows stay (hidden) when the count goes down, so nothing typed is lost."""

    def __init__(self, user: SessionUser) -> None:
        self.user = user
        self.maximum = get_settings().max_vouchers_per_request
        self.holders: list[HolderFields] = []
        self.organisation: ui.select | None = None

    def build(self) -> ui.dialog:
        with (
            ui.dialog() as self.dialog,
            ui.card().classes("w-full max-w-3xl gap-3").props("data-testid=create-dialog").mark("create-dialog"),
        ):
            ui.label(_("Create vouchers")).classes("text-xl font-bold").props("role=heading aria-level=2")
            ui.label(
                _("Every voucher should become a membership, so create only what you will hand out soon.")
            ).classes("text-sm")
            if self.user.role == Role.ADMINISTRATOR:
                self.organisation = (
                    ui.select(dict(issuing_organisations(actor_id=self.user.id)), label=_("For organisation"))
                    .props("outlined data-testid=organisation-select")
                    .classes("w-full max-w-md")
                    .mark("organisation-select")
                )
            # A text field keeps exactly what was typed ("2,5", "50"), so the service can name the problem.
            self.count = (
                ui.input(_("Number of vouchers"), value="1")
                .props("outlined inputmode=numeric maxlength=4 data-testid=voucher-count")
                .mark("voucher-count")
                .classes("w-48")
            )
            self.personalise = ui.checkbox(_("Fill in holder details now (optional)"))
            self.holder_area = ui.column().classes("w-full gap-1")
            self.message = (
                ui.label().classes("text-red-800").props("role=alert data-testid=create-error").mark("create-error")
            )
            self.count.on_value_change(lambda _event: self._show_holders())
            self.personalise.on_value_change(lambda _event: self._show_holders())
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=lambda: self.dialog.submit([])).props("flat no-caps size=lg")
                ui.button(_("Create"), on_click=self._submit).props(
                    "unelevated no-caps size=lg data-testid=create-submit"
                ).mark("create-submit")
        return self.dialog

    def _visible_row_count(self) -> int:
        typed = (self.count.value or "").strip()
        if not self.personalise.value or not typed.isdigit():
            return 0
        return min(int(typed), self.maximum)

    def _show_holders(self) -> None:
        visible_count = self._visible_row_count()
        with self.holder_area:
            while len(self.holders) < visible_count:
                self.holders.append(HolderFields(len(self.holders) + 1))
        for index, holder in enumerate(self.holders):
            holder.row.set_visibility(index < visible_count)

    async def _submit(self) -> None:
        self.message.text = ""
        clear_field_error(self.count)
        if self.organisation is not None:
            clear_field_error(self.organisation)
        for holder in self.holders:
            holder.clear_errors()
        holder_values = [holder.value() for holder in self.holders[: self._visible_row_count()]]
        try:
            ids = await call_as_user(
                issue_vouchers,
                count=self.count.value,
                organisation_id=self.organisation.value if self.organisation is not None else None,
                holders=holder_values,
            )
        except DomainError as error:
            self._show_error(error)
            return
        if ids is None:  # run.io_bound returns None when the server is shutting down
            return
        ui.notify(ngettext("{count} voucher created", "{count} vouchers created", len(ids)), type="positive")
        self.dialog.submit(ids)

    def _show_error(self, error: DomainError) -> None:
        """Show the error once, below the field it names, or in the dialog's alert line when no field fits."""
        text = rejection_text(error, action="voucher creation", user_id=self.user.id)
        if error.row is not None and error.row <= len(self.holders):
            if not self.holders[error.row - 1].show_error(error.field, text):
                self.message.text = _("Voucher {row}: {message}", row=error.row, message=text)
            return
        fields: dict[str, ui.input | ui.select | None] = {"count": self.count, "organisation": self.organisation}
        element = fields.get(error.field or "")
        if element is None:
            self.message.text = text
            return
        mark_field_error(element, text)


async def open_create_dialog(user: SessionUser) -> list[int]:
    """Show the dialog; returns the ids of the created vouchers, or [] when cancelled."""
    dialog = CreateVouchersDialog(user).build()
    result = await dialog_result(dialog)
    return result or []
