"""Dutch "not found" and "server error" pages in the app's frame, without exception details.

NiceGUI's own error pages show the exception's class and message. These replace them:
`app.on_page_exception` for errors while a page is built, and FastAPI exception handlers
for unknown addresses and for errors in plain HTTP routes.
"""

import logging

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from nicegui import Client, app, ui
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.settings import get_settings
from ui.frame import HEADER_COLOUR, apply_theme, demo_banner, language_switch
from ui.i18n import _
from ui.security_headers import security_headers

logger = logging.getLogger(__name__)

# Served when even building an error page is not possible (errors outside page routes), so it
# uses no translation catalogue or NiceGUI element.
PLAIN_SERVER_ERROR_HTML = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Er ging iets mis · biebvoucher</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>Er ging iets mis</h1>
<p>Er is een fout opgetreden op de server. Probeer het over een paar minuten opnieuw.
Blijft het misgaan, neem dan contact op met de beheerder.</p>
<p><a href="/">Naar de startpagina</a></p>
</body></html>
"""


def register_error_pages() -> None:
    """Replace NiceGUI's error pages with ours."""
    app.on_page_exception(_show_server_error)
    app.exception_handler(404)(_not_found)
    app.exception_handler(Exception)(_server_error_outside_pages)


def _error_frame(title: str, text: str) -> None:
    ui.page_title(f"{title} · biebvoucher")
    apply_theme()
    with ui.header().classes("items-center justify-between px-4 py-2").style(f"background:{HEADER_COLOUR}"):
        ui.link("biebvoucher", "/").classes("text-white text-xl font-bold no-underline")
        language_switch()
    demo_banner()
    with ui.column().classes("w-full max-w-3xl mx-auto p-4 gap-4"):
        ui.label(title).classes("text-2xl font-bold").props("role=heading aria-level=1").mark("error-title")
        ui.label(text)
        ui.link(_("Go to the start page"), "/").classes("text-blue-900")


def _show_server_error(exception: Exception) -> None:
    # NiceGUI logs the exception with its traceback after this handler, so it is not logged here.
    _error_frame(
        _("Something went wrong"),
        _(
            "An error occurred on the server. Try again in a few minutes. "
            "If it keeps failing, contact the administrator."
        ),
    )


async def _not_found(request: Request, exception: Exception) -> Response:
    endpoint = request.scope.get("endpoint")
    is_page = endpoint is None or endpoint is app or request.scope.get("nicegui_page_path")
    if not is_page and isinstance(exception, StarletteHTTPException):
        # A route that is not a page (a NiceGUI resource, an API) returns FastAPI's JSON error, as in NiceGUI.
        return await http_exception_handler(request, exception)
    logger.info("page not found path=%s", request.url.path)
    with Client(ui.page(""), request=request) as client:
        _error_frame(
            _("Page not found"),
            _("This page does not exist. Check the address, or go to the start page."),
        )
    return client.build_response(request, 404)


def _server_error_outside_pages(request: Request, exception: Exception) -> Response:
    """Return the plain Dutch error page for an error in an HTTP route that is not a page.

    Starlette calls this outside every middleware, so the security headers are added here.
    It re-raises the exception after sending this page, and uvicorn logs it with its traceback.
    NiceGUI also calls this after an error in a page and discards the response.
    """
    response = HTMLResponse(PLAIN_SERVER_ERROR_HTML, status_code=500)
    for name, value in security_headers(request.url.path, hsts=not get_settings().demo):
        response.headers[name] = value
    return response
