"""Beheer · E-mail: mail that is queued or failed, with "try again" for failed mail."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import MailStatus
from services.accounts import SessionUser
from services.errors import DomainError
from services.i18n import N_, format_short_datetime
from services.outbox import UndeliveredMail, list_undelivered_mails, retry_mail
from ui.frame import page_frame
from ui.i18n import _, current_locale, error_text, rejection_text
from ui.session import call_as_user, page_user

MAIL_STATUS_LABELS = {
    MailStatus.QUEUED: N_("Queued"),
    MailStatus.SENT: N_("Sent"),
    MailStatus.FAILED: N_("Failed"),
}
MAIL_STATUS_COLOURS = {
    MailStatus.QUEUED: "bg-blue-100 text-blue-900",
    MailStatus.SENT: "bg-green-100 text-green-900",
    MailStatus.FAILED: "bg-red-100 text-red-900",
}


def admin_mail_page(request: Request) -> RedirectResponse | None:
    """Show undelivered mail to administrators."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Undelivered e-mail")):
        try:
            mails = list_undelivered_mails(actor_id=user.id)
        except DomainError as error:
            ui.label(error_text(error)).classes("text-lg").props("data-testid=page-error").mark("page-error")
            return None
        MailScreen(user).build(mails)
    return None


class MailScreen:
    """The refreshable table of queued and failed mail of one browser tab."""

    def __init__(self, user: SessionUser) -> None:
        self.user = user

    def build(self, mails: list[UndeliveredMail]) -> None:
        ui.label(
            _(
                "Failed mail was refused by the mail server or could not be delivered after several tries. "
                "Check the address, then try again. Queued mail is sent or retried by itself."
            )
        )
        ui.button(_("Reload"), on_click=lambda: self.mail_list.refresh()).props("outline no-caps").mark("mail-reload")
        self.alert = ui.label().classes("text-red-800").props("role=alert data-testid=mail-error").mark("mail-error")
        self.mail_list(mails)

    @ui.refreshable_method
    def mail_list(self, mails: list[UndeliveredMail] | None = None) -> None:
        if mails is None:
            mails = list_undelivered_mails(actor_id=self.user.id)
        if not mails:
            ui.label(_("All mail has been delivered.")).mark("no-mail")
            return
        headers = [_("Created"), _("To"), _("Subject"), _("Status"), _("Tries"), _("Next try"), _("Last error"), ""]
        with ui.element("table").classes("w-full text-left border-collapse").mark("mail-table"):
            with ui.element("thead"), ui.element("tr"):
                for header in headers:
                    with ui.element("th").classes("p-2 border-b"):
                        ui.label(header)
            with ui.element("tbody"):
                for mail in mails:
                    self._row(mail)

    def _row(self, mail: UndeliveredMail) -> None:
        locale = current_locale()
        next_try = format_short_datetime(locale, mail.next_attempt_at) if mail.status == MailStatus.QUEUED else ""
        with ui.element("tr").classes("border-b align-top").mark(f"mail-{mail.id}"):
            for text in (format_short_datetime(locale, mail.created_at), mail.recipient, mail.subject):
                with ui.element("td").classes("p-2"):
                    ui.label(text)
            with ui.element("td").classes("p-2"):
                ui.label(_(MAIL_STATUS_LABELS[mail.status])).classes(
                    f"inline-block rounded-full px-3 py-1 text-sm {MAIL_STATUS_COLOURS[mail.status]}"
                )
            for text in (str(mail.attempts), next_try, mail.last_error or ""):
                with ui.element("td").classes("p-2"):
                    ui.label(text).classes("break-all")
            with ui.element("td").classes("p-2"):
                if mail.status == MailStatus.FAILED:
                    ui.button(_("Try again"), on_click=lambda mail_id=mail.id: self._retry(mail_id)).props(
                        "flat dense no-caps"
                    ).mark(f"retry-{mail.id}")

    async def _retry(self, mail_id: int) -> None:
        self.alert.text = ""
        try:
            await call_as_user(retry_mail, mail_id=mail_id)
        except DomainError as error:
            self.alert.text = rejection_text(error, action="mail retry", user_id=self.user.id, mail=mail_id)
            return
        ui.notify(_("The mail is queued again and is sent within a few seconds."), type="positive")
        self.mail_list.refresh()
