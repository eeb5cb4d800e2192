"""Inloggen: e-mail address and password, then the hand-off that starts the session."""

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from services.accounts import safe_redirect_target, start_login
from services.errors import DomainError
from ui.frame import HEADER_COLOUR, apply_theme, demo_banner, language_switch
from ui.i18n import _, error_text
from ui.session import current_user
from ui.signup_routes import login_notice


def login_page(
    request: Request, redirect_to: str = "/", expired: str = "", notice: str = ""
) -> RedirectResponse | None:
    """Show the login form; a logged-in user goes straight on."""
    target = safe_redirect_target(redirect_to)
    if current_user(request) is not None:
        return RedirectResponse(target, status_code=303)

    title = _("Log in")
    ui.page_title(f"{title} · biebvoucher")
    apply_theme()
    with ui.header().classes("items-center justify-between px-4 py-2").style(f"background:{HEADER_COLOUR}"):
        ui.label("biebvoucher").classes("text-white text-xl font-bold")
        language_switch()
    demo_banner()
    with ui.card().classes("w-full max-w-md mx-auto mt-10 p-6 gap-4"):
        ui.label(_("Log in")).classes("text-2xl font-bold").props("role=heading aria-level=1")
        ui.label(_("Free library membership for Limburg residents on a low income")).classes("text-sm")
        if expired:
            ui.label(_("Your login took too long. Please log in again.")).classes("text-red-800")
        notice_text = login_notice(notice)
        if notice_text:
            ui.label(notice_text).classes("text-green-900").props("role=status data-testid=login-notice")
        email = (
            ui.input(_("E-mail address"))
            .props("type=email autocomplete=username autofocus outlined")
            .mark("login-email")
            .classes("w-full")
        )
        password = (
            ui.input(_("Password"), password=True, password_toggle_button=True)
            .props("autocomplete=current-password outlined")
            .classes("w-full")
        )
        message = ui.label().classes("text-red-800").props("role=alert data-testid=login-error").mark("login-error")

        async def submit() -> None:
            message.text = ""
            try:
                handoff = await run.io_bound(
                    start_login, email=email.value or "", password=password.value or "", redirect_to=target
                )
            except DomainError as error:
                message.text = error_text(error)
                password.value = ""
                return
            if handoff is None:  # run.io_bound returns None when the server is shutting down
                return
            ui.navigate.to(f"/auth/complete?handoff={quote(handoff)}")

        password.on("keydown.enter", submit)
        email.on("keydown.enter", lambda: password.run_method("focus"))
        ui.button(_("Log in"), on_click=submit).props("unelevated size=lg no-caps data-testid=login-submit").mark(
            "login-submit"
        ).classes("w-full")
        ui.link(_("Forgot your password?"), "/forgot-password").classes("text-blue-900 underline")
    return None
