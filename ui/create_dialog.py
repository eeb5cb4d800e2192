"""Vouchers aanmaken: how many, and optionally the holder of each."""

from nicegui import run, ui

from models import Role
from services.accounts import SessionUser
from services.errors import DomainError
from services.organisations import issuing_organisations
from services.settings import get_settings
from services.vouchers import HolderInput, issue_vouchers
from ui.i18n import _, ngettext, rejection_text


class HolderFields:
    """The three inputs for one voucher's holder."""

    def __init__(self, number: int) -> None:
        self.row = ui.row().classes("w-full items-start gap-2 flex-nowrap")
        with self.row:
            ui.label(f"{number}.").classes("pt-4 w-6")
            self.first_name = ui.input(_("First name")).props("outlined dense maxlength=100").classes("flex-1")
            self.last_name = ui.input(_("Last name")).props("outlined dense maxlength=100").classes("flex-1")
            self.birth_date = (
                ui.input(_("Date of birth"), placeholder="dd-mm-jjjj").props("outlined dense").classes("w-40")
            )

    def value(self) -> HolderInput:
        return HolderInput(self.first_name.value or "", self.last_name.value or "", self.birth_date.value or "")


async def open_create_dialog(user: SessionUser) -> list[int]:
    """Show the dialog; returns the ids of the created vouchers, or [] when cancelled."""
    maximum = get_settings().max_vouchers_per_request
    holders: list[HolderFields] = []

    with (
        ui.dialog() as dialog,
        ui.card().classes("w-full max-w-3xl gap-3").props("data-testid=create-dialog").mark("create-dialog"),
    ):
        ui.label(_("Create vouchers")).classes("text-xl font-bold").props("role=heading aria-level=2")
        ui.label(_("Every voucher should become a membership, so create only what you will hand out soon.")).classes(
            "text-sm"
        )
        organisation = None
        if user.role == Role.ADMINISTRATOR:
            choices = dict(issuing_organisations(actor_id=user.id))
            organisation = (
                ui.select(choices, value=user.organisation_id, label=_("For organisation"))
                .props("outlined data-testid=organisation-select")
                .classes("w-full max-w-md")
                .mark("organisation-select")
            )
        count = (
            # A text field keeps exactly what was typed ("2,5", "tien"), so the service can say what is wrong.
            ui.input(_("Number of vouchers"), value="1")
            .props("outlined inputmode=numeric maxlength=4 data-testid=voucher-count")
            .mark("voucher-count")
            .classes("w-48")
        )
        personalise = ui.checkbox(_("Fill in holder details now (optional)"))
        holder_area = ui.column().classes("w-full gap-1")
        message = ui.label().classes("text-red-800").props("role=alert data-testid=create-error").mark("create-error")

        def show_holders() -> None:
            typed = (count.value or "").strip()
            wanted = int(typed) if personalise.value and typed.isdigit() else 0
            wanted = max(0, min(wanted, maximum))
            while len(holders) > wanted:
                holders.pop().row.delete()
            with holder_area:
                while len(holders) < wanted:
                    holders.append(HolderFields(len(holders) + 1))

        count.on_value_change(lambda _event: show_holders())
        personalise.on_value_change(lambda _event: show_holders())

        async def submit() -> None:
            message.text = ""
            holder_values = [holder.value() for holder in holders] if personalise.value else []
            try:
                ids = await run.io_bound(
                    issue_vouchers,
                    actor_id=user.id,
                    count=count.value,
                    organisation_id=organisation.value if organisation is not None else None,
                    holders=holder_values,
                )
            except DomainError as error:
                message.text = rejection_text(error, action="voucher creation", user_id=user.id)
                return
            ui.notify(ngettext("{count} voucher created", "{count} vouchers created", len(ids)), type="positive")
            dialog.submit(ids)

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(_("Cancel"), on_click=lambda: dialog.submit([])).props("flat no-caps size=lg")
            ui.button(_("Create"), on_click=submit).props("unelevated no-caps size=lg data-testid=create-submit").mark(
                "create-submit"
            )

    result = await dialog
    if not dialog.is_deleted:  # the tab may have closed while the dialog was open
        dialog.delete()
    return result or []
