"""The date-of-birth calendar in a real browser: Dutch names, no future days, the field filled."""

from datetime import date

from playwright.sync_api import Page, expect

from tests.e2e.conftest import INTERMEDIARY_EMAIL, log_in
from ui.date_field import PICKER_START_AGE_YEARS


def _open_holder_row(page: Page):
    page.get_by_role("button", name="Vouchers aanmaken").click()
    dialog = page.get_by_test_id("create-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("checkbox", name="Gegevens van de houder nu invullen (niet verplicht)").click()
    return dialog


def test_picked_date_fills_field(page: Page, mailbox):
    log_in(page, mailbox, INTERMEDIARY_EMAIL)
    dialog = _open_holder_row(page)

    dialog.get_by_role("button", name="Kies de datum in een kalender").click()
    calendar = page.locator(".q-menu .q-date")
    expect(calendar).to_be_visible()
    # An empty field opens the calendar on the block of 20 years (Quasar starts blocks at multiples
    # of 20) that contains the year of someone PICKER_START_AGE_YEARS old, not on this year's block.
    start_year = date.today().year - PICKER_START_AGE_YEARS
    expect(calendar.get_by_role("button", name=str(start_year), exact=True)).to_be_visible()
    expect(calendar.get_by_role("button", name=str(date.today().year), exact=True)).to_have_count(0)
    for _ in range((start_year - start_year % 20 - 1980) // 20):
        calendar.get_by_role("button", name="Vorige 20 jaren").click()
    calendar.get_by_role("button", name="1985", exact=True).click()
    calendar.get_by_role("button", name="mrt", exact=True).click()
    expect(calendar).to_contain_text("maart")
    calendar.get_by_role("button", name="7", exact=True).click()

    expect(calendar).to_be_hidden()
    expect(dialog.get_by_label("Geboortedatum")).to_have_value("07-03-1985")


def test_future_days_cannot_be_picked(page: Page, mailbox):
    log_in(page, mailbox, INTERMEDIARY_EMAIL)
    dialog = _open_holder_row(page)
    dialog.get_by_label("Geboortedatum").fill("")

    dialog.get_by_role("button", name="Kies de datum in een kalender").click()
    calendar = page.locator(".q-menu .q-date")
    expect(calendar).to_be_visible()
    this_year = date.today().year
    start_year = this_year - PICKER_START_AGE_YEARS
    for _ in range(this_year // 20 - start_year // 20):
        calendar.get_by_role("button", name="Volgende 20 jaren").click()
    # Later years are shown in the block but disabled, because navigation stops at the current month.
    next_year = calendar.get_by_role("button", name=str(date.today().year + 1), exact=True)
    expect(next_year).to_be_disabled()
