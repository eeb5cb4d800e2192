"""Gedragscode: the current code of conduct, which a user accepts before any other page opens."""

import logging

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from services.accounts import SessionUser, safe_redirect_target
from services.conduct import ConductText, accept_conduct, current_conduct, last_accepted_version
from services.errors import DomainError
from services.i18n import format_short_datetime
from ui.conduct_markdown import conduct_markdown
from ui.frame import page_frame
from ui.i18n import _, current_locale, error_text
from ui.session import current_user, login_redirect

logger = logging.getLogger(__name__)


def conduct_page(request: Request, redirect_to: str = "/") -> RedirectResponse | None:
    """Show the current code of conduct with an accept button while the user has not accepted it."""
    user = current_user(request)
    if user is None:
        return login_redirect(request)
    target = safe_redirect_target(redirect_to)
    with page_frame(user, _("Code of conduct")):
        conduct = current_conduct(actor_id=user.id)
        if conduct is None:
            ui.label(_("No code of conduct has been published yet.")).classes("text-lg")
            ui.link(_("Continue"), target).classes("text-blue-900 underline")
            return None
        if user.conduct_version_due is not None:
            _new_version_notice(user, conduct)
        _show_text(conduct)
        if user.conduct_version_due is None:
            ui.label(_("You have accepted this version.")).props("data-testid=conduct-accepted").mark(
                "conduct-accepted"
            )
            ui.link(_("Continue"), target).classes("text-blue-900 underline")
        else:
            _accept_form(request, user, conduct.version, target)
    return None


def _new_version_notice(user: SessionUser, conduct: ConductText) -> None:
    """Tell a user who accepted an older version that the text has changed since."""
    accepted = last_accepted_version(actor_id=user.id)
    if accepted is None or accepted >= conduct.version:
        return
    published = format_short_datetime(current_locale(), conduct.published_at)
    notice = _(
        "This is a new version of the code of conduct: version {version}, published on {published}. "
        "You accepted version {accepted} before.",
        version=conduct.version,
        published=published,
        accepted=accepted,
    )
    ui.label(notice).classes("rounded bg-amber-100 text-amber-950 px-3 py-2 font-semibold").props(
        "role=status data-testid=conduct-new-version"
    ).mark("conduct-new-version")


def _show_text(conduct: ConductText) -> None:
    published = format_short_datetime(current_locale(), conduct.published_at)
    ui.label(_("Version {version}, published on {published}", version=conduct.version, published=published)).classes(
        "text-sm"
    ).props("data-testid=conduct-version").mark("conduct-version")
    with ui.card().classes("w-full max-w-3xl").props("flat bordered"):
        # ui.markdown sanitises the HTML in the browser (DOMPurify), so the text cannot inject scripts.
        conduct_markdown(conduct.text).props("data-testid=conduct-text").mark("conduct-text")


def _accept_form(request: Request, user: SessionUser, version: int, target: str) -> None:
    ui.label(_("Read the code of conduct. You can use biebvoucher after you have accepted it.")).classes(
        "font-semibold"
    )
    message = ui.label().classes("text-red-800").props("role=alert data-testid=conduct-error").mark("conduct-error")

    async def accept() -> None:
        message.text = ""
        # The gate page cannot use call_as_user, which sends users with a version due to this page.
        current = await run.io_bound(current_user, request)
        if current is None:
            ui.navigate.to("/login")
            return
        try:
            await run.io_bound(accept_conduct, actor_id=current.id, version=version)
        except DomainError as error:
            logger.info("code of conduct acceptance rejected user=%d error=%s", current.id, error.code)
            message.text = error_text(error)
            return
        ui.navigate.to(target)

    ui.button(_("I accept the code of conduct"), on_click=accept).props(
        "unelevated no-caps size=lg data-testid=conduct-accept"
    ).mark("conduct-accept")
