from nicegui import ui
from nicegui.testing import User

from tests.ui.conftest import log_in


async def test_overview_requires_login(user: User):
    await user.open("/")

    await user.should_see("Inloggen")
    await user.should_see("Demo: alleen testgegevens. Vul geen echte persoonsgegevens in.")


async def test_login_as_intermediary_shows_overview(user: User):
    await log_in(user, "intermediair@demo.test")

    await user.should_see("Voucheroverzicht")
    await user.should_see("Vouchers aanmaken")
    await user.should_not_see("Vouchercode checken")


async def test_wrong_password_keeps_email(user: User):
    await user.open("/login")
    user.find("E-mailadres").type("intermediair@demo.test")
    user.find(kind=ui.input, content="Wachtwoord").type("wrong password")
    user.find(marker="login-submit").click()

    await user.should_see("E-mailadres of wachtwoord is onjuist. Controleer beide en probeer het opnieuw.")
    assert user.find(marker="login-email").elements.pop().value == "intermediair@demo.test"


async def test_unknown_account_same_message(user: User):
    await user.open("/login")
    user.find("E-mailadres").type("nobody@demo.test")
    user.find(kind=ui.input, content="Wachtwoord").type("Demo-wachtwoord-2026")
    user.find(marker="login-submit").click()

    await user.should_see("E-mailadres of wachtwoord is onjuist. Controleer beide en probeer het opnieuw.")


async def test_expired_handoff_asks_to_log_in_again(user: User):
    await user.open("/auth/complete?handoff=not-a-real-handoff")

    await user.should_see("Het inloggen duurde te lang. Log opnieuw in.")


async def test_logout_ends_session(user: User):
    await log_in(user, "bibliotheek@demo.test")
    await user.should_see("Vouchercode checken")

    await user.open("/logout")
    await user.open("/")

    await user.should_see("Inloggen")
    await user.should_not_see("Voucheroverzicht")


async def test_english_switch_translates_login(user: User):
    await user.open("/login")

    user.find("English").click()

    await user.should_see("Log in")
    await user.should_see("E-mail address")
    await user.should_see("Nederlands")


async def test_english_choice_survives_login(user: User):
    await user.open("/login")
    user.find("English").click()
    await user.should_see("E-mail address")

    user.find("E-mail address").type("bibliotheek@demo.test")
    user.find(kind=ui.input, content="Password").type("Demo-wachtwoord-2026")
    user.find(marker="login-submit").click()

    await user.should_see("Voucher overview")
    await user.should_see("Check voucher code")


async def test_language_link_stays_on_site(user: User):
    await user.open("/language/en?next=//elsewhere.example/")

    await user.should_see("Log in")


async def test_unknown_language_falls_back_to_dutch(user: User):
    await user.open("/language/xx?next=/login")

    await user.should_see("Inloggen")


async def test_empty_login_asks_for_both_fields(user: User):
    await user.open("/login")

    user.find(marker="login-submit").click()

    await user.should_see("E-mailadres of wachtwoord is leeg. Vul beide in om in te loggen.")


async def test_reconnect_notice_is_dutch(user: User):
    from nicegui.translations import translations

    await user.open("/login")

    assert translations["nl"]["connection_lost"] == "Verbinding verbroken."
