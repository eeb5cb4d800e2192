"""Beheer → Organisaties: the list of organisations, a form to add one, and their changes."""

import logging

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from models import OrganisationKind
from services.accounts import SessionUser
from services.errors import DomainError
from services.organisation_admin import (
    OrganisationSummary,
    change_organisation,
    create_organisation,
    deactivate_organisation,
    list_organisations,
    reactivate_organisation,
)
from services.settings import get_settings
from ui.admin_page import back_to_administration, confirm, show_field_error, show_only_to_administrators
from ui.admin_table import admin_table, table_cell, table_row, text_cell
from ui.dialogs import dialog_result
from ui.frame import page_frame
from ui.i18n import _, error_text, ngettext, rejection_text
from ui.labels import organisation_kind_label
from ui.session import call_as_user, page_user

logger = logging.getLogger(__name__)


def admin_organisations_page(request: Request) -> RedirectResponse | None:
    """Show the organisations to an administrator."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Organisations")):
        back_to_administration()
        if show_only_to_administrators(user):
            OrganisationAdministration(user).build()
    return None


class OrganisationFields:
    """Name and maximum of open vouchers, as in the add form and the change dialog."""

    def __init__(self, marker: str, name: str = "", limit: int | None = None) -> None:
        default = get_settings().max_open_vouchers_per_organisation
        self.name = (
            ui.input(_("Name"), value=name)
            .without_auto_validation()
            .props("outlined maxlength=200")
            .classes("w-80")
            .mark(f"{marker}-name")
        )
        self.limit = (
            ui.input(_("Maximum open vouchers"), value="" if limit is None else str(limit))
            .without_auto_validation()
            .props("outlined inputmode=numeric maxlength=6")
            .classes("w-56")
            .mark(f"{marker}-limit")
        )
        self.limit.props["hint"] = _("Empty: the standard maximum of {default}.", default=default)

    def show_error(
        self, error: DomainError, message: ui.label, extra_fields: dict[str, ValidationElement] | None = None
    ) -> None:
        """Show the error once: below the field it names, or in `message` when it names none of them."""
        text = error_text(error)
        fields = {"name": self.name, "max_open_vouchers": self.limit, **(extra_fields or {})}
        for field, element in fields.items():
            show_field_error(element, text if field == error.field else None)
        message.text = "" if error.field in fields else text

    def clear_errors(self, message: ui.label) -> None:
        show_field_error(self.name, None)
        show_field_error(self.limit, None)
        message.text = ""


class OrganisationAdministration:
    def __init__(self, user: SessionUser) -> None:
        self.user = user

    def build(self) -> None:
        self._build_add_form()
        self.list_area = ui.column().classes("w-full gap-2")
        self.show_list()

    def _build_add_form(self) -> None:
        with ui.card().classes("w-full gap-2").mark("org-add-form"):
            ui.label(_("Add organisation")).classes("text-lg font-semibold").props("role=heading aria-level=2")
            with ui.row().classes("items-start gap-3"):
                self.fields = OrganisationFields("org")
                kinds = {kind.value: organisation_kind_label(kind) for kind in OrganisationKind}
                self.kind = (
                    ui.select(kinds, label=_("Kind"))
                    .without_auto_validation()
                    .props("outlined")
                    .classes("w-64")
                    .mark("org-kind")
                )
                ui.button(_("Add"), on_click=self._add).props("unelevated no-caps size=lg").classes("mt-1").mark(
                    "org-add"
                )
            self.add_message = ui.label().classes("text-red-800").props("role=alert").mark("org-add-error")

    def show_list(self) -> None:
        self.list_area.clear()
        with self.list_area:
            try:
                organisations = list_organisations(actor_id=self.user.id)
            except DomainError as error:
                ui.label(rejection_text(error, action="organisation list", user_id=self.user.id)).classes(
                    "text-red-800"
                ).props("role=alert").mark("org-list-error")
                return
            default = get_settings().max_open_vouchers_per_organisation
            headers = [_("Name"), _("Kind"), _("Status"), _("Active users"), _("Open vouchers"), _("Maximum"), ""]
            with admin_table(headers, "org-table"):
                for organisation in organisations:
                    self._row(organisation, default)

    def _row(self, organisation: OrganisationSummary, default: int) -> None:
        limit = organisation.max_open_vouchers
        with table_row(f"org-row-{organisation.id}"):
            text_cell(organisation.name)
            text_cell(organisation_kind_label(organisation.kind))
            text_cell(_("Active") if organisation.active else _("Inactive"))
            text_cell(str(organisation.active_users))
            text_cell(str(organisation.open_vouchers))
            text_cell(_("standard ({default})", default=default) if limit is None else str(limit))
            with table_cell(), ui.row().classes("gap-1 flex-nowrap"):
                ui.button(_("Edit"), on_click=lambda: self._change(organisation)).props("flat dense no-caps").mark(
                    f"org-change-{organisation.id}"
                )
                if organisation.active:
                    ui.button(_("Deactivate"), on_click=lambda: self._deactivate(organisation)).props(
                        "flat dense no-caps color=red-9"
                    ).mark(f"org-deactivate-{organisation.id}")
                else:
                    ui.button(_("Reactivate"), on_click=lambda: self._reactivate(organisation)).props(
                        "flat dense no-caps"
                    ).mark(f"org-reactivate-{organisation.id}")

    async def _add(self) -> None:
        self.fields.clear_errors(self.add_message)
        show_field_error(self.kind, None)
        try:
            await call_as_user(
                create_organisation,
                name=self.fields.name.value,
                kind=self.kind.value,
                max_open_vouchers=self.fields.limit.value,
            )
        except DomainError as error:
            logger.info("organisation creation rejected user=%d error=%s", self.user.id, error.code)
            self.fields.show_error(error, self.add_message, {"kind": self.kind})
            return
        ui.notify(_("Organisation {name} added.", name=" ".join(self.fields.name.value.split())), type="positive")
        self.fields.name.value = ""
        self.fields.limit.value = ""
        self.kind.value = None
        self.show_list()

    async def _change(self, organisation: OrganisationSummary) -> None:
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-xl gap-3").mark("org-change-dialog"):
            ui.label(_("Change {name}", name=organisation.name)).classes("text-xl font-bold").props(
                "role=heading aria-level=2"
            )
            fields = OrganisationFields("org-change", organisation.name, organisation.max_open_vouchers)
            message = ui.label().classes("text-red-800").props("role=alert").mark("org-change-error")

            async def save() -> None:
                fields.clear_errors(message)
                try:
                    await call_as_user(
                        change_organisation,
                        organisation_id=organisation.id,
                        name=fields.name.value,
                        max_open_vouchers=fields.limit.value,
                    )
                except DomainError as error:
                    logger.info(
                        "organisation change rejected user=%d organisation=%d error=%s",
                        self.user.id,
                        organisation.id,
                        error.code,
                    )
                    fields.show_error(error, message)
                    return
                dialog.submit(True)

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=lambda: dialog.submit(False)).props("flat no-caps")
                ui.button(_("Save"), on_click=save).props("unelevated no-caps").mark("org-change-save")
        saved = await dialog_result(dialog)
        if saved:
            ui.notify(_("Changes saved."), type="positive")
            self.show_list()

    async def _deactivate(self, organisation: OrganisationSummary) -> None:
        try:
            confirmed = await confirm(
                _("Deactivate {name}?", name=organisation.name),
                _deactivation_consequences(organisation.active_users),
                _("Deactivate"),
                lambda: call_as_user(deactivate_organisation, organisation_id=organisation.id),
            )
        except DomainError as error:
            ui.notify(rejection_text(error, action="organisation deactivation", user_id=self.user.id), type="negative")
            return
        if confirmed:
            ui.notify(_("{name} is deactivated.", name=organisation.name), type="positive")
            self.show_list()

    async def _reactivate(self, organisation: OrganisationSummary) -> None:
        try:
            await call_as_user(reactivate_organisation, organisation_id=organisation.id)
        except DomainError as error:
            ui.notify(rejection_text(error, action="organisation reactivation", user_id=self.user.id), type="negative")
            return
        ui.notify(_("{name} is active again.", name=organisation.name), type="positive")
        self.show_list()


def _deactivation_consequences(active_users: int) -> str:
    if active_users == 0:
        return _("It has no active users, so nobody is logged out. Its vouchers stay as they are.")
    return ngettext(
        "Its {count} active user is logged out and cannot log in until the organisation is reactivated. "
        "Its vouchers stay as they are.",
        "Its {count} active users are logged out and cannot log in until the organisation is reactivated. "
        "Its vouchers stay as they are.",
        active_users,
    )
