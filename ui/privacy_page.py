"""Privacy (administrators): find one resident's vouchers, export their data, erase it on request."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role
from services.accounts import SessionUser
from services.codes import format_code
from services.errors import DomainError, NoVouchersSelected
from services.i18n import format_short_date, format_short_datetime
from services.privacy import ExportFormat, erase_resident_data, export_resident_data, find_resident_vouchers
from services.retention import last_retention_run
from services.settings import get_settings
from services.voucher_views import VoucherView
from ui.date_field import birth_date_field
from ui.field_errors import clear_field_error, mark_field_error
from ui.frame import page_frame
from ui.i18n import _, current_locale, error_text, ngettext, rejection_text
from ui.labels import STATUS_COLOURS, status_label
from ui.reason_dialog import run_with_reason
from ui.session import call_as_user, page_user
from ui.table_selection import name_selection_checkboxes

STATUS_SLOT = """
<q-td :props="props">
  <span :class="'inline-block rounded-full px-3 py-1 text-sm font-medium ' + props.row.status_classes"
        >{{ props.row.status_label }}</span>
</q-td>
"""


def privacy_page(request: Request) -> RedirectResponse | None:
    """Show the resident data page to administrators."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Privacy: resident data")):
        if user.role != Role.ADMINISTRATOR:
            ui.label(_("Only administrators can find, export or erase a resident's personal data.")).classes(
                "text-lg"
            ).props("data-testid=privacy-denied").mark("privacy-denied")
            return None
        ResidentDataScreen(user).build()
    return None


