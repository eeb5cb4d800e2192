"""Wachtwoord vergeten: request a reset link, and choose a new password through it."""

from fastapi import Request
from nicegui import run, ui

from services.credentials import open_password_reset, request_password_reset, reset_password
from services.errors import DomainError, NoLinkOpened
from ui.i18n import _, current_locale, error_text
from ui.public_frame import FormErrors, public_frame
from ui.register_page import link_problem, password_fields
from ui.signup_routes import RESET_PATH, RESET_TOKEN_KEY


def forgot_password_page() -> None:
    """Ask for an e-mail address and mail a reset link if it has an account."""
    with public_frame(_("Forgot your password?")):
        ui.label(_("Type the e-mail address of your account. We send a link to choose a new password."))
        email = (
            ui.input(_("E-mail address"))
            .props("type=email autocomplete=username autofocus outlined")
            .classes("w-full")
            .mark("email")
        )
        alert = ui.label().classes("text-red-800").props("role=alert data-testid=forgot-error").mark("forgot-error")
        done = ui.label().props("role=status data-testid=forgot-done").mark("forgot-done")
        errors = FormErrors({"email": email}, alert)

        async def submit() -> None:
            errors.clear()
            done.text = ""
            locale = current_locale()
            try:
                await run.io_bound(request_password_reset, email=email.value or "", locale=locale)
            except DomainError as error:
                errors.show(error, error_text(error))
                return
            # The same text whether or not the address has an account, so the page reveals neither.
            done.text = _(
                "If {email} belongs to an account, a link is on its way. It works for one hour. "
                "No mail after a few minutes? Check the spam folder and the address.",
                email=(email.value or "").strip(),
            )

        email.on("keydown.enter", submit)
        ui.button(_("Send link"), on_click=submit).props("unelevated size=lg no-caps data-testid=forgot-submit").mark(
            "forgot-submit"
        ).classes("w-full")
        ui.link(_("Back to the login page"), "/login").classes("text-blue-900 underline")


def reset_password_page(request: Request) -> None:
    """Show the new-password form for the reset link this browser opened."""
    token = request.session.get(RESET_TOKEN_KEY)
    with public_frame(_("Choose a new password")):
        try:
            if not token:
                raise NoLinkOpened()
            preview = open_password_reset(token)
        except DomainError as error:
            link_problem(error)
            ui.link(_("Request a new link"), "/forgot-password").classes("text-blue-900 underline")
            return
        ui.input(_("E-mail address"), value=preview.email).props("readonly outlined autocomplete=username").classes(
            "w-full"
        )
        password, repeat = password_fields()
        alert = ui.label().classes("text-red-800").props("role=alert data-testid=reset-error").mark("reset-error")
        errors = FormErrors({"password": password, "password_repeat": repeat}, alert)

        async def submit() -> None:
            errors.clear()
            try:
                email = await run.io_bound(
                    reset_password,
                    token=token,
                    password=password.value or "",
                    password_repeat=repeat.value or "",
                    locale=current_locale(),
                )
            except DomainError as error:
                errors.show(error, error_text(error))
                return
            if email is not None:  # run.io_bound returns None when the server is shutting down
                ui.navigate.to(f"{RESET_PATH}/done")

        ui.button(_("Save new password"), on_click=submit).props(
            "unelevated size=lg no-caps data-testid=reset-submit"
        ).mark("reset-submit").classes("w-full")
