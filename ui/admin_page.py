"""Beheer: the administrators' landing page, and helpers the administration pages share."""

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from models import Role
from services.accounts import SessionUser
from services.i18n import N_
from ui.dialogs import dialog_result
from ui.frame import page_frame
from ui.i18n import _
from ui.session import page_user

# Path, title and description of each administration section. Other features add the pages
# behind invitations, undelivered e-mail, code of conduct, reimbursement and privacy.
ADMIN_SECTIONS = (
    ("/admin/organisations", N_("Organisations"), N_("Create, rename, deactivate and reactivate organisations.")),
    ("/admin/users", N_("Users"), N_("Change roles and organisations, deactivate and reactivate accounts.")),
    ("/admin/invitations", N_("Invitations"), N_("Invite new users and see the open invitations.")),
    ("/admin/mail", N_("Undelivered e-mail"), N_("E-mails that could not be delivered.")),
    ("/admin/code-of-conduct", N_("Code of conduct"), N_("Publish a new version and see who accepted it.")),
    ("/admin/reimbursement", N_("Reimbursement"), N_("Mark redeemed vouchers as reimbursed and produce statements.")),
    ("/admin/privacy", N_("Privacy"), N_("Retention, export and erasure of resident data.")),
)


def admin_page(request: Request) -> RedirectResponse | None:
    """Show the links to every administration section."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Administration")):
        if not show_only_to_administrators(user):
            return None
        sections = ui.element("nav").classes("w-full grid gap-3 sm:grid-cols-2")
        sections.props["aria-label"] = _("Administration")
        with sections:
            for path, title, description in ADMIN_SECTIONS:
                with ui.link(target=path).classes("no-underline text-inherit").mark(f"admin-link-{path}"):
                    with ui.card().classes("w-full h-full gap-1 hover:bg-blue-50"):
                        ui.label(_(title)).classes("text-lg font-semibold text-blue-900 underline")
                        ui.label(_(description)).classes("text-sm")
    return None


def show_only_to_administrators(user: SessionUser) -> bool:
    """Return whether the user is an administrator; otherwise show why the page stays empty.

    This only hides the page. The services check the role again on every call.
    """
    if user.role == Role.ADMINISTRATOR:
        return True
    ui.label(_("Only administrators can use this page.")).classes("text-lg").props("role=alert").mark("admin-only")
    return False


def back_to_administration() -> None:
    """Show a link back to the administration landing page."""
    ui.link(_("Back to administration"), "/admin").classes("text-blue-900")


async def confirm(title: str, text: str, button: str, action: Callable[[], Awaitable[object]]) -> bool:
    """Ask for confirmation and run `action`; returns whether it ran. Errors from `action` propagate."""
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg gap-3").mark("confirm-dialog"):
        ui.label(title).classes("text-xl font-bold").props("role=heading aria-level=2")
        ui.label(text)
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(_("Cancel"), on_click=lambda: dialog.submit(False)).props("flat no-caps")
            ui.button(button, on_click=lambda: dialog.submit(True)).props(
                "unelevated no-caps color=red-9 data-testid=confirm-button"
            ).mark("confirm-button")
    confirmed = bool(await dialog_result(dialog))
    if confirmed:
        await action()
    return confirmed


def show_field_error(element: ValidationElement, message: str | None) -> None:
    """Mark an input as wrong with `message` below it, or clear the mark with None.

    The input needs `without_auto_validation()`, or NiceGUI clears the mark at the next keystroke.
    """
    element.error = message
