"""Server-side login state: the session cookie, page protection and the login hand-off route."""

import logging
import uuid
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app

from services.accounts import SessionUser, complete_login, end_session, resolve_session, safe_redirect_target
from services.errors import LoginExpired
from services.i18n import normalise_locale
from services.logging_setup import bind_user
from services.settings import get_settings
from ui.i18n import LOCALE_COOKIE

logger = logging.getLogger(__name__)

SESSION_COOKIE = "biebvoucher_session"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600


def current_user(request: Request) -> SessionUser | None:
    """Return the logged-in user of this request, or None."""
    # TODO: idle and absolute limits and logout are checked here, at page load only. A page that
    # is already open keeps acting until reloaded; services recheck only that the user is active.
    # NOTE: this runs on the event loop, so while the database is slow or unreachable (up to the
    # 10 s SQLite busy timeout or the 5 s PostgreSQL connect timeout) every page of this process waits.
    user = resolve_session(request.cookies.get(SESSION_COOKIE))
    bind_user(user.id if user is not None else None)
    return user


def login_redirect(request: Request) -> RedirectResponse:
    """Return a redirect to the login page that comes back to the requested path."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?redirect_to={quote(target, safe='')}", status_code=303)


def register_auth_routes() -> None:
    """Add the HTTP routes that set and clear the session cookie."""

    @app.get("/auth/complete", include_in_schema=False)
    def complete(request: Request, handoff: str = "") -> RedirectResponse:
        try:
            token, redirect_to = complete_login(handoff=handoff)
        except LoginExpired:
            logger.info("login hand-off rejected")
            return RedirectResponse("/login?expired=1", status_code=303)
        # NiceGUI keys its per-browser storage on this id and never changes it itself. A new id
        # at login stops a browser id planted before login from carrying over into the session.
        request.session["id"] = str(uuid.uuid4())
        response = RedirectResponse(redirect_to, status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token, httponly=True, samesite="lax", secure=not get_settings().demo, path="/"
        )
        return response

    @app.get("/language/{locale}", include_in_schema=False)
    def choose_language(locale: str, next: str = "/") -> RedirectResponse:
        response = RedirectResponse(safe_redirect_target(next), status_code=303)
        response.set_cookie(
            LOCALE_COOKIE,
            normalise_locale(locale),
            max_age=LOCALE_COOKIE_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=not get_settings().demo,
            path="/",
        )
        return response

    @app.get("/logout", include_in_schema=False)
    def logout(request: Request) -> RedirectResponse:
        end_session(request.cookies.get(SESSION_COOKIE))
        request.session["id"] = str(uuid.uuid4())
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
