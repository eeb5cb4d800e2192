"""Logging in with the code from the mail in a real browser, and the refusals on the way.

Each test uses its own demo account, because the server and its data are shared by the run.
"""

import re

from playwright.sync_api import Page, expect

from tests.app_server import AppServer
from tests.e2e.conftest import DESKTOP, LOGIN_CODE_SUBJECT, enter_password, mailed_code
from tests.e2e.server_data import execute, user_id
from tests.mail_server import MailCatcher

CODE_SENT = (
    "Als het e-mailadres en het wachtwoord kloppen, hebben we een code van 6 cijfers naar dat adres gestuurd. "
    "Typ die hier. De code werkt 10 minuten."
)
WRONG_CODE = "Verificatiecode klopt niet. Kijk naar de code in de nieuwste e-mail en typ hem opnieuw."


def _submit_code(page: Page, code: str) -> None:
    page.get_by_label("Verificatiecode").fill(code)
    page.get_by_role("button", name="Code bevestigen").click()


def _other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_code_from_mail_then_conduct_then_overview(new_context, mailbox: MailCatcher):
    email = "intermediair3@demo.test"
    page = new_context(**DESKTOP).new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?redirect_to=%2F$"))

    before = enter_password(page, mailbox, email)
    expect(page.get_by_text(CODE_SENT)).to_be_visible()
    expect(page.get_by_test_id("resend-cooldown")).to_have_text(re.compile(r"^Over \d+ seconden kunt u"))
    expect(page.get_by_role("button", name="Opnieuw versturen")).to_be_disabled()
    _submit_code(page, mailed_code(mailbox, email, before))

    expect(page).to_have_url(re.compile(r"/code-of-conduct\?redirect_to=%2F$"))
    expect(page.get_by_role("heading", name="Gedragscode", level=1, exact=True)).to_be_visible()
    expect(page.get_by_text("Vertrouwelijkheid")).to_be_visible()
    page.get_by_role("button", name="Ik accepteer de gedragscode").click()

    expect(page.get_by_role("heading", name="Voucheroverzicht", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))


def test_wrong_and_expired_code_rejected(new_context, mailbox: MailCatcher, app_server: AppServer):
    email = "balie2@demo.test"
    page = new_context(**DESKTOP).new_page()
    page.goto("/login")
    before = enter_password(page, mailbox, email)
    code = mailed_code(mailbox, email, before)

    _submit_code(page, _other_code(code))
    expect(page.get_by_test_id("code-error")).to_have_text(WRONG_CODE)

    execute(
        app_server,
        "UPDATE login_attempt SET code_sent_at = datetime(code_sent_at, '-11 minutes') WHERE user_id = ?",
        user_id(app_server, email),
    )
    _submit_code(page, code)
    expect(page.get_by_test_id("code-error")).to_have_text(
        "Verificatiecode is verlopen: een code werkt 10 minuten. Vraag een nieuwe code aan."
    )
    expect(page).to_have_url(re.compile(r"/login$"))


def test_sixth_code_in_an_hour_rejected(new_context, mailbox: MailCatcher, app_server: AppServer):
    email = "balie4@demo.test"
    page = new_context(**DESKTOP).new_page()
    page.goto("/login")
    enter_password(page, mailbox, email)
    # Four more codes in the same minute, as if "Opnieuw versturen" had been used four times.
    for _ in range(4):
        execute(
            app_server,
            "INSERT INTO sent_login_code (user_id, attempt_id, sent_at) "
            "SELECT user_id, attempt_id, sent_at FROM sent_login_code WHERE user_id = ? LIMIT 1",
            user_id(app_server, email),
        )
    page.get_by_role("button", name="Terug").click()

    page.get_by_label("Wachtwoord", exact=True).fill("Demo-wachtwoord-2026")
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_test_id("login-error")).to_have_text(
        re.compile(r"^U hebt in het afgelopen uur 5 codes aangevraagd, het maximum\. Probeer het opnieuw na .+\.$")
    )


def test_locked_account_rejected_and_owner_mailed(new_context, mailbox: MailCatcher):
    email = "balie3@demo.test"
    page = new_context(**DESKTOP).new_page()
    page.goto("/login")
    before = mailbox.count()
    for _ in range(10):
        enter_password(page, mailbox, email, password="geraden-wachtwoord")
        page.get_by_role("button", name="Terug").click()

    page.get_by_label("Wachtwoord", exact=True).fill("Demo-wachtwoord-2026")
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_test_id("login-error")).to_have_text(
        re.compile(r"^Te vaak mislukt inloggen met dit e-mailadres\. Probeer het opnieuw na .+\.$")
    )
    notice = mailbox.wait_for(email, "Inloggen bij biebvoucher is even geblokkeerd", before)
    assert "10 keer een verkeerd wachtwoord" in notice.get_body(preferencelist=("plain",)).get_content()
    assert [m for m in mailbox.messages_to(email, after=before) if m["Subject"] == LOGIN_CODE_SUBJECT] == []


def test_unknown_address_gets_same_answer(new_context, mailbox: MailCatcher):
    unknown = "niemand@demo.test"
    known = "balie2@demo.test"
    page = new_context(**DESKTOP).new_page()
    page.goto("/login")

    before = enter_password(page, mailbox, unknown)
    expect(page.get_by_text(CODE_SENT)).to_be_visible()
    _submit_code(page, "123456")
    expect(page.get_by_test_id("code-error")).to_have_text(WRONG_CODE)

    # A login with a known address afterwards, in a new page: once its mail has arrived, any
    # mail from the unknown address's step (queued earlier) would have arrived too.
    second = new_context(**DESKTOP).new_page()
    second.goto("/login")
    enter_password(second, mailbox, known)
    expect(second.get_by_text(CODE_SENT)).to_be_visible()
    mailed_code(mailbox, known, before)
    assert mailbox.messages_to(unknown, after=before) == []
