"""The chrome every logged-in page shares: header, navigation, user menu and demo banner."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from nicegui import ui

from services.accounts import SessionUser
from services.settings import get_settings
from ui.help_menu import help_menu
from ui.i18n import _, current_locale
from ui.labels import role_label
from ui.navigation import main_navigation
from ui.page_language import apply_page_language
from ui.touch import add_touch_styles

HEADER_COLOUR = "#1d4f91"
# Each language is named in itself, so a user who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
# A focus ring on every element focused by keyboard. Quasar removes the browser's outline and
# marks focus only with a faint background, too faint to find. The ring is the header blue
# (8.1:1 against white) and white inside the blue header (8.1:1). A text field keeps Quasar's
# thick border as its ring, so its inner input gets none.
# Quasar's `.no-outline` is `!important` in a cascade layer, and among `!important` rules the
# first layer wins. NiceGUI's page declares `theme` first, so the ring goes into that layer.
FOCUS_RING_CSS = f"""
@layer theme {{
  :focus-visible {{ outline: 3px solid {HEADER_COLOUR} !important; outline-offset: 2px !important; }}
  .q-header :focus-visible {{ outline-color: #ffffff !important; }}
  .q-field__native:focus-visible, .q-field__input:focus-visible {{ outline: none !important; }}
}}
"""


def apply_theme() -> None:
    """Use the programme's dark blue as primary colour: white text on it has a contrast above 4.5:1.

    Also sets the page's language for Quasar and `<html lang>`, because every page calls this.
    """
    apply_page_language()
    ui.colors(primary=HEADER_COLOUR)
    ui.query("body").classes("bg-slate-50")
    ui.add_css(FOCUS_RING_CSS)
    # Quasar's loading bar is a progressbar while a request runs, and a progressbar needs a name.
    loading_label = json.dumps(_("Loading"))
    ui.add_body_html(
        f"<script>window.addEventListener('load', () => "
        f"Quasar.LoadingBar.setDefaults({{'aria-label': {loading_label}}}))</script>"
    )
    add_touch_styles()


def demo_banner() -> None:
    """Show the demo banner when the app runs on demo data."""
    if get_settings().demo:
        with (
            ui.element("div")
            .classes("w-full bg-amber-300 text-black text-center py-1 text-sm font-semibold")
            .props("role=status data-testid=demo-banner")
            .mark("demo-banner")
        ):
            ui.label(_("Demo: test data only; do not enter real personal data."))


def language_switch() -> None:
    """Offer the other language; the route stores the choice in a cookie of this browser and,
    for a logged-in user, in their account."""
    other = "en" if current_locale() == "nl" else "nl"
    request = ui.context.client.request
    current_path = "/"
    if request is not None:
        current_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")

    def switch() -> None:
        ui.navigate.to(f"/language/{other}?next={quote(current_path, safe='')}")

    ui.button(LANGUAGE_NAMES[other], on_click=switch).props(f"flat dense no-caps color=white lang={other}").classes(
        "text-sm"
    )


@contextmanager
def page_frame(user: SessionUser, title: str) -> Iterator[None]:
    """Lay out a logged-in page around the content built inside the `with` block."""
    ui.page_title(f"{title} · biebvoucher")
    apply_theme()
    with ui.header().classes("items-center justify-between px-4 py-2 no-wrap").style(f"background:{HEADER_COLOUR}"):
        with ui.row().classes("items-center gap-4 no-wrap"):
            ui.link("biebvoucher", "/").classes("text-white text-xl font-bold no-underline")
            main_navigation(user)
        with ui.row().classes("items-center gap-2 no-wrap"):
            language_switch()
            help_menu(user)
            account_button = ui.button(icon="account_circle").props("flat round color=white data-testid=account-menu")
            account_button.props["aria-label"] = _("Account")
            with account_button:
                with ui.menu():
                    with ui.column().classes("p-3 gap-0"):
                        ui.label(user.name).classes("font-semibold")
                        ui.label(f"{role_label(user.role)} · {user.organisation_name}").classes("text-sm")
                    ui.separator()
                    ui.menu_item(_("Account"), on_click=lambda: ui.navigate.to("/account")).props("role=menuitem").mark(
                        "menu-account"
                    )
                    if user.role == "administrator":
                        ui.menu_item(_("Invitations"), on_click=lambda: ui.navigate.to("/admin/invitations")).props(
                            "role=menuitem"
                        )
                        ui.menu_item(_("Undelivered e-mail"), on_click=lambda: ui.navigate.to("/admin/mail")).props(
                            "role=menuitem"
                        )
                    ui.menu_item(_("Log out"), on_click=lambda: ui.navigate.to("/logout")).props("role=menuitem")
    demo_banner()
    with ui.column().classes("w-full max-w-6xl mx-auto p-4 gap-4"):
        ui.label(title).classes("text-2xl font-bold").props("role=heading aria-level=1")
        yield
