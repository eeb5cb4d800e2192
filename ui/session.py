"""Server-side login state: the session cookie, page protection and the login hand-off route.

A page checks the session when it is built (`page_user`), and every action on an open page
checks it again (`call_as_user`). So a logout, an idle or too old session, a deactivated user or
a new code of conduct stops an open page at its next click.
"""

import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import Client, app, run, ui

from services.accounts import SessionUser, complete_login, end_session, resolve_session, safe_redirect_target
from services.errors import ConductNotAccepted, DomainError, LoginExpired, NotAuthenticated
from services.i18n import normalise_locale
from services.logging_setup import bind_user
from services.preferences import choose_locale
from services.settings import get_settings
from ui.i18n import LOCALE_COOKIE

logger = logging.getLogger(__name__)

SESSION_COOKIE = "biebvoucher_session"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600
CONDUCT_PATH = "/code-of-conduct"

Result = TypeVar("Result")


def current_user(request: Request) -> SessionUser | None:
    """Return the user of the session in this request's cookie, or None when it has ended.

    Resolving the session checks the idle and absolute limits and whether the user is active.
    """
    # NOTE: this runs on the event loop, so while the database is slow or unreachable (up to the
    # 10 s SQLite busy timeout or the 5 s PostgreSQL connect timeout) every page of this process waits.
    user = resolve_session(request.cookies.get(SESSION_COOKIE))
    bind_user(user.id if user is not None else None)
    return user


def _path_of(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def login_redirect(request: Request) -> RedirectResponse:
    """Return a redirect to the login page that comes back to the requested path."""
    return RedirectResponse(f"/login?redirect_to={quote(_path_of(request), safe='')}", status_code=303)


def conduct_redirect(request: Request) -> RedirectResponse:
    """Return a redirect to the code-of-conduct page that comes back to the requested path."""
    return RedirectResponse(f"{CONDUCT_PATH}?redirect_to={quote(_path_of(request), safe='')}", status_code=303)


def page_user(request: Request) -> SessionUser | RedirectResponse:
    """Return the user who may see this page, or the redirect to the login or the code of conduct."""
    user = current_user(request)
    if user is None:
        return login_redirect(request)
    if user.conduct_version_due is not None:
        return conduct_redirect(request)
    return user


async def session_user(client: Client | None = None) -> SessionUser:
    """Resolve the session of an open page again, for an action on that page.

    Raises NotAuthenticated, and sends the browser to the login page, when the session has ended.
    Raises ConductNotAccepted, and sends the browser to the code of conduct, when a new version
    waits. Pass `client` from code that runs outside a page's context, such as a live-update task.
    """
    client = client or ui.context.client
    request = client.request
    user = await run.io_bound(current_user, request)
    if user is None:
        logger.info("action on an open page after its session ended path=%s", request.url.path)
        _navigate(client, f"/login?redirect_to={quote(_path_of(request), safe='')}")
        raise NotAuthenticated()
    if user.conduct_version_due is not None:
        _navigate(client, f"{CONDUCT_PATH}?redirect_to={quote(_path_of(request), safe='')}")
        raise ConductNotAccepted()
    return user


def _navigate(client: Client, path: str) -> None:
    with client:
        ui.navigate.to(path)


async def call_as_user(
    service: Callable[..., Result], /, *, client: Client | None = None, **arguments: Any
) -> Result | None:
    """Run `service` in a worker thread for the user of the page's session, checked again now.

    Raises what `session_user` raises. Returns None when the server is shutting down, like
    `run.io_bound`.
    """
    user = await session_user(client)
    return await run.io_bound(service, actor_id=user.id, **arguments)


def _set_locale_cookie(response: RedirectResponse, locale: str) -> None:
    response.set_cookie(
        LOCALE_COOKIE,
        normalise_locale(locale),
        max_age=LOCALE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=not get_settings().demo,
        path="/",
    )


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
        # The language the user chose before, on any browser, wins over this browser's cookie.
        # A user who never chose keeps the language of the login page.
        user = resolve_session(token, touch=False)
        if user is not None and user.locale is not None:
            _set_locale_cookie(response, user.locale)
        return response

    @app.get("/language/{locale}", include_in_schema=False)
    def choose_language(request: Request, locale: str, next: str = "/") -> RedirectResponse:
        """Switch this browser to `locale` (Dutch when unknown), and store it for a logged-in user."""
        locale = normalise_locale(locale)
        user = current_user(request)
        if user is not None:
            try:
                choose_locale(actor_id=user.id, locale=locale)
            except DomainError as error:
                # The cookie still switches this browser; the stored choice stays as it was.
                logger.info("language choice not stored user=%d error=%s", user.id, error.code)
        response = RedirectResponse(safe_redirect_target(next), status_code=303)
        _set_locale_cookie(response, locale)
        return response

    @app.get("/logout", include_in_schema=False)
    def logout(request: Request) -> RedirectResponse:
        end_session(request.cookies.get(SESSION_COOKIE))
        request.session["id"] = str(uuid.uuid4())
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
