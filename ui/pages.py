"""Registers every page and route; main.py calls `register_pages` once per app start."""

from nicegui import ui

from ui.check_page import check_page
from ui.login_page import login_page
from ui.nicegui_texts import register_dutch_texts
from ui.operations import register_operations_routes
from ui.overview_page import overview_page
from ui.session import register_auth_routes
from ui.voucher_page import voucher_page

# Seconds the server keeps a desk page (its elements and what was typed) for a browser whose
# connection dropped, so a tablet that loses Wi-Fi for a minute comes back to the same screen.
# Other pages use the 30 s of ui.run in main.py.
DESK_RECONNECT_SECONDS = 90.0


def register_pages() -> None:
    """Add the pages to NiceGUI's router."""
    register_dutch_texts()
    register_auth_routes()
    register_operations_routes()
    ui.page("/login")(login_page)
    ui.page("/", reconnect_timeout=DESK_RECONNECT_SECONDS)(overview_page)
    ui.page("/check", reconnect_timeout=DESK_RECONNECT_SECONDS)(check_page)
    ui.page("/vouchers/{voucher_id}")(voucher_page)
