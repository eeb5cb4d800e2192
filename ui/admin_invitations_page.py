"""Beheer · Uitnodigingen: invite users by e-mail, and resend or revoke open invitations."""

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role
from services.accounts import SessionUser
from services.errors import DomainError
from services.i18n import format_short_datetime
from services.invitations import (
    InvitationView,
    invitation_organisations,
    invite_user,
    list_open_invitations,
    resend_invitation,
    revoke_invitation,
)
from ui.frame import page_frame
from ui.i18n import _, current_locale, error_text, rejection_text
from ui.labels import role_label
from ui.public_frame import FormErrors
from ui.session import call_as_user, page_user


def admin_invitations_page(request: Request) -> RedirectResponse | None:
    """Show the invitation form and the open invitations to administrators."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Invitations")):
        try:
            organisations = invitation_organisations(actor_id=user.id)
        except DomainError as error:
            ui.label(error_text(error)).classes("text-lg").props("data-testid=page-error").mark("page-error")
            return None
        InvitationsScreen(user, organisations).build()
    return None


class InvitationsScreen:
    """The invitation form and the refreshable list of open invitations."""

    def __init__(self, user: SessionUser, organisations: list[tuple[int, str, bool]]) -> None:
        self.user = user
        self.organisations = organisations

    def build(self) -> None:
        self._form()
        ui.label(_("Open invitations")).classes("text-xl font-semibold").props("role=heading aria-level=2")
        self.list_alert = ui.label().classes("text-red-800").props("role=alert data-testid=invitations-error")
        self.list_alert.mark("invitations-error")
        self.invitation_list()

    def _form(self) -> None:
        library_suffix = _("library")
        options = {
            organisation_id: f"{name} ({library_suffix})" if is_library else name
            for organisation_id, name, is_library in self.organisations
        }
        with ui.card().classes("w-full gap-3"):
            ui.label(_("Invite a user")).classes("text-xl font-semibold").props("role=heading aria-level=2")
            with ui.row().classes("w-full items-start gap-3"):
                email = (
                    ui.input(_("E-mail address"))
                    .props("type=email outlined")
                    .classes("flex-1 min-w-64")
                    .mark("invite-email")
                )
                role = (
                    ui.select({member.value: role_label(member) for member in Role}, label=_("Role"))
                    .props("outlined")
                    .classes("w-56")
                    .mark("invite-role")
                )
                organisation = (
                    ui.select(options, label=_("Organisation"), with_input=True)
                    .props("outlined")
                    .classes("w-72")
                    .mark("invite-organisation")
                )
            alert = ui.label().classes("text-red-800").props("role=alert data-testid=invite-error").mark("invite-error")
            errors = FormErrors({"email": email, "role": role, "organisation": organisation}, alert)

            async def submit() -> None:
                errors.clear()
                try:
                    view = await call_as_user(
                        invite_user,
                        email=email.value or "",
                        role=role.value,
                        organisation_id=organisation.value,
                    )
                except DomainError as error:
                    errors.show(error, rejection_text(error, action="invitation", user_id=self.user.id))
                    return
                if view is None:  # run.io_bound returns None when the server is shutting down
                    return
                email.value = ""
                ui.notify(_("Invitation sent to {email}.", email=view.email), type="positive")
                self.invitation_list.refresh()

            ui.button(_("Send invitation"), on_click=submit).props("unelevated no-caps data-testid=invite-submit").mark(
                "invite-submit"
            )

    @ui.refreshable_method
    def invitation_list(self) -> None:
        invitations = list_open_invitations(actor_id=self.user.id)
        if not invitations:
            ui.label(_("No open invitations.")).mark("no-invitations")
            return
        headers = [_("E-mail address"), _("Role"), _("Organisation"), _("Invited by"), _("Sent"), _("Valid until"), ""]
        with ui.element("table").classes("w-full text-left border-collapse").mark("invitation-table"):
            with ui.element("thead"), ui.element("tr"):
                for header in headers:
                    with ui.element("th").classes("p-2 border-b"):
                        ui.label(header)
            with ui.element("tbody"):
                for invitation in invitations:
                    self._row(invitation)

    def _row(self, invitation: InvitationView) -> None:
        locale = current_locale()
        with ui.element("tr").classes("border-b").mark(f"invitation-{invitation.email}"):
            for text in (
                invitation.email,
                role_label(invitation.role),
                invitation.organisation_name,
                invitation.invited_by_name,
                format_short_datetime(locale, invitation.sent_at),
            ):
                with ui.element("td").classes("p-2"):
                    ui.label(text)
            with ui.element("td").classes("p-2"):
                if invitation.expired:
                    ui.label(_("Expired")).classes("rounded-full px-3 py-1 text-sm bg-orange-100 text-orange-900")
                else:
                    ui.label(format_short_datetime(locale, invitation.expires_at))
            resend = self._action(resend_invitation, invitation, _("Invitation sent again to {email}."))
            revoke = self._action(revoke_invitation, invitation, _("Invitation to {email} revoked."))
            with ui.element("td").classes("p-2"), ui.row().classes("gap-1 flex-nowrap"):
                ui.button(_("Resend"), on_click=resend).props("flat dense no-caps").mark(f"resend-{invitation.email}")
                ui.button(_("Revoke"), on_click=revoke).props("flat dense no-caps color=negative").mark(
                    f"revoke-{invitation.email}"
                )

    def _action(self, service: Callable[..., object], invitation: InvitationView, done: str) -> Callable[[], object]:
        async def run_action() -> None:
            self.list_alert.text = ""
            try:
                await call_as_user(service, invitation_id=invitation.id)
            except DomainError as error:
                self.list_alert.text = rejection_text(
                    error, action="invitation change", user_id=self.user.id, invitation=invitation.id
                )
                return
            ui.notify(done.format(email=invitation.email), type="positive")
            self.invitation_list.refresh()

        return run_action
