"""The main journey across two browsers: an intermediary issues a voucher and a library desk redeems it."""

import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, INTERMEDIARY_EMAIL, TABLET_PORTRAIT, log_in, open_desk

# The overview must show a redemption made elsewhere within this many milliseconds, without a reload.
LIVE_UPDATE_TIMEOUT_MS = 2000
# Organisation of intermediair@demo.test in the demo data.
INTERMEDIARY_ORGANISATION = "Voedselbank Maastricht"


def _create_voucher_with_holder(page: Page, first_name: str, last_name: str, birth_date: str) -> None:
    page.get_by_role("button", name="Vouchers aanmaken").click()
    dialog = page.get_by_test_id("create-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Aantal vouchers").fill("1")
    dialog.get_by_role("checkbox", name="Gegevens van de houder nu invullen (niet verplicht)").click()
    dialog.get_by_label("Voornaam").fill(first_name)
    dialog.get_by_label("Achternaam").fill(last_name)
    dialog.get_by_label("Geboortedatum").fill(birth_date)
    dialog.get_by_role("button", name="Aanmaken", exact=True).click()
    expect(dialog).to_be_hidden()


def test_issue_then_redeem_updates_overview_live(new_context, mailbox, artifact_folder: Path):
    # A made-up holder with a unique last name, so the test can find the new row among the demo data.
    first_name = "Fenna"
    last_name = f"Proefpersoon-{uuid.uuid4().hex[:6]}"
    holder = f"{first_name} {last_name}"
    birth_date = "07-03-1985"

    intermediary = new_context(**DESKTOP).new_page()
    desk = new_context(**TABLET_PORTRAIT).new_page()
    log_in(intermediary, mailbox, INTERMEDIARY_EMAIL)
    open_desk(desk, mailbox)

    # The intermediary creates one voucher, which appears selected at the top of page 1.
    _create_voucher_with_holder(intermediary, first_name, last_name, birth_date)
    expect(intermediary.get_by_text("1 voucher aangemaakt")).to_be_visible()
    top_row = intermediary.get_by_test_id("voucher-table").locator("tbody tr").first
    expect(top_row).to_contain_text(holder)
    expect(top_row.get_by_test_id("status-chip")).to_have_text("Uitgegeven")
    expect(top_row).to_have_class(re.compile(r"\bselected\b"))
    expect(intermediary.get_by_test_id("selection-count")).to_have_text("1 voucher geselecteerd")
    code = top_row.get_by_test_id("voucher-link").inner_text().strip()
    assert re.fullmatch(r"\d{3} \d{3}", code), f"top row code {code!r} is not formatted as '123 456'"

    # A marker in the page's JavaScript state is lost on any reload or navigation.
    intermediary.evaluate("window.e2eNotReloaded = true")
    intermediary.screenshot(path=artifact_folder / "journey-overview-before.png", full_page=True)

    # The desk checks the code; the result shows the issuing organisation and the holder.
    code_input = desk.get_by_label("Vouchercode")
    code_input.fill(code.replace(" ", ""))
    result = desk.get_by_test_id("result-card")
    expect(desk.get_by_test_id("result-status")).to_have_text("Uitgegeven")
    expect(result).to_contain_text(code)
    expect(result).to_contain_text(INTERMEDIARY_ORGANISATION)
    expect(result).to_contain_text(holder)
    expect(result).to_contain_text(birth_date)
    desk.screenshot(path=artifact_folder / "journey-desk-before.png", full_page=True)

    desk.get_by_role("button", name="Innemen").tap()
    expect(desk.get_by_test_id("result-status")).to_have_text("Ingenomen")
    expect(desk.get_by_test_id("redeemed-code")).to_have_text(code)
    desk.screenshot(path=artifact_folder / "journey-desk-after.png", full_page=True)

    # The intermediary's overview follows without a reload and shows a short notice.
    row = intermediary.get_by_role("row").filter(has=intermediary.get_by_role("link", name=code, exact=True))
    expect(row.get_by_test_id("status-chip")).to_have_text("Ingenomen", timeout=LIVE_UPDATE_TIMEOUT_MS)
    expect(intermediary.get_by_text(f"Voucher {code} is nu: Ingenomen")).to_be_visible(timeout=LIVE_UPDATE_TIMEOUT_MS)
    assert intermediary.evaluate("window.e2eNotReloaded") is True, "the overview page was reloaded"
    intermediary.screenshot(path=artifact_folder / "journey-overview-after.png", full_page=True)