class ResidentDataScreen:
    """The search form, the matching vouchers and the export and erase buttons."""

    def __init__(self, user: SessionUser) -> None:
        self.user = user

    def build(self) -> None:
        self._retention_note()
        with ui.row().classes("w-full items-start gap-3"):
            self.name = (
                ui.input(_("Name of the resident"))
                .props("outlined maxlength=100 data-testid=resident-name")
                .classes("w-80")
                .mark("resident-name")
            )
            self.birth_date = birth_date_field(_("Date of birth (optional)"), marker="resident-birth-date").classes(
                "w-72"
            )
            ui.button(_("Search"), icon="search", on_click=self.search).props(
                "unelevated no-caps size=lg data-testid=resident-search"
            ).mark("resident-search")
        self.name.on("keydown.enter", self.search)
        self.message = (
            ui.label().classes("text-red-800").props("role=alert data-testid=privacy-error").mark("privacy-error")
        )
        # Until the first search the summary explains what to do, and the empty table stays hidden.
        self.summary = (
            ui.label(_("Type the resident's name and search. Their vouchers are listed here."))
            .classes("text-base")
            .props("data-testid=resident-summary")
            .mark("resident-summary")
        )
        self._build_table()
        self.table.set_visibility(False)
        with ui.row().classes("gap-2"):
            self.selection_buttons = [
                ui.button(_("Export as JSON"), icon="download", on_click=lambda: self.export("json"))
                .props("outline no-caps size=lg data-testid=export-json")
                .mark("export-json"),
                ui.button(_("Export as CSV"), icon="download", on_click=lambda: self.export("csv"))
                .props("outline no-caps size=lg data-testid=export-csv")
                .mark("export-csv"),
                ui.button(_("Erase personal data"), icon="delete_forever", on_click=self.erase)
                .props("outline no-caps size=lg color=red-9 data-testid=erase-button")
                .mark("erase-button"),
            ]
        self.table.on_select(self._enable_selection_buttons)
        self._enable_selection_buttons()

    def _enable_selection_buttons(self) -> None:
        # Export and erase work on the ticked vouchers, so they wait for a selection.
        for button in self.selection_buttons:
            button.set_enabled(bool(self.table.selected))

    def _retention_note(self) -> None:
        days = get_settings().retention_days
        ui.label(
            _(
                "Names, dates of birth and library card numbers are removed automatically {days} days after a "
                "voucher is reimbursed, withdrawn or expired.",
                days=days,
            )
        ).classes("text-base")
        last_run = last_retention_run()
        if last_run is not None:
            ran_at, removed = last_run
            ui.label(
                _(
                    "Last run: {when}, personal data removed from {count} vouchers.",
                    when=format_short_datetime(current_locale(), ran_at),
                    count=removed,
                )
            ).classes("text-sm").mark("retention-last-run")

    def _build_table(self) -> None:
        columns = [
            {"name": key, "label": label, "field": key, "align": "left"}
            for key, label in (
                ("code", _("Code")),
                ("holder", _("Holder")),
                ("birth_date", _("Date of birth")),
                ("organisation", _("Issued by")),
                ("created_at", _("Created")),
                ("status", _("Status")),
            )
        ]
        self.table = (
            ui.table(columns=columns, rows=[], row_key="id", selection="multiple")
            .classes("w-full")
            .props("flat bordered hide-selected-banner data-testid=resident-table")
            .mark("resident-table")
        )
        self.table.props["no-data-label"] = _("No vouchers found")
        self.table.add_slot("body-cell-status", STATUS_SLOT)
        name_selection_checkboxes(self.table, row_name_field="code")

    async def search(self) -> None:
        self.message.text = ""
        fields = {"name": self.name, "birth_date": self.birth_date}
        for field in fields.values():
            clear_field_error(field)
        try:
            found = await call_as_user(
                find_resident_vouchers,
                name=self.name.value or "",
                birth_date=self.birth_date.value or "",
            )
        except DomainError as error:
            text = rejection_text(error, action="resident search", user_id=self.user.id)
            # Shown once: below the field the error names, else in the alert line under the form.
            element = fields.get(error.field or "")
            if element is None:
                self.message.text = text
            else:
                mark_field_error(element, text)
            return
        if found is None:
            return
        self.table.rows = [self._row(view) for view in found.vouchers]
        self.table.selected[:] = []
        self.table.set_visibility(True)
        self.table.update()
        self._enable_selection_buttons()
        self.summary.text = ngettext("{count} voucher found.", "{count} vouchers found.", len(found.vouchers))
        if found.truncated:
            self.summary.text += " " + _("There are more; add the date of birth or more of the name.")

    def _row(self, view: VoucherView) -> dict:
        locale = current_locale()
        return {
            "id": view.id,
            "code": format_code(view.code),
            "holder": view.holder_name,
            "birth_date": format_short_date(locale, view.holder_birth_date),
            "organisation": view.organisation_name,
            "created_at": format_short_date(locale, view.created_at),
            "status_label": status_label(view.status),
            "status_classes": STATUS_COLOURS[view.status],
        }

    def _selected_ids(self) -> list[int]:
        return [row["id"] for row in self.table.selected]

    async def export(self, export_format: ExportFormat) -> None:
        self.message.text = ""
        try:
            exported = await call_as_user(
                export_resident_data,
                voucher_ids=self._selected_ids(),
                export_format=export_format,
                locale=current_locale(),
            )
        except DomainError as error:
            self.message.text = rejection_text(error, action="resident export", user_id=self.user.id)
            return
        if exported is not None:
            ui.download.content(exported.content, exported.filename, exported.media_type)

    async def erase(self) -> None:
        self.message.text = ""
        voucher_ids = self._selected_ids()
        if not voucher_ids:
            # Checked before the reason dialog opens, so no reason is typed for an empty selection.
            self.message.text = error_text(NoVouchersSelected())
            return
        erased: list[int] = []

        async def erase_with(reason: str) -> None:
            count = await call_as_user(erase_resident_data, voucher_ids=voucher_ids, reason=reason)
            erased.append(count or 0)

        title = ngettext(
            "Erase the personal data of {count} voucher",
            "Erase the personal data of {count} vouchers",
            len(voucher_ids),
        )
        prompt = _("Why is this erased? Do not type the resident's name; the reason is kept in the history.")
        if await run_with_reason(title, prompt, erase_with):
            ui.notify(
                ngettext(
                    "Personal data removed from {count} voucher.",
                    "Personal data removed from {count} vouchers.",
                    erased[0],
                ),
                type="positive",
            )
            await self.search()
