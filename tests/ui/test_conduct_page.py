"""The code-of-conduct gate after login and its administration page."""

from nicegui.testing import User
from sqlmodel import select

from models import ConductAcceptance
from services.db import read_session
from tests.ui.conftest import enter_password, log_in, login_code_for, table_rows, wait_for

INTERMEDIARY = "intermediair@demo.test"


async def _log_in_without_accepting(user: User, email: str = INTERMEDIARY, path: str = "/") -> None:
    await user.open(f"/login?redirect_to={path}")
    before = await enter_password(user, email)
    user.find(marker="login-code").type(await login_code_for(email, before))
    user.find(marker="code-submit").click()
    await user.should_see(marker="conduct-accept")


async def test_gate_shows_current_version(user: User):
    await _log_in_without_accepting(user)

    await user.should_see("Gedragscode")
    await user.should_see(marker="conduct-text")
    assert user.find(marker="conduct-version").elements.pop().text.startswith("Versie 1, gepubliceerd op ")
    await user.should_not_see(marker="conduct-new-version")


async def test_every_page_goes_to_gate_until_accepted(user: User):
    await _log_in_without_accepting(user)

    for path in ("/", "/check", "/vouchers/1", "/admin/code-of-conduct"):
        await user.open(path)
        await user.should_see(marker="conduct-accept")


async def test_accepting_opens_requested_page(user: User):
    await _log_in_without_accepting(user, email="bibliotheek@demo.test", path="/check")

    user.find(marker="conduct-accept").click()

    await user.should_see(marker="code-input")
    with read_session() as session:
        assert len(session.exec(select(ConductAcceptance)).all()) == 1


async def test_gate_after_acceptance_says_accepted(user: User):
    await log_in(user, INTERMEDIARY)

    await user.open("/code-of-conduct")

    await user.should_see("U hebt deze versie geaccepteerd.")


async def test_admin_page_lists_acceptances(user: User):
    await log_in(user, INTERMEDIARY)
    await user.open("/logout")
    await log_in(user, "beheerder@demo.test")

    await user.open("/admin/code-of-conduct")

    rows = {row["email"]: row for row in table_rows(user, marker="conduct-acceptances")}
    assert rows[INTERMEDIARY]["version"] == 1
    assert rows[INTERMEDIARY]["current"] == "ja"
    assert rows["beheerder@demo.test"]["version"] == 1
    assert rows["intermediair2@demo.test"]["version"] == ""
    assert rows["intermediair2@demo.test"]["current"] == "nee"


async def test_admin_publishes_new_version_with_preview(user: User):
    await log_in(user, "beheerder@demo.test")
    await user.open("/admin/code-of-conduct")

    editor = user.find(marker="conduct-editor").elements.pop()
    editor.set_value("# Versie twee\n\nNieuwe afspraken.")
    preview = user.find(marker="conduct-preview").elements.pop()
    await wait_for(lambda: "Nieuwe afspraken." in preview.content)
    user.find(marker="conduct-publish").click()
    await user.should_see("Versie 2 publiceren?")
    await user.should_see("moet elke gebruiker versie 2 accepteren voordat hij verder kan werken")
    user.find(marker="confirm-button").click()

    await user.should_see(marker="conduct-published")
    await user.should_see("Versie 2 van de gedragscode is gepubliceerd.")
    await wait_for(lambda: [row["version"] for row in table_rows(user, marker="conduct-versions")] == [2, 1])
    await user.should_see("Publiceren als versie 3")


async def test_admin_cancel_publishes_nothing(user: User):
    await log_in(user, "beheerder@demo.test")
    await user.open("/admin/code-of-conduct")

    user.find(marker="conduct-editor").elements.pop().set_value("Versie twee")
    user.find(marker="conduct-publish").click()
    await user.should_see(marker="confirm-button")
    user.find("Annuleren").click()

    await user.should_not_see(marker="confirm-button")
    await user.should_not_see(marker="conduct-published")
    assert [row["version"] for row in table_rows(user, marker="conduct-versions")] == [1]
    assert user.find(marker="conduct-editor").elements.pop().value == "Versie twee"


async def test_admin_unchanged_text_rejected(user: User):
    await log_in(user, "beheerder@demo.test")
    await user.open("/admin/code-of-conduct")

    user.find(marker="conduct-editor").elements.pop().value += "\n"
    user.find(marker="conduct-publish").click()

    await user.should_see(
        "De tekst van de gedragscode is gelijk aan de huidige versie 1. "
        "Wijzig de tekst voordat u een nieuwe versie publiceert."
    )
    await user.should_not_see(marker="confirm-button")
    assert [row["version"] for row in table_rows(user, marker="conduct-versions")] == [1]


async def test_admin_empty_text_rejected(user: User):
    await log_in(user, "beheerder@demo.test")
    await user.open("/admin/code-of-conduct")

    user.find(marker="conduct-editor").elements.pop().set_value("  ")
    user.find(marker="conduct-publish").click()

    await user.should_see("De tekst van de gedragscode is leeg. Schrijf de tekst voordat u publiceert.")


async def test_gate_names_new_version(user: User):
    from services.conduct import publish_conduct
    from tests.ui.test_login_code_page import _account_id

    await log_in(user, INTERMEDIARY)
    publish_conduct(actor_id=_account_id("beheerder@demo.test"), text="# Versie twee\n\nNieuwe afspraken.")

    await user.open("/code-of-conduct")

    notice = user.find(marker="conduct-new-version").elements.pop().text
    assert notice.startswith("Dit is een nieuwe versie van de gedragscode: versie 2, gepubliceerd op ")
    assert notice.endswith("Eerder accepteerde u versie 1.")
    assert "conduct-markdown" in user.find(marker="conduct-text").elements.pop().classes


async def test_new_version_sends_open_page_to_gate(user: User):
    from services.conduct import publish_conduct
    from tests.ui.test_login_code_page import _account_id

    await log_in(user, INTERMEDIARY)
    await wait_for(lambda: len(table_rows(user)) > 0)
    publish_conduct(actor_id=_account_id("beheerder@demo.test"), text="Versie twee")

    user.find("Zoeken op code of houder").type("123")

    await user.should_see(marker="conduct-accept")


async def test_non_administrator_cannot_manage(user: User):
    await log_in(user, INTERMEDIARY)

    await user.open("/admin/code-of-conduct")

    await user.should_see("Alleen beheerders kunnen de gedragscode beheren.")
    await user.should_not_see(marker="conduct-publish")
