from nicegui.testing import User

from tests.ui.conftest import enter_password, last_mail_id, log_in, login_code_for


async def test_overview_requires_login(user: User):
    await user.open("/")

    await user.should_see("Inloggen")
    await user.should_see("Demo: alleen testgegevens. Vul geen echte persoonsgegevens in.")


async def test_login_as_intermediary_shows_overview(user: User):
    await log_in(user, "intermediair@demo.test")

    await user.should_see("Voucheroverzicht")
    await user.should_see("Vouchers aanmaken")
    await user.should_not_see("Vouchercode checken")


async def test_wrong_password_gets_code_page_without_mail(user: User):
    await user.open("/login")
    before = await enter_password(user, "intermediair@demo.test", password="wrong password")

    await user.should_see("Verificatiecode")
    assert last_mail_id() == before
    user.find(marker="code-back").click()
    assert user.find(marker="login-email").elements.pop().value == "intermediair@demo.test"


async def test_unknown_account_gets_same_code_page(user: User):
    await user.open("/login")
    before = await enter_password(user, "nobody@demo.test")

    await user.should_see(
        "Als het e-mailadres en het wachtwoord kloppen, hebben we een code van 6 cijfers naar dat adres gestuurd. "
        "Typ die hier. De code werkt 10 minuten."
    )
    assert last_mail_id() == before
    user.find(marker="login-code").type("123456")
    user.find(marker="code-submit").click()
    await user.should_see("Verificatiecode klopt niet. Kijk naar de code in de nieuwste e-mail en typ hem opnieuw.")


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

    before = await enter_password(user, "bibliotheek@demo.test")
    await user.should_see("Verification code")
    user.find(marker="login-code").type(await login_code_for("bibliotheek@demo.test", before))
    user.find(marker="code-submit").click()
    await user.should_see("I accept the code of conduct")
    user.find(marker="conduct-accept").click()

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


async def test_show_password_button_toggles(user: User):
    await user.open("/login")
    await user.should_see(marker="login-password")
    field = user.find(marker="login-password").elements.pop()
    toggle = user.find(marker="password-toggle").elements.pop()

    assert toggle.props["aria-label"] == "Wachtwoord tonen"
    assert toggle.props["aria-pressed"] == "false"
    user.find(marker="password-toggle").click()
    assert field.props["type"] == "text"
    assert toggle.props["aria-pressed"] == "true"
    user.find(marker="password-toggle").click()
    assert field.props["type"] == "password"
    assert toggle.props["aria-pressed"] == "false"
