"""Registers every page and route; main.py calls `register_pages` once per app start."""

from nicegui import ui

from ui.admin_conduct_page import admin_conduct_page
from ui.check_page import check_page
from ui.conduct_page import conduct_page
from ui.login_page import login_page
from ui.nicegui_texts import register_dutch_texts
from ui.overview_page import overview_page
from ui.session import register_auth_routes
from ui.voucher_page import voucher_page


def register_pages() -> None:
    """Add the pages to NiceGUI's router."""
    register_dutch_texts()
    register_auth_routes()
    ui.page("/login")(login_page)
    ui.page("/")(overview_page)
    ui.page("/check")(check_page)
    ui.page("/vouchers/{voucher_id}")(voucher_page)
    ui.page("/code-of-conduct")(conduct_page)
    ui.page("/admin/code-of-conduct")(admin_conduct_page)
