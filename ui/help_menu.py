"""The header's help button: the manual page of the user's role and the manual's first page."""

from nicegui import ui

from models import Role
from services.accounts import SessionUser
from ui.i18n import _

HELP_PATH = "/help"
# The manual's page per role, as docs/handleiding/<name>.md and /help/<name>.
ROLE_PAGES = {
    Role.INTERMEDIARY: "intermediair",
    Role.LIBRARY_STAFF: "bibliotheekmedewerker",
    Role.ADMINISTRATOR: "beheerder",
}


def help_path_for(role: Role | str) -> str:
    """Return the address of the manual page for `role`."""
    return f"{HELP_PATH}/{ROLE_PAGES[Role(role)]}"


def help_menu(user: SessionUser) -> None:
    """Add the help button whose menu opens the manual for the user's role or the manual's first page."""
    button = ui.button(icon="help_outline").props("flat round color=white data-testid=help-button").mark("help-button")
    button.props["aria-label"] = _("Help")
    with button, ui.menu():
        ui.menu_item(_("Manual"), on_click=lambda: ui.navigate.to(help_path_for(user.role))).props(
            "data-testid=help-manual"
        ).mark("help-manual")
        ui.menu_item(_("Manual: for everyone"), on_click=lambda: ui.navigate.to(HELP_PATH)).props(
            "data-testid=help-general"
        ).mark("help-general")


def public_help_link() -> None:
    """Add a link to the manual's first page, for pages seen before logging in."""
    ui.link(_("Manual"), HELP_PATH).classes("text-white text-sm no-underline hover:underline").props(
        "data-testid=help-link"
    ).mark("help-link")
