"""Session identifiers and cookies in a real browser: replaced at login, useless after logout."""

import base64
import json
import re

from playwright.sync_api import BrowserContext, expect

from tests.app_server import AppServer
from tests.e2e.conftest import DESKTOP, log_in
from tests.e2e.server_data import execute
from tests.mail_server import MailCatcher

BROWSER_COOKIE = "biebvoucher_browser"
SESSION_COOKIE = "biebvoucher_session"


def _cookies(context: BrowserContext) -> dict[str, dict]:
    return {cookie["name"]: cookie for cookie in context.cookies()}


def _browser_id(context: BrowserContext) -> str:
    # Starlette's session cookie is base64(JSON) followed by a timestamp and a signature.
    payload = _cookies(context)[BROWSER_COOKIE]["value"].split(".")[0]
    return json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))["id"]


def test_login_replaces_browser_id_and_session_cookie(new_context, mailbox: MailCatcher):
    context = new_context(**DESKTOP)
    page = context.new_page()
    page.goto("/login")
    id_before = _browser_id(context)
    assert SESSION_COOKIE not in _cookies(context)

    log_in(page, mailbox, "beheerder@demo.test")
    id_after_first = _browser_id(context)
    first_token = _cookies(context)[SESSION_COOKIE]["value"]
    page.goto("/logout")
    log_in(page, mailbox, "beheerder@demo.test")

    assert id_after_first != id_before
    assert _browser_id(context) not in {id_before, id_after_first}
    assert _cookies(context)[SESSION_COOKIE]["value"] != first_token


def test_session_cookie_flags(new_context, mailbox: MailCatcher):
    context = new_context(**DESKTOP)
    log_in(context.new_page(), mailbox, "beheerder@demo.test")

    cookie = _cookies(context)[SESSION_COOKIE]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    # The demo runs on plain http; outside demo mode the cookie is Secure.
    assert cookie["secure"] is False


def test_cookie_replayed_after_logout_gets_login(new_context, mailbox: MailCatcher):
    context = new_context(**DESKTOP)
    page = context.new_page()
    log_in(page, mailbox, "beheerder@demo.test")
    saved = context.cookies()
    page.goto("/logout")

    replay = new_context(**DESKTOP)
    replay.add_cookies(saved)
    replayed_page = replay.new_page()
    replayed_page.goto("/")

    expect(replayed_page).to_have_url(re.compile(r"/login\?redirect_to=%2F$"))
    expect(replayed_page.get_by_role("heading", name="Inloggen", level=1)).to_be_visible()


def test_open_page_after_logout_elsewhere_goes_to_login(new_context, mailbox: MailCatcher):
    context = new_context(**DESKTOP)
    overview = context.new_page()
    log_in(overview, mailbox, "beheerder@demo.test")
    expect(overview.get_by_test_id("voucher-link").first).to_be_visible()

    context.new_page().goto("/logout")
    overview.get_by_label("Zoeken op code of houder").fill("123")

    expect(overview).to_have_url(re.compile(r"/login\?redirect_to=%2F$"))
    expect(overview.get_by_role("heading", name="Inloggen", level=1)).to_be_visible()


def test_cookie_replayed_after_deactivation_gets_login(new_context, mailbox: MailCatcher, app_server: AppServer):
    email = "intermediair2@demo.test"
    context = new_context(**DESKTOP)
    page = context.new_page()
    log_in(page, mailbox, email)
    saved = context.cookies()

    assert execute(app_server, "UPDATE user_account SET active = 0 WHERE email = ?", email) == 1
    replay = new_context(**DESKTOP)
    replay.add_cookies(saved)
    replayed_page = replay.new_page()
    replayed_page.goto("/")

    expect(replayed_page).to_have_url(re.compile(r"/login\?redirect_to=%2F$"))
    page.get_by_label("Zoeken op code of houder").fill("123")
    expect(page).to_have_url(re.compile(r"/login\?redirect_to=%2F$"))
