"""Registers every page and route; main.py calls `register_pages` once per app start."""

from nicegui import ui

from ui.account_page import account_page
from ui.admin_conduct_page import admin_conduct_page
from ui.admin_invitations_page import admin_invitations_page
from ui.admin_mail_page import admin_mail_page
from ui.admin_organisations_page import admin_organisations_page
from ui.admin_page import admin_page
from ui.admin_users_page import admin_users_page
from ui.camera_scan import register_camera_files
from ui.check_page import check_page
from ui.conduct_page import conduct_page
from ui.dashboard_page import dashboard_page
from ui.error_pages import register_error_pages
from ui.help_page import register_help_routes
from ui.login_page import login_page
from ui.nicegui_texts import register_dutch_texts
from ui.operations import register_operations_routes
from ui.overview_page import overview_page
from ui.password_pages import forgot_password_page, reset_password_page
from ui.privacy_page import privacy_page
from ui.register_page import register_page
from ui.reimbursement_page import reimbursement_page
from ui.session import register_auth_routes
from ui.signup_routes import REGISTER_PATH, RESET_PATH, register_signup_routes
from ui.voucher_page import voucher_page

# Seconds the server keeps a desk page (its elements and what was typed) for a browser whose
# connection dropped, so a tablet that loses Wi-Fi for a minute comes back to the same screen.
# Other pages use the 30 s of ui.run in main.py.
DESK_RECONNECT_SECONDS = 90.0


def register_pages() -> None:
    """Add the pages to NiceGUI's router."""
    register_dutch_texts()
    register_auth_routes()
    register_error_pages()
    register_operations_routes()
    register_camera_files()
    ui.page("/login")(login_page)
    ui.page("/", reconnect_timeout=DESK_RECONNECT_SECONDS)(overview_page)
    ui.page("/check", reconnect_timeout=DESK_RECONNECT_SECONDS)(check_page)
    ui.page("/vouchers/{voucher_id}")(voucher_page)
    ui.page("/dashboard")(dashboard_page)
    ui.page("/admin/reimbursement")(reimbursement_page)
    ui.page("/admin")(admin_page)
    ui.page("/admin/organisations")(admin_organisations_page)
    ui.page("/admin/users")(admin_users_page)
    register_signup_routes()
    ui.page(REGISTER_PATH)(register_page)
    ui.page("/forgot-password")(forgot_password_page)
    ui.page(RESET_PATH)(reset_password_page)
    ui.page("/account")(account_page)
    ui.page("/admin/invitations")(admin_invitations_page)
    ui.page("/admin/mail")(admin_mail_page)
    ui.page("/admin/privacy")(privacy_page)
    ui.page("/code-of-conduct")(conduct_page)
    ui.page("/admin/code-of-conduct")(admin_conduct_page)
    register_help_routes()
