import pytest
from nicegui import ui
from nicegui.testing import User

from tests.ui.conftest import log_in

ROLE_PAGES = [
    ("intermediair@demo.test", "Handleiding voor de intermediair", "/help/img/intermediair-aanmaken.png"),
    ("bibliotheek@demo.test", "Handleiding voor de bibliotheekmedewerker", "/help/img/balie-ingenomen.png"),
    ("beheerder@demo.test", "Handleiding voor de beheerder", "/help/img/beheerder-vergoeding.png"),
]


def help_text(user: User) -> str:
    (markdown,) = user.find(marker="help-text").elements
    assert isinstance(markdown, ui.markdown)
    return markdown.content


@pytest.mark.parametrize(("email", "title", "image"), ROLE_PAGES)
async def test_help_menu_opens_role_page(user: User, email, title, image):
    await log_in(user, email)

    user.find(marker="help-manual").click()

    await user.should_see(title)
    assert f"]({image})" in help_text(user)


async def test_help_menu_opens_general_page(user: User):
    await log_in(user, "intermediair@demo.test")

    user.find(marker="help-general").click()

    await user.should_see("Handleiding biebvoucher")
    text = help_text(user)
    assert "](/help/img/inloggen.png)" in text
    assert "](/help/beheerder)" in text


async def test_login_page_links_to_manual(user: User):
    await user.open("/login")

    (link,) = user.find(marker="help-link").elements

    assert isinstance(link, ui.link)
    assert link.props["href"] == "/help"


async def test_help_page_open_without_login(user: User):
    await user.open("/help/bibliotheekmedewerker")

    await user.should_see("Handleiding voor de bibliotheekmedewerker")
    assert "](/help/img/balie-geldig.png)" in help_text(user)
    assert "](/help)" in help_text(user)


async def test_help_page_unknown_name(user: User):
    await user.open("/help/onbekend")

    await user.should_see("Pagina niet gevonden")
    await user.should_see("Handleiding: voor iedereen")


async def test_help_images_served(user: User):
    response = await user.http_client.get("/help/img/balie-ingenomen.png")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


async def test_english_reader_told_manual_is_dutch(user: User):
    await user.http_client.get("/language/en?next=/help")
    await user.open("/help")

    await user.should_see("The manual is written in Dutch only. The button names in it are the Dutch ones.")
    await user.should_see("Handleiding biebvoucher")


async def test_dutch_reader_gets_no_language_note(user: User):
    await user.open("/help")

    await user.should_see("Handleiding biebvoucher")
    await user.should_not_see(marker="manual-language-note")
