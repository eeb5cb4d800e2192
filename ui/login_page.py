"""Inloggen: e-mail address and password, then the code from the e-mail, then the session hand-off.

Both steps live on one page, so the attempt's secret stays on the server in this page object
and "back" returns to the password form with the e-mail address still filled in.
"""

from datetime import datetime
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from services.accounts import safe_redirect_target
from services.clock import utc_now
from services.errors import DomainError
from services.login import CODE_LIFETIME, LoginChallenge, resend_login_code, start_login, verify_login_code
from ui.frame import HEADER_COLOUR, apply_theme, demo_banner, language_switch
from ui.help_menu import public_help_link
from ui.i18n import _, current_locale, error_text
from ui.password_field import password_input
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
        with ui.row().classes("items-center gap-2"):
            public_help_link()
            language_switch()
    demo_banner()
    with ui.card().classes("w-full max-w-md mx-auto mt-10 p-6 gap-4"):
        LoginForm(target, request.client.host if request.client else None, bool(expired), notice).build()
    return None


class LoginForm:
    """The password step and the code step of one login, with the resend cooldown."""

    def __init__(self, target: str, client_address: str | None, expired: bool, notice: str = "") -> None:
        self.target = target
        self.notice = notice
        self.client_address = client_address
        self.expired = expired
        self.challenge: LoginChallenge | None = None

    def build(self) -> None:
        self.password_step = ui.column().classes("w-full gap-4")
        with self.password_step:
            self._build_password_step()
        self.code_step = ui.column().classes("w-full gap-4")
        self.code_step.set_visibility(False)
        with self.code_step:
            self._build_code_step()
        self.cooldown_timer = ui.timer(1.0, self._show_cooldown, active=False)

    def _build_password_step(self) -> None:
        ui.label(_("Log in")).classes("text-2xl font-bold").props("role=heading aria-level=1")
        ui.label(_("Free library membership for Limburg residents on a low income")).classes("text-sm")
        if self.expired:
            ui.label(_("Your login took too long. Please log in again.")).classes("text-red-800")
        notice_text = login_notice(self.notice)
        if notice_text:
            ui.label(notice_text).classes("text-green-900").props("role=status data-testid=login-notice")
        self.email = (
            ui.input(_("E-mail address"))
            .props("type=email autocomplete=username autofocus outlined")
            .mark("login-email")
            .classes("w-full")
        )
        self.password = (
            password_input(_("Password"))
            .props("autocomplete=current-password outlined")
            .mark("login-password")
            .classes("w-full")
        )
        self.password_message = (
            ui.label().classes("text-red-800").props("role=alert data-testid=login-error").mark("login-error")
        )
        self.password.on("keydown.enter", self._submit_password)
        self.email.on("keydown.enter", lambda: self.password.run_method("focus"))
        ui.button(_("Log in"), on_click=self._submit_password).props(
            "unelevated size=lg no-caps data-testid=login-submit"
        ).mark("login-submit").classes("w-full")
        ui.link(_("Forgot your password?"), "/forgot-password").classes("text-blue-900 underline")

    def _build_code_step(self) -> None:
        ui.label(_("Verification code")).classes("text-2xl font-bold").props("role=heading aria-level=1")
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        ui.label(
            _(
                "If the e-mail address and the password are correct, we have sent a code of 6 digits to that "
                "address. Type it here. The code works for {minutes} minutes.",
                minutes=minutes,
            )
        ).props("data-testid=code-sent").mark("code-sent")
        self.code = (
            ui.input(_("Verification code"))
            .props("outlined inputmode=numeric autocomplete=one-time-code maxlength=12 data-testid=login-code")
            .mark("login-code")
            .classes("w-full")
        )
        self.code_message = (
            ui.label().classes("text-red-800").props("role=alert data-testid=code-error").mark("code-error")
        )
        self.code.on("keydown.enter", self._submit_code)
        ui.button(_("Confirm code"), on_click=self._submit_code).props(
            "unelevated size=lg no-caps data-testid=code-submit"
        ).mark("code-submit").classes("w-full")
        with ui.row().classes("w-full items-center justify-between gap-2"):
            self.resend_button = ui.button(_("Send again"), on_click=self._resend).props(
                "flat no-caps data-testid=code-resend"
            )
            self.resend_button.mark("code-resend")
            ui.button(_("Back"), on_click=self._back).props("flat no-caps data-testid=code-back").mark("code-back")
        self.cooldown = ui.label().classes("text-sm").props("aria-live=polite data-testid=resend-cooldown")
        self.cooldown.mark("resend-cooldown")
        ui.label(
            _("No e-mail after a few minutes? Go back, check the address and the password, and log in again.")
        ).classes("text-sm")

    async def _submit_password(self) -> None:
        self.password_message.text = ""
        try:
            challenge = await run.io_bound(
                start_login,
                email=self.email.value or "",
                password=self.password.value or "",
                redirect_to=self.target,
                client_address=self.client_address,
                locale=current_locale(),
            )
        except DomainError as error:
            self.password_message.text = error_text(error)
            self.password.value = ""
            return
        if challenge is None:  # run.io_bound returns None when the server is shutting down
            return
        self.password.value = ""
        self._show_code_step(challenge)

    def _show_code_step(self, challenge: LoginChallenge) -> None:
        self.challenge = challenge
        self.code.value = ""
        self.code_message.text = ""
        self.password_step.set_visibility(False)
        self.code_step.set_visibility(True)
        self._start_cooldown(challenge.resend_available_at)
        self.code.run_method("focus")

    def _start_cooldown(self, available_at: datetime) -> None:
        self.resend_available_at = available_at
        self.cooldown_timer.activate()
        self._show_cooldown()

    def _show_cooldown(self) -> None:
        seconds = int((self.resend_available_at - utc_now()).total_seconds() + 0.999)
        if seconds > 0:
            self.resend_button.disable()
            self.cooldown.text = _("You can request a new code in {seconds} seconds.", seconds=seconds)
            return
        self.resend_button.enable()
        self.cooldown.text = ""
        self.cooldown_timer.deactivate()

    async def _submit_code(self) -> None:
        if self.challenge is None:
            return
        self.code_message.text = ""
        try:
            handoff = await run.io_bound(
                verify_login_code, attempt_token=self.challenge.attempt_token, code=self.code.value or ""
            )
        except DomainError as error:
            self.code_message.text = error_text(error)
            return
        if handoff is None:
            return
        ui.navigate.to(f"/auth/complete?handoff={quote(handoff)}")

    async def _resend(self) -> None:
        if self.challenge is None:
            return
        self.code_message.text = ""
        try:
            challenge = await run.io_bound(
                resend_login_code, attempt_token=self.challenge.attempt_token, locale=current_locale()
            )
        except DomainError as error:
            self.code_message.text = error_text(error)
            return
        if challenge is None:
            return
        ui.notify(_("If the e-mail address and the password are correct, a new code is on its way."))
        self.code.value = ""
        self._start_cooldown(challenge.resend_available_at)

    def _back(self) -> None:
        self.challenge = None
        self.cooldown_timer.deactivate()
        self.code_step.set_visibility(False)
        self.password_step.set_visibility(True)
        self.password.run_method("focus")
