"""Logging in through a real browser: the redirect for logged-out visitors and a wrong password."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, INTERMEDIARY_EMAIL, enter_password


def test_logged_out_overview_redirects_to_login(new_context):
    page = new_context(**DESKTOP).new_page()

    page.goto("/")

    expect(page).to_have_url(re.compile(r"/login\?redirect_to=%2F$"))
    expect(page.get_by_role("heading", name="Inloggen", level=1)).to_be_visible()
    expect(page.get_by_text("Voucheroverzicht")).to_have_count(0)


def test_wrong_password_keeps_email(new_context, mailbox):
    page = new_context(**DESKTOP).new_page()
    page.goto("/login")

    before = enter_password(page, mailbox, INTERMEDIARY_EMAIL, password="niet-het-wachtwoord")
    page.get_by_role("button", name="Terug").click()

    email = page.get_by_label("E-mailadres")
    expect(email).to_have_value(INTERMEDIARY_EMAIL)
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_value("")
    expect(page).to_have_url(re.compile(r"/login$"))
    assert mailbox.messages_to(INTERMEDIARY_EMAIL, after=before) == []


def test_show_password_by_keyboard(new_context):
    page = new_context(**DESKTOP).new_page()
    page.goto("/login")
    password = page.get_by_label("Wachtwoord", exact=True)
    password.fill("geheim wachtwoord")

    page.keyboard.press("Tab")
    toggle = page.get_by_role("button", name="Wachtwoord tonen")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(password).to_have_attribute("type", "text")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    expect(password).to_have_attribute("type", "password")
