"""Account: the user's own details, changing the password, and logging out."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import events, ui

from services.accounts import SessionUser
from services.credentials import change_password
from services.errors import DomainError
from services.password_policy import MAXIMUM_LENGTH
from ui.frame import LANGUAGE_NAMES, page_frame
from ui.i18n import _, current_locale, ngettext, rejection_text
from ui.labels import role_label
from ui.password_field import password_input
from ui.public_frame import FormErrors
from ui.register_page import password_fields
from ui.session import SESSION_COOKIE, call_as_user, page_user


def account_page(request: Request) -> RedirectResponse | None:
    """Show the account details and the password change form."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    session_token = request.cookies.get(SESSION_COOKIE)
    with page_frame(user, _("Account")):
        with ui.card().classes("w-full max-w-xl gap-1"):
            ui.label(user.name).classes("text-lg font-semibold")
            ui.label(user.email)
            ui.label(f"{role_label(user.role)} · {user.organisation_name}")
        language_choice()
        password_change_form(user, session_token)
        ui.button(_("Log out"), on_click=lambda: ui.navigate.to("/logout")).props("outline no-caps")
    return None


def language_choice() -> None:
    """Offer the languages; the choice is stored for the user and for this browser."""
    with ui.card().classes("w-full max-w-xl gap-3"):
        ui.label(_("Language")).classes("text-xl font-semibold").props("role=heading aria-level=2")
        ui.label(_("Pages and e-mails to you use this language."))

        def choose(event: events.ValueChangeEventArguments) -> None:
            # The route stores the choice for the logged-in user and sets this browser's cookie.
            ui.navigate.to(f"/language/{event.value}?next=/account")

        ui.radio(LANGUAGE_NAMES, value=current_locale(), on_change=choose).props(
            "inline data-testid=language-choice"
        ).mark("language-choice")


def password_change_form(user: SessionUser, session_token: str | None) -> None:
    with ui.card().classes("w-full max-w-xl gap-3"):
        ui.label(_("Change password")).classes("text-xl font-semibold").props("role=heading aria-level=2")
        current = (
            password_input(_("Current password"))
            .props(f"autocomplete=current-password outlined maxlength={MAXIMUM_LENGTH}")
            .classes("w-full")
            .mark("current-password")
        )
        password, repeat = password_fields()
        alert = ui.label().classes("text-red-800").props("role=alert data-testid=change-error").mark("change-error")
        done = ui.label().classes("text-green-900").props("role=status data-testid=change-done").mark("change-done")
        errors = FormErrors({"current_password": current, "password": password, "password_repeat": repeat}, alert)

        async def submit() -> None:
            errors.clear()
            done.text = ""
            try:
                ended = await call_as_user(
                    change_password,
                    current_password=current.value or "",
                    new_password=password.value or "",
                    password_repeat=repeat.value or "",
                    keep_session_token=session_token,
                    locale=current_locale(),
                )
            except DomainError as error:
                errors.show(error, rejection_text(error, action="password change", user_id=user.id))
                return
            if ended is None:  # run.io_bound returns None when the server is shutting down
                return
            for element in (current, password, repeat):
                element.value = ""
            done.text = _("Your password has been changed. We have sent a notice to {email}.", email=user.email)
            if ended:
                done.text += " " + ngettext(
                    "You were logged out in {count} other browser.",
                    "You were logged out in {count} other browsers.",
                    ended,
                )

        ui.button(_("Save new password"), on_click=submit).props("unelevated no-caps data-testid=change-submit").mark(
            "change-submit"
        )
