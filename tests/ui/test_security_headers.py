"""Security headers and error pages over HTTP: against a real server process, and in-process for errors."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import Request
from fastapi.responses import PlainTextResponse
from nicegui import __version__ as nicegui_version
from nicegui import app, core, ui
from nicegui.testing.user_simulation import user_simulation
from starlette.applications import Starlette
from starlette.routing import Route

from services.settings import get_settings
from tests.app_server import AppServer, running_app_server
from ui.camera_scan import camera_file_addresses
from ui.security_headers import CONTENT_SECURITY_POLICY, SecurityHeadersMiddleware

MAIN_FILE = Path(__file__).resolve().parent.parent.parent / "main.py"
STATIC_FILE = f"/_nicegui/{nicegui_version}/static/nicegui.css"
EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "permissions-policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
}
STACK_TRACE_SIGNS = ("Traceback", "RuntimeError", "planned failure", 'File "')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with running_app_server(tmp_path_factory.mktemp("headers-data")) as app_server:
        yield app_server


def _get(server: AppServer, path: str) -> httpx.Response:
    return httpx.get(server.url + path, follow_redirects=False, timeout=10)


def _assert_security_headers(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name


def test_page_has_headers(server):
    response = _get(server, "/login")

    assert response.status_code == 200
    _assert_security_headers(response)
    assert response.headers["cache-control"] == "no-store"


def test_demo_sends_no_hsts(server):
    assert "strict-transport-security" not in _get(server, "/login").headers


def test_redirect_has_headers(server):
    response = _get(server, "/admin/users")

    assert response.status_code == 303
    _assert_security_headers(response)
    assert response.headers["cache-control"] == "no-store"


def test_not_found_page_dutch(server):
    response = _get(server, "/bestaat-niet")

    assert response.status_code == 404
    _assert_security_headers(response)
    assert response.headers["cache-control"] == "no-store"
    assert "Pagina niet gevonden" in response.text
    assert "HTTPException" not in response.text


def test_static_file_cacheable(server):
    response = _get(server, STATIC_FILE)

    assert response.status_code == 200
    _assert_security_headers(response)
    assert response.headers["cache-control"].startswith("public, max-age=")


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("script", "text/javascript"), ("reader", "text/javascript"), ("wasm", "application/wasm")],
)
def test_camera_files_served_cacheable(server, name, content_type):
    local_file, address = camera_file_addresses()[name]

    response = _get(server, address)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert response.content == local_file.read_bytes()
    _assert_security_headers(response)


def test_nicegui_routes_have_headers(server):
    handshake = _get(server, "/_nicegui_ws/socket.io/?EIO=4&transport=polling")
    missing_component = _get(server, f"/_nicegui/{nicegui_version}/components/bestaat-niet")
    favicon = _get(server, "/favicon.ico")

    assert handshake.status_code == 200
    _assert_security_headers(handshake)
    assert handshake.headers["cache-control"] == "no-store"
    assert missing_component.status_code == 404
    _assert_security_headers(missing_component)
    assert favicon.status_code == 200
    _assert_security_headers(favicon)


async def test_existing_header_kept():
    async def no_referrer(request):
        return PlainTextResponse("token page", headers={"Referrer-Policy": "no-referrer"})

    inner = Starlette(routes=[Route("/register", no_referrer)])
    transport = httpx.ASGITransport(SecurityHeadersMiddleware(inner, hsts=True))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/register")

    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert len(response.headers.get_list("referrer-policy")) == 1


@pytest.fixture
def production_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run main.py outside demo mode, which turns HSTS on."""
    monkeypatch.setenv("BIEBVOUCHER_DEMO", "false")
    monkeypatch.setenv("BIEBVOUCHER_STORAGE_SECRET", "a-test-secret-that-is-long-enough-for-tests")
    get_settings.cache_clear()


def _add_failing_routes() -> None:
    def failing_page() -> None:
        ui.label("before the failure")
        raise RuntimeError("planned failure")

    def failing_route(request: Request) -> PlainTextResponse:
        raise RuntimeError("planned failure")

    ui.page("/test-failure")(failing_page)
    app.add_api_route("/test-failure-route", failing_route)


async def _in_process_get(path: str) -> httpx.Response:
    # raise_app_exceptions=False returns the 500 response that a browser would get.
    transport = httpx.ASGITransport(core.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


async def test_production_sends_hsts(production_settings):
    async with user_simulation(main_file=MAIN_FILE):
        response = await _in_process_get("/login")

    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    _assert_security_headers(response)


async def test_page_error_shows_no_trace(caplog):
    async with user_simulation(main_file=MAIN_FILE):
        _add_failing_routes()
        response = await _in_process_get("/test-failure")

    assert response.status_code == 500
    _assert_security_headers(response)
    assert "Er ging iets mis" in response.text
    for sign in STACK_TRACE_SIGNS:
        assert sign not in response.text
    assert "planned failure" in caplog.text


async def test_route_error_shows_no_trace():
    async with user_simulation(main_file=MAIN_FILE):
        _add_failing_routes()
        response = await _in_process_get("/test-failure-route")

    assert response.status_code == 500
    _assert_security_headers(response)
    assert response.headers["cache-control"] == "no-store"
    assert "Er ging iets mis" in response.text
    for sign in STACK_TRACE_SIGNS:
        assert sign not in response.text
