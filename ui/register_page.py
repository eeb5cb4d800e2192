"""Registreren: name and password for the account of an invitation."""

from fastapi import Request
from nicegui import run, ui

from services.errors import DomainError, NoLinkOpened
from services.invitations import MAXIMUM_NAME_LENGTH, InvitationPreview, open_invitation, register_user
from services.password_policy import MAXIMUM_LENGTH, MINIMUM_LENGTH
from ui.i18n import _, error_text
from ui.labels import role_label
from ui.password_field import password_input
from ui.public_frame import FormErrors, public_frame
from ui.signup_routes import INVITATION_TOKEN_KEY, REGISTER_PATH


def register_page(request: Request) -> None:
    """Show the registration form for the invitation whose link this browser opened."""
    token = request.session.get(INVITATION_TOKEN_KEY)
    with public_frame(_("Create your account")):
        try:
            if not token:
                raise NoLinkOpened()
            preview = open_invitation(token)
        except DomainError as error:
            link_problem(error)
            return
        registration_form(token, preview)


def link_problem(error: DomainError) -> None:
    """Explain why a mailed link does not work, with a way on."""
    ui.label(error_text(error)).classes("text-red-800").props("role=alert data-testid=link-error").mark("link-error")
    ui.link(_("Go to the login page"), "/login").classes("text-blue-900 underline")


def password_fields() -> tuple[ui.input, ui.input]:
    """Add the new password and its repeat, with the policy as help text."""
    ui.label(
        _(
            "Choose a password of at least {minimum} characters. A sentence of a few words works well; "
            "pasting from a password manager is allowed.",
            minimum=MINIMUM_LENGTH,
        )
    ).classes("text-sm")
    password = (
        password_input(_("Password"))
        .props(f"autocomplete=new-password outlined maxlength={MAXIMUM_LENGTH}")
        .classes("w-full")
        .mark("password")
    )
    repeat = (
        password_input(_("Repeat password"))
        .props(f"autocomplete=new-password outlined maxlength={MAXIMUM_LENGTH}")
        .classes("w-full")
        .mark("password-repeat")
    )
    return password, repeat


def registration_form(token: str, preview: InvitationPreview) -> None:
    role = role_label(preview.role)
    ui.label(_("You are invited as {role} at {organisation}.", role=role, organisation=preview.organisation_name))
    email = ui.input(_("E-mail address"), value=preview.email).classes("w-full")
    email.props("readonly outlined autocomplete=username")
    name = ui.input(_("Name")).classes("w-full").mark("name")
    name.props(f"autocomplete=name outlined autofocus maxlength={MAXIMUM_NAME_LENGTH}")
    password, repeat = password_fields()
    alert = ui.label().classes("text-red-800").props("role=alert data-testid=register-error").mark("register-error")
    errors = FormErrors({"name": name, "password": password, "password_repeat": repeat}, alert)

    async def submit() -> None:
        errors.clear()
        try:
            email = await run.io_bound(
                register_user,
                token=token,
                name=name.value or "",
                password=password.value or "",
                password_repeat=repeat.value or "",
            )
        except DomainError as error:
            errors.show(error, error_text(error))
            return
        if email is not None:  # run.io_bound returns None when the server is shutting down
            ui.navigate.to(f"{REGISTER_PATH}/done")

    submit_button = ui.button(_("Create account"), on_click=submit).classes("w-full").mark("register-submit")
    submit_button.props("unelevated size=lg no-caps data-testid=register-submit")
