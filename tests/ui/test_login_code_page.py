"""The code step of the login page, its refusals, and actions on a page whose session has ended."""

from datetime import timedelta

from nicegui import ui
from nicegui.testing import User
from sqlalchemy import update
from sqlmodel import select

from models import AuthSession, LoginAttempt, SentLoginCode
from models import User as Account
from services.clock import utc_now
from services.db import read_session, write_session
from services.demo import DEMO_PASSWORD
from services.login import start_login
from tests.ui.conftest import enter_password, log_in, login_code_for, table_rows, wait_for

INTERMEDIARY = "intermediair@demo.test"


def _account_id(email: str) -> int:
    with read_session() as session:
        return session.exec(select(Account.id).where(Account.email == email)).one()


async def _open_code_step(user: User, email: str = INTERMEDIARY) -> int:
    await user.open("/login")
    return await enter_password(user, email)


async def test_code_from_mail_logs_in(user: User):
    before = await _open_code_step(user)

    user.find(marker="login-code").type(await login_code_for(INTERMEDIARY, before))
    user.find(marker="code-submit").click()

    await user.should_see("Ik accepteer de gedragscode")


async def test_wrong_code_explained(user: User):
    before = await _open_code_step(user)
    code = await login_code_for(INTERMEDIARY, before)

    user.find(marker="login-code").type(f"{(int(code) + 1) % 1_000_000:06d}")
    user.find(marker="code-submit").click()

    await user.should_see("Verificatiecode klopt niet. Kijk naar de code in de nieuwste e-mail en typ hem opnieuw.")


async def test_empty_code_explained(user: User):
    await _open_code_step(user)

    user.find(marker="code-submit").click()

    await user.should_see("Verificatiecode is leeg. Typ de 6 cijfers uit de e-mail.")


async def test_short_code_explained(user: User):
    await _open_code_step(user)

    user.find(marker="login-code").type("1234")
    user.find(marker="code-submit").click()

    await user.should_see("Verificatiecode moet 6 cijfers hebben. Typ de code uit de e-mail.")


async def test_expired_code_explained(user: User):
    before = await _open_code_step(user)
    code = await login_code_for(INTERMEDIARY, before)
    with write_session() as session:
        session.exec(update(LoginAttempt).values(code_sent_at=utc_now() - timedelta(minutes=11)))

    user.find(marker="login-code").type(code)
    user.find(marker="code-submit").click()

    await user.should_see("Verificatiecode is verlopen: een code werkt 10 minuten. Vraag een nieuwe code aan.")


async def test_fifth_wrong_code_blocks_code(user: User):
    before = await _open_code_step(user)
    code = await login_code_for(INTERMEDIARY, before)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for count in range(1, 6):
        user.find(marker="login-code").elements.pop().set_value(wrong)
        user.find(marker="code-submit").click()
        await wait_for(lambda count=count: _code_failures() == count)

    await user.should_see(
        "Verificatiecode is 5 keer verkeerd getypt en werkt daarom niet meer. Vraag een nieuwe code aan."
    )


def _code_failures() -> int:
    with read_session() as session:
        return session.exec(select(LoginAttempt.code_failures)).one()


async def test_resend_cooldown_visible(user: User):
    await _open_code_step(user)

    await user.should_see(marker="resend-cooldown")
    cooldown = user.find(marker="resend-cooldown").elements.pop().text
    assert cooldown.startswith("Over ")
    assert cooldown.endswith(" seconden kunt u een nieuwe code aanvragen.")
    assert not user.find(marker="code-resend").elements.pop().enabled


async def test_sixth_code_in_an_hour_explained(user: User):
    account_id = _account_id(INTERMEDIARY)
    with write_session() as session:
        attempt = LoginAttempt(attempt_hash="0" * 64, created_at=utc_now(), expires_at=utc_now(), user_id=account_id)
        session.add(attempt)
        session.flush()
        for minutes in range(5):
            sent_at = utc_now() - timedelta(minutes=50 - minutes)
            session.add(SentLoginCode(user_id=account_id, attempt_id=attempt.id, sent_at=sent_at))

    await user.open("/login")
    user.find(marker="login-email").type(INTERMEDIARY)
    user.find(marker="login-password").type(DEMO_PASSWORD)
    user.find(marker="login-submit").click()

    await user.should_see(marker="login-error")
    await wait_for(lambda: "U hebt in het afgelopen uur 5 codes aangevraagd" in _error_text(user))
    assert "Probeer het opnieuw na" in _error_text(user)


def _error_text(user: User) -> str:
    return user.find(marker="login-error").elements.pop().text


async def test_locked_account_explained(user: User):
    for _ in range(10):
        start_login(email=INTERMEDIARY, password="wrong password")

    await user.open("/login")
    user.find(marker="login-email").type(INTERMEDIARY)
    user.find(marker="login-password").type(DEMO_PASSWORD)
    user.find(marker="login-submit").click()

    await wait_for(lambda: _error_text(user).startswith("Te vaak mislukt inloggen met dit e-mailadres."))


async def test_back_keeps_email(user: User):
    await _open_code_step(user)

    user.find(marker="code-back").click()

    assert user.find(marker="login-email").elements.pop().value == INTERMEDIARY
    await user.should_see(marker="login-submit")


async def _overview_of_ended_session(user: User, change) -> None:
    await log_in(user, "beheerder@demo.test")
    await wait_for(lambda: len(table_rows(user)) > 0)
    with write_session() as session:
        change(session)

    user.find(kind=ui.select, content="Status").elements.pop().set_value("redeemed")

    await user.should_see(marker="login-submit")


async def test_action_after_logout_goes_to_login(user: User):
    await _overview_of_ended_session(user, lambda session: session.exec(update(AuthSession).values(ended_at=utc_now())))


async def test_action_after_idle_limit_goes_to_login(user: User):
    idle_since = utc_now() - timedelta(minutes=31)
    await _overview_of_ended_session(
        user, lambda session: session.exec(update(AuthSession).values(last_seen_at=idle_since))
    )


async def test_action_after_deactivation_goes_to_login(user: User):
    account_id = _account_id("beheerder@demo.test")
    await _overview_of_ended_session(
        user, lambda session: session.exec(update(Account).where(Account.id == account_id).values(active=False))
    )
