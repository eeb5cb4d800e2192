"""Invitation and registration in a real browser, with the mail delivered to a real SMTP server.

The app runs as its own server process here, configured to send mail by SMTP (without TLS)
to an aiosmtpd server that this module starts on 127.0.0.1.
"""

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.app_server import AppServer, running_app_server
from tests.e2e.conftest import DESKTOP, log_in
from tests.mail_helpers import body_text, link_in
from tests.mail_server import MailCatcher, running_mail_server

ADMIN_EMAIL = "beheerder@demo.test"
ORGANISATION = "Voedselbank Maastricht"
NEW_PASSWORD = "fietsen langs de maas in mei"
# The delivery loop looks for due mail every second; this leaves room for a slow machine.
MAIL_WAIT_SECONDS = 20


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[MailCatcher, int]]:
    with running_mail_server() as server:
        yield server


@pytest.fixture(scope="module")
def mailing_app(smtp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """Run the app with SMTP delivery to the test's mail server."""
    _handler, port = smtp
    settings = {
        "BIEBVOUCHER_SMTP_HOST": "127.0.0.1",
        "BIEBVOUCHER_SMTP_PORT": str(port),
        "BIEBVOUCHER_SMTP_SECURITY": "none",
    }
    try:
        with running_app_server(tmp_path_factory.mktemp("e2e-signup"), settings) as server:
            yield server
    except RuntimeError as error:
        pytest.fail(str(error))
    assert server.error_lines() == []


@pytest.fixture
def open_page(browser: Browser, mailing_app: AppServer) -> Iterator[Callable[[], Page]]:
    """Return a function that opens a page in a new browser context of the mailing app.

    pytest-playwright's `new_context` always sets the shared demo server as base URL, so the
    contexts are made here with the same locale and time zone as tests/e2e/conftest.py sets.
    """
    contexts: list[BrowserContext] = []

    def new_page() -> Page:
        context = browser.new_context(
            base_url=mailing_app.url, locale="nl-NL", timezone_id="Europe/Amsterdam", **DESKTOP
        )
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def _invite(page: Page, mailbox: MailCatcher, email: str) -> None:
    log_in(page, mailbox, ADMIN_EMAIL, path="/admin/invitations", heading="Uitnodigingen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Rol").click()
    page.get_by_role("option", name="Intermediair").click()
    page.get_by_label("Organisatie").click()
    page.get_by_role("option", name=ORGANISATION, exact=True).click()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text(f"Uitnodiging verstuurd naar {email}.")).to_be_visible()
    expect(page.get_by_text(email, exact=True)).to_be_visible()


def _wait_for_mail(mailbox: MailCatcher, email: str) -> EmailMessage:
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while time.monotonic() < deadline:
        for message in reversed(mailbox.messages_to(email)):
            return message
        time.sleep(0.2)
    pytest.fail(f"no mail to {email} arrived at the SMTP server within {MAIL_WAIT_SECONDS} s")


def _invitation_link(open_page, smtp, email: str) -> str:
    _invite(open_page(), smtp[0], email)
    message = _wait_for_mail(smtp[0], email)
    assert message["Subject"] == "Uitnodiging voor biebvoucher"
    link = link_in(body_text(message, "plain"))
    assert link in body_text(message, "html").replace("&amp;", "&")
    return link


def _fill_registration(page: Page, name: str, password: str) -> None:
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_label("Herhaal wachtwoord").fill(password)
    page.get_by_role("button", name="Account aanmaken").click()


def test_invite_register_then_login_page(open_page, smtp, mailing_app):
    email = "nina.nieuw@demo.test"
    link = _invitation_link(open_page, smtp, email)

    page = open_page()
    response = page.goto(link)

    expect(page).to_have_url(re.compile(r"/register$"))
    assert response is not None
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.response().headers["referrer-policy"] == "no-referrer"
    expect(page.get_by_text(f"U bent uitgenodigd als Intermediair bij {ORGANISATION}.")).to_be_visible()
    expect(page.get_by_label("E-mailadres")).to_have_value(email)

    _fill_registration(page, "Nina Nieuw", NEW_PASSWORD)

    expect(page).to_have_url(re.compile(r"/login\?notice=registered$"))
    expect(page.get_by_text("Uw account is aangemaakt. Log in met uw e-mailadres en wachtwoord.")).to_be_visible()
    expect(page.get_by_role("heading", name="Inloggen", level=1)).to_be_visible()


def test_reused_link_explained(open_page, smtp):
    email = "rik.hergebruik@demo.test"
    link = _invitation_link(open_page, smtp, email)
    page = open_page()
    page.goto(link)
    _fill_registration(page, "Rik Hergebruik", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/login\?notice=registered$"))

    page.goto(link)

    expect(page.get_by_test_id("link-error")).to_have_text(
        "Deze uitnodiging is al gebruikt om een account aan te maken. Log in met uw e-mailadres en wachtwoord."
    )
    expect(page.get_by_role("button", name="Account aanmaken")).to_have_count(0)


def test_expired_link_explained(open_page, smtp, mailing_app):
    email = "eva.verlopen@demo.test"
    link = _invitation_link(open_page, smtp, email)
    # Seven days cannot pass in a test, so the invitation's end moves into the past in the server's database.
    connection = sqlite3.connect(mailing_app.database_path)
    try:
        with connection:
            connection.execute(
                "UPDATE invitation SET expires_at = '2026-01-05 10:00:00.000000' WHERE email = ?", (email,)
            )
    finally:
        connection.close()
    page = open_page()

    page.goto(link)

    expect(page.get_by_test_id("link-error")).to_have_text(
        re.compile(r"^Deze uitnodiging is verlopen op 5 januari 2026, 11:00\. Vraag de beheerder")
    )
    expect(page.get_by_role("button", name="Account aanmaken")).to_have_count(0)


def test_weak_password_rejected(open_page, smtp):
    email = "willem.zwak@demo.test"
    link = _invitation_link(open_page, smtp, email)
    page = open_page()
    page.goto(link)

    _fill_registration(page, "Willem Zwak", "qwerty123456")

    # The message shows once, below the password field, and not again in the form's alert line.
    expect(
        page.get_by_role("alert").filter(
            has_text="Wachtwoord staat op een lijst van veelgebruikte wachtwoorden, die als eerste worden geraden. "
            "Kies een ander wachtwoord."
        )
    ).to_have_count(1)
    expect(page.get_by_test_id("register-error")).to_be_empty()
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Willem Zwak")
    expect(page).to_have_url(re.compile(r"/register$"))
