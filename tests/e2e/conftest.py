"""Fixtures for end-to-end tests: the app as a real server process, Debian's Chromium, demo logins.

Every test in this folder gets the `browser` marker, so `pytest -m "not browser"` skips them.
They run in their own pytest process because pytest-playwright's sync API keeps an event
loop running, which breaks NiceGUI's `user` fixture in later tests.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from services.demo import DEMO_PASSWORD

E2E_FOLDER = Path(__file__).resolve().parent
PROJECT_ROOT = E2E_FOLDER.parent.parent
ARTIFACT_FOLDER = PROJECT_ROOT / "test-artifacts" / "e2e"

CHROMIUM_PATH = "/usr/bin/chromium"
# Chromium refuses to start as root without --no-sandbox, and these tests may run as root in
# a container. The other flags stop Chromium from contacting Google's update and sync services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

SERVER_START_TIMEOUT_SECONDS = 30.0
SERVER_STOP_TIMEOUT_SECONDS = 10.0

INTERMEDIARY_EMAIL = "intermediair@demo.test"
DESK_EMAIL = "bibliotheek@demo.test"
# Names that the demo data gives the desk account and its library.
DESK_STAFF_NAME = "Bas Bibliotheek"
DESK_LIBRARY = "Bibliotheek Maastricht"

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
TABLET_PORTRAIT = {"viewport": {"width": 768, "height": 1024}, "has_touch": True}
TABLET_LANDSCAPE = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as `browser` before `-m` selects tests."""
    for item in items:
        if item.path.is_relative_to(E2E_FOLDER):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium, because `playwright install` cannot download a browser here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Give every browser context a Dutch locale and the Dutch time zone, as at a Limburg desk."""
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@dataclass(frozen=True)
class AppServer:
    """A running biebvoucher process with demo data."""

    url: str
    data_dir: Path

    @property
    def database_path(self) -> Path:
        return self.data_dir / "biebvoucher.sqlite3"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_environment(port: int, data_dir: Path) -> dict[str, str]:
    # NiceGUI 3.18 treats a set PYTEST_CURRENT_TEST as a screen test and then reads its port
    # from NICEGUI_SCREEN_TEST_PORT (a KeyError when missing), so neither reaches the server.
    # Inherited BIEBVOUCHER_* settings are dropped, and the empty database URL overrides one
    # from .env, so the server always uses a new SQLite file in `data_dir`.
    environment = {
        name: value
        for name, value in os.environ.items()
        if name != "PYTEST_CURRENT_TEST" and not name.startswith(("NICEGUI_", "BIEBVOUCHER_"))
    }
    environment.update(
        BIEBVOUCHER_PORT=str(port),
        BIEBVOUCHER_HOST="127.0.0.1",
        BIEBVOUCHER_DATA_DIR=str(data_dir),
        BIEBVOUCHER_DEMO="true",
        BIEBVOUCHER_DATABASE_URL="",
    )
    return environment


def _wait_until_serving(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"app server exited with code {process.returncode} before it answered HTTP. "
                f"Server log:\n{_tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2) as response:  # noqa: S310  (fixed http URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(
        f"timed out after {SERVER_START_TIMEOUT_SECONDS} s waiting for the app server at {url}/login. "
        f"Server log:\n{_tail(log_path)}"
    )


def _tail(log_path: Path, lines: int = 40) -> str:
    return "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """Start `main.py` in demo mode on a free port with its own data folder, and stop it afterwards."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = data_dir / "server-output.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "main.py"],
            cwd=PROJECT_ROOT,
            env=_server_environment(port, data_dir),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, url, log_path)
        yield AppServer(url=url, data_dir=data_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=SERVER_STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(app_server: AppServer) -> str:
    """Point pytest-playwright's contexts at the test server, so pages can use relative paths."""
    return app_server.url


@pytest.fixture(scope="session")
def artifact_folder() -> Path:
    """Create and return test-artifacts/e2e, the git-ignored folder for screenshots."""
    ARTIFACT_FOLDER.mkdir(parents=True, exist_ok=True)
    return ARTIFACT_FOLDER


@pytest.fixture(scope="session")
def claimed_codes() -> set[str]:
    """Codes already handed to a test in this run, so no two tests share a voucher."""
    return set()


@pytest.fixture
def issued_code(app_server: AppServer, claimed_codes: set[str]) -> Callable[[], str]:
    """Return a function that picks an issued, non-expiring demo voucher no other test has used.

    The server's SQLite file is opened read-only, which avoids a slow trip through the
    intermediary's pages for tests that only need some redeemable code.
    """

    def pick() -> str:
        connection = sqlite3.connect(f"file:{app_server.database_path}?mode=ro", uri=True)
        try:
            rows = connection.execute(
                "SELECT code FROM voucher WHERE status = 'issued' AND expires_on IS NULL ORDER BY id"
            ).fetchall()
        finally:
            connection.close()
        for (code,) in rows:
            if code not in claimed_codes:
                claimed_codes.add(code)
                return code
        pytest.fail(f"no unused issued voucher left in the demo data ({len(rows)} issued, all claimed)")

    return pick


def log_in(page: Page, email: str, path: str = "/", heading: str = "Voucheroverzicht") -> None:
    """Log in as a demo account through the login page and wait for the page at `path`."""
    page.goto(f"/login?redirect_to={path}")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def open_desk(page: Page) -> None:
    """Log in as library staff and wait for the desk page with its code field focused."""
    log_in(page, DESK_EMAIL, path="/check", heading="Vouchercode checken")
    expect(page.get_by_label("Vouchercode")).to_be_focused()
