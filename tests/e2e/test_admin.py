"""Administration pages in a real browser, with the Content-Security-Policy the server sends."""

import re

from playwright.sync_api import ConsoleMessage, Page, expect

from tests.e2e.conftest import DESKTOP, log_in

ADMIN_EMAIL = "beheerder@demo.test"


def _collect_console(page: Page) -> list[str]:
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages


def _csp_violations(messages: list[str]) -> list[str]:
    return [text for text in messages if "Content Security Policy" in text]


def test_admin_pages_work_under_csp(new_context, mailbox):
    page = new_context(**DESKTOP).new_page()
    messages = _collect_console(page)
    log_in(page, mailbox, ADMIN_EMAIL)

    page.get_by_role("button", name="Beheer").click()
    expect(page.get_by_role("heading", name="Beheer", level=1)).to_be_visible()
    page.get_by_role("link", name=re.compile("^Organisaties")).click()
    expect(page.get_by_role("heading", name="Organisaties", level=1)).to_be_visible()
    page.get_by_label("Naam").fill("Bibliotheek Sittard")
    page.get_by_label("Soort").click()
    page.get_by_role("option", name="Bibliotheek").click()
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("cell", name="Bibliotheek Sittard", exact=True)).to_be_visible()

    page.goto("/admin/users")
    expect(page.get_by_role("heading", name="Gebruikers", level=1)).to_be_visible()
    page.get_by_label("Zoek op naam of e-mail").fill("intermediair@demo.test")
    expect(page.get_by_role("cell", name="Ingrid Intermediair")).to_be_visible()
    # The search applies after a short pause, so wait until only her row is left.
    expect(page.get_by_role("button", name="Rol wijzigen")).to_have_count(1)
    page.get_by_role("button", name="Rol wijzigen").click()
    expect(page.get_by_role("heading", name="Rol van Ingrid Intermediair")).to_be_visible()
    page.get_by_role("button", name="Annuleren").click()

    assert _csp_violations(messages) == []


def test_document_sends_csp(new_context):
    page = new_context(**DESKTOP).new_page()

    response = page.goto("/login")

    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_not_found_page_in_frame(new_context):
    page = new_context(**DESKTOP).new_page()
    messages = _collect_console(page)

    response = page.goto("/bestaat-niet")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Pagina niet gevonden", level=1)).to_be_visible()
    page.get_by_role("link", name="Naar de startpagina").click()
    expect(page.get_by_role("heading", name="Inloggen", level=1)).to_be_visible()
    assert _csp_violations(messages) == []
