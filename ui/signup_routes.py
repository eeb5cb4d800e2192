"""HTTP routes behind the links in invitation and reset mails, and their Referrer-Policy.

A link's token arrives once in the query string. The route keeps it in NiceGUI's signed
browser-session cookie (HttpOnly) and redirects to an address without it, so the token is
not left in the address bar, the history or a Referer header. The page reads it from there.
"""

import logging

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app
from starlette.middleware.base import RequestResponseEndpoint
from starlette.responses import Response

from services.i18n import N_
from services.links import PASSWORD_RESET_LINK_PATH, REGISTRATION_LINK_PATH
from ui.i18n import _

logger = logging.getLogger(__name__)

# Keys in the browser session (request.session), not secrets.
INVITATION_TOKEN_KEY = "invitation_token"  # noqa: S105
RESET_TOKEN_KEY = "password_reset_token"  # noqa: S105
REGISTER_PATH = "/register"
RESET_PATH = "/reset-password"
# Longer than any token this app issues; a longer value is cut so the cookie stays small.
MAXIMUM_TOKEN_LENGTH = 100
NO_REFERRER_PREFIXES = (REGISTER_PATH, RESET_PATH)
LOGIN_NOTICES = {
    "registered": N_("Your account is ready. Log in with your e-mail address and password."),
    "password_reset": N_("Your password has been changed. Log in with your new password."),
}


def login_notice(key: str) -> str | None:
    """Return the translated notice the login page shows after registration or a reset, if any."""
    message = LOGIN_NOTICES.get(key)
    return _(message) if message else None


def _redirect(path: str) -> RedirectResponse:
    response = RedirectResponse(path, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def register_signup_routes() -> None:
    """Add the link routes and the middleware that sends `Referrer-Policy: no-referrer` on their pages."""

    @app.middleware("http")
    async def no_referrer(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        # NOTE: a global security-header middleware must not overwrite this header on these paths.
        if request.url.path.startswith(NO_REFERRER_PREFIXES):
            response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get(REGISTRATION_LINK_PATH, include_in_schema=False)
    def open_registration_link(request: Request, token: str = "") -> RedirectResponse:
        request.session[INVITATION_TOKEN_KEY] = token[:MAXIMUM_TOKEN_LENGTH]
        logger.info("invitation link opened")
        return _redirect(REGISTER_PATH)

    @app.get(f"{REGISTER_PATH}/done", include_in_schema=False)
    def registration_done(request: Request) -> RedirectResponse:
        request.session.pop(INVITATION_TOKEN_KEY, None)
        return _redirect("/login?notice=registered")

    @app.get(PASSWORD_RESET_LINK_PATH, include_in_schema=False)
    def open_reset_link(request: Request, token: str = "") -> RedirectResponse:
        request.session[RESET_TOKEN_KEY] = token[:MAXIMUM_TOKEN_LENGTH]
        logger.info("password reset link opened")
        return _redirect(RESET_PATH)

    @app.get(f"{RESET_PATH}/done", include_in_schema=False)
    def reset_done(request: Request) -> RedirectResponse:
        request.session.pop(RESET_TOKEN_KEY, None)
        return _redirect("/login?notice=password_reset")
