"""Fixtures for end-to-end tests: the app as a real server process, Debian's Chromium, demo logins.

Every test in this folder gets the `browser` marker, so `pytest -m "not browser"` skips them.
They run in their own pytest process because pytest-playwright's sync API keeps an event
loop running, which breaks NiceGUI's `user` fixture in later tests.
"""

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from services.demo import DEMO_PASSWORD
from tests.app_server import CHROMIUM_ARGS, CHROMIUM_PATH, AppServer, running_app_server
from tests.e2e.server_data import execute
from tests.login_mail import code_in_text
from tests.mail_helpers import body_text
from tests.mail_server import MailCatcher, running_mail_server

E2E_FOLDER = Path(__file__).resolve().parent
PROJECT_ROOT = E2E_FOLDER.parent.parent
ARTIFACT_FOLDER = PROJECT_ROOT / "test-artifacts" / "e2e"

INTERMEDIARY_EMAIL = "intermediair@demo.test"
DESK_EMAIL = "bibliotheek@demo.test"
# Names that the demo data gives the desk account and its library.
DESK_STAFF_NAME = "Bas Bibliotheek"
DESK_LIBRARY = "Bibliotheek Maastricht"

# Subject of the login-code mail in Dutch, the language of the demo accounts' logins here.
LOGIN_CODE_SUBJECT = "Uw verificatiecode voor biebvoucher"

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


@pytest.fixture(scope="session")
def mail_server() -> Iterator[tuple[MailCatcher, int]]:
    """Run the SMTP server on 127.0.0.1 that the app server sends its mail to."""
    with running_mail_server() as catcher_and_port:
        yield catcher_and_port


@pytest.fixture(scope="session")
def mailbox(mail_server: tuple[MailCatcher, int]) -> MailCatcher:
    """Return every mail the app server has sent in this test run."""
    return mail_server[0]


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, mail_server: tuple[MailCatcher, int]) -> Iterator[AppServer]:
    """Start `main.py` in demo mode on a free port with its own data folder and the test SMTP server."""
    try:
        with running_app_server(tmp_path_factory.mktemp("e2e-data"), smtp_port=mail_server[1]) as server:
            yield server
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(autouse=True)
def fresh_login_limits(request: pytest.FixtureRequest) -> None:
    """Start each test on the shared server with no codes sent, no failed passwords counted and
    no stored language.

    The tests log in as the same few demo accounts far more often than a person would, so the
    limit of 5 codes per hour per account and the throttles would otherwise stop later tests.
    A test that switches a logged-in user to English stores that choice, and the next test would
    then get its login mail in English.
    """
    if "app_server" not in request.fixturenames:
        return
    server: AppServer = request.getfixturevalue("app_server")
    execute(server, "DELETE FROM sent_login_code")
    execute(server, "DELETE FROM login_throttle")
    execute(server, "UPDATE user_account SET locale = NULL")


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


def enter_password(page: Page, mailbox: MailCatcher, email: str, password: str = DEMO_PASSWORD) -> int:
    """Fill in the password step and wait for the code step; returns the mail count from before."""
    before = mailbox.count()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Verificatiecode", level=1)).to_be_visible()
    return before


def mailed_code(mailbox: MailCatcher, email: str, after: int) -> str:
    """Wait for the login-code mail to `email` and return its code."""
    return code_in_text(body_text(mailbox.wait_for(email, LOGIN_CODE_SUBJECT, after)))


def log_in(page: Page, mailbox: MailCatcher, email: str, path: str = "/", heading: str = "Voucheroverzicht") -> None:
    """Log in as a demo account with password and mailed code, accept the code of conduct if asked,
    and wait for the page at `path`."""
    page.goto(f"/login?redirect_to={path}")
    before = enter_password(page, mailbox, email)
    page.get_by_label("Verificatiecode").fill(mailed_code(mailbox, email, before))
    page.get_by_role("button", name="Code bevestigen").click()
    page.wait_for_url(lambda url: "/login" not in url and "/auth/" not in url)
    if "/code-of-conduct" in page.url:
        page.get_by_role("button", name="Ik accepteer de gedragscode").click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def open_desk(page: Page, mailbox: MailCatcher) -> None:
    """Log in as library staff and wait for the desk page with its code field focused."""
    log_in(page, mailbox, DESK_EMAIL, path="/check", heading="Vouchercode checken")
    expect(page.get_by_label("Vouchercode")).to_be_focused()
