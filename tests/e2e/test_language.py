"""Quasar's own texts and `<html lang>` in a real browser follow the language the user chose."""

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import INTERMEDIARY_EMAIL, log_in
from ui.date_field import PICKER_START_AGE_YEARS


@pytest.fixture
def intermediary_page(page: Page, mailbox) -> Iterator[Page]:
    """Log in as the intermediary in Dutch, and store Dutch again afterwards for the other tests."""
    log_in(page, mailbox, INTERMEDIARY_EMAIL)
    yield page
    page.goto("/language/nl?next=/")


def _open_calendar(page: Page):
    page.get_by_role("button", name="Create vouchers").click()
    dialog = page.get_by_test_id("create-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("checkbox", name="Fill in holder details now (optional)").click()
    dialog.get_by_role("button", name="Choose the date in a calendar").click()
    calendar = page.locator(".q-menu .q-date")
    expect(calendar).to_be_visible()
    return calendar


def test_dutch_page_has_dutch_quasar(intermediary_page: Page):
    page = intermediary_page

    assert page.evaluate("document.documentElement.lang") == "nl"
    # Quasar's pagination ("1-10 van 57") comes from its Dutch language pack.
    expect(page.locator(".q-table__bottom")).to_contain_text(" van ")
    expect(page.get_by_role("button", name="Volgende pagina")).to_be_visible()


def test_english_page_has_english_quasar(intermediary_page: Page):
    page = intermediary_page

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="Voucher overview", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.lang").startswith("en")
    expect(page.locator(".q-table__bottom")).to_contain_text(" of ")
    expect(page.get_by_role("button", name="Next page")).to_be_visible()


def test_english_calendar_names_months_in_english(intermediary_page: Page):
    page = intermediary_page
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Voucher overview", level=1)).to_be_visible()

    calendar = _open_calendar(page)

    # Quasar's own button label comes from its English language pack. The calendar opens on the
    # block of 20 years that contains the birth year of someone PICKER_START_AGE_YEARS old.
    start_year = date.today().year - PICKER_START_AGE_YEARS
    calendar.get_by_role("button", name="Previous 20 years").click()
    for _ in range(2005 // 20 - start_year // 20 + 1):
        calendar.get_by_role("button", name="Next 20 years").click()
    calendar.get_by_role("button", name="2005", exact=True).click()
    calendar.get_by_role("button", name="Mar", exact=True).click()
    expect(calendar).to_contain_text("March")
