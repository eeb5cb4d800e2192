"""Beheer → Gebruikers: the user list with filters, role changes, deactivation and reactivation."""

import logging

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import OrganisationKind, Role
from services.accounts import SessionUser
from services.errors import DomainError
from services.i18n import format_short_datetime
from services.organisation_admin import list_organisations
from services.user_admin import (
    UserFilter,
    UserSummary,
    change_user_role,
    deactivate_user,
    list_users,
    reactivate_user,
)
from ui.admin_page import back_to_administration, confirm, show_field_error, show_only_to_administrators
from ui.admin_table import admin_table, table_cell, table_row, text_cell
from ui.dialogs import dialog_result
from ui.frame import page_frame
from ui.i18n import _, current_locale, error_text, rejection_text
from ui.labels import organisation_kind_label, role_label
from ui.session import call_as_user, page_user

logger = logging.getLogger(__name__)

ALL = "all"


def admin_users_page(request: Request) -> RedirectResponse | None:
    """Show the user accounts to an administrator."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Users")):
        back_to_administration()
        if show_only_to_administrators(user):
            UserAdministration(user).build()
    return None


class UserAdministration:
    def __init__(self, user: SessionUser) -> None:
        self.user = user
        # Active organisations as (id, name, kind), for the filter and the role dialog.
        self.organisations: list[tuple[int, str, OrganisationKind]] = []

    def build(self) -> None:
        try:
            summaries = list_organisations(actor_id=self.user.id)
        except DomainError as error:
            ui.label(rejection_text(error, action="user list", user_id=self.user.id)).classes("text-red-800").props(
                "role=alert"
            ).mark("user-list-error")
            return
        self.organisations = [(org.id, org.name, org.kind) for org in summaries if org.active]
        self._build_filters()
        self.list_area = ui.column().classes("w-full gap-2")
        self.show_list()

    def _build_filters(self) -> None:
        with ui.row().classes("w-full items-start gap-3").props("role=search"):
            self.search = (
                ui.input(_("Search name or e-mail"))
                .without_auto_validation()
                .props("outlined dense clearable maxlength=200")
                .classes("w-72")
                .mark("user-search")
            )
            roles = {ALL: _("All roles")} | {role.value: role_label(role) for role in Role}
            self.role = (
                ui.select(roles, value=ALL, label=_("Role"))
                .without_auto_validation()
                .props("outlined dense")
                .classes("w-48")
            )
            organisations = {ALL: _("All organisations")} | {str(id_): name for id_, name, _k in self.organisations}
            self.organisation = (
                ui.select(organisations, value=ALL, label=_("Organisation"))
                .without_auto_validation()
                .props("outlined dense")
                .classes("w-64")
                .mark("user-organisation-filter")
            )
            states = {ALL: _("Active and inactive"), "active": _("Active"), "inactive": _("Inactive")}
            self.state = (
                ui.select(states, value=ALL, label=_("Status"))
                .without_auto_validation()
                .props("outlined dense")
                .classes("w-48")
                .mark("user-state-filter")
            )
        for element in (self.search, self.role, self.organisation, self.state):
            element.on_value_change(lambda _event: self.show_list())

    def _filters(self) -> UserFilter:
        state = self.state.value
        return UserFilter(
            search=self.search.value or "",
            role=None if self.role.value == ALL else Role(self.role.value),
            organisation_id=None if self.organisation.value == ALL else int(self.organisation.value),
            active=None if state == ALL else state == "active",
        )

    def show_list(self) -> None:
        show_field_error(self.search, None)
        self.list_area.clear()
        with self.list_area:
            try:
                users = list_users(actor_id=self.user.id, filters=self._filters())
            except DomainError as error:
                text = rejection_text(error, action="user list", user_id=self.user.id)
                if error.field == "search":
                    show_field_error(self.search, text)
                else:
                    ui.label(text).classes("text-red-800").props("role=alert").mark("user-list-error")
                return
            if not users:
                ui.label(_("No users match these filters.")).mark("user-list-empty")
                return
            headers = [_("Name"), _("E-mail address"), _("Role"), _("Organisation"), _("Status"), _("Last login"), ""]
            with admin_table(headers, "user-table"):
                for account in users:
                    self._row(account)

    def _row(self, account: UserSummary) -> None:
        with table_row(f"user-row-{account.id}"):
            text_cell(account.name)
            text_cell(account.email)
            text_cell(role_label(account.role))
            text_cell(account.organisation_name)
            text_cell(_("Active") if account.active else _("Inactive"))
            text_cell(format_short_datetime(current_locale(), account.last_login_at) or _("never"))
            with table_cell(), ui.row().classes("gap-1 flex-nowrap"):
                if account.id == self.user.id:
                    # The services reject these changes to one's own account; the page does not offer them.
                    ui.label(_("This is you")).classes("text-sm italic")
                    return
                ui.button(_("Change role"), on_click=lambda: self._change_role(account)).props(
                    "flat dense no-caps"
                ).mark(f"user-role-{account.id}")
                if account.active:
                    ui.button(_("Deactivate"), on_click=lambda: self._deactivate(account)).props(
                        "flat dense no-caps color=red-9"
                    ).mark(f"user-deactivate-{account.id}")
                else:
                    ui.button(_("Reactivate"), on_click=lambda: self._reactivate(account)).props(
                        "flat dense no-caps"
                    ).mark(f"user-reactivate-{account.id}")

    async def _change_role(self, account: UserSummary) -> None:
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-xl gap-3").mark("user-role-dialog"):
            ui.label(_("Role of {name}", name=account.name)).classes("text-xl font-bold").props(
                "role=heading aria-level=2"
            )
            ui.label(
                _(
                    "Library staff belong to a library, intermediaries to an intermediary organisation, "
                    "and administrators to the fund: {fund}.",
                    fund=self.user.organisation_name,
                )
            ).classes("text-sm")
            roles = {role.value: role_label(role) for role in Role}
            role = (
                ui.select(roles, value=account.role.value, label=_("Role"))
                .without_auto_validation()
                .props("outlined")
                .classes("w-64")
                .mark("user-role-select")
            )
            organisations = {id_: f"{name} ({organisation_kind_label(kind)})" for id_, name, kind in self.organisations}
            organisation = (
                ui.select(organisations, value=account.organisation_id, label=_("Organisation"), with_input=True)
                .without_auto_validation()
                .props("outlined")
                .classes("w-full")
                .mark("user-organisation-select")
            )
            message = ui.label().classes("text-red-800").props("role=alert").mark("user-role-error")

            async def save() -> None:
                message.text = ""
                show_field_error(role, None)
                show_field_error(organisation, None)
                try:
                    await call_as_user(
                        change_user_role,
                        user_id=account.id,
                        role=role.value,
                        organisation_id=organisation.value,
                    )
                except DomainError as error:
                    logger.info("role change rejected user=%d target=%d error=%s", self.user.id, account.id, error.code)
                    text = error_text(error)
                    if error.field == "role":
                        show_field_error(role, text)
                    elif error.field == "organisation":
                        show_field_error(organisation, text)
                    else:
                        message.text = text
                    return
                dialog.submit(True)

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=lambda: dialog.submit(False)).props("flat no-caps")
                ui.button(_("Save"), on_click=save).props("unelevated no-caps").mark("user-role-save")
        saved = await dialog_result(dialog)
        if saved:
            ui.notify(_("Role of {name} changed.", name=account.name), type="positive")
            self.show_list()

    async def _deactivate(self, account: UserSummary) -> None:
        try:
            confirmed = await confirm(
                _("Deactivate {name}?", name=account.name),
                _("{name} is logged out at once and cannot log in until reactivated.", name=account.name),
                _("Deactivate"),
                lambda: call_as_user(deactivate_user, user_id=account.id),
            )
        except DomainError as error:
            ui.notify(rejection_text(error, action="user deactivation", user_id=self.user.id), type="negative")
            return
        if confirmed:
            ui.notify(_("{name} is deactivated.", name=account.name), type="positive")
            self.show_list()

    async def _reactivate(self, account: UserSummary) -> None:
        try:
            await call_as_user(reactivate_user, user_id=account.id)
        except DomainError as error:
            ui.notify(rejection_text(error, action="user reactivation", user_id=self.user.id), type="negative")
            return
        ui.notify(_("{name} is active again.", name=account.name), type="positive")
        self.show_list()
