"""The reimbursement flow in a browser: filter redeemed vouchers, mark them as a batch, download the statement."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, log_in

ADMINISTRATOR_EMAIL = "beheerder@demo.test"


def test_mark_batch_and_download_statement(new_context, artifact_folder: Path, mailbox):
    page: Page = new_context(**DESKTOP).new_page()
    log_in(page, mailbox, ADMINISTRATOR_EMAIL, path="/admin/reimbursement", heading="Vergoeding")
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).strftime("%d-%m-%Y")

    # The demo data's redemptions all lie after 1 January 2025.
    page.get_by_label("Ingenomen vanaf").fill("01-01-2025")
    page.get_by_label("Ingenomen tot en met").fill(today)
    page.get_by_role("button", name="Vouchers tonen").click()

    expect(page.get_by_text(re.compile(r"^\d+ ingenomen vouchers? wachten? op vergoeding\.$"))).to_be_visible()
    expect(page.get_by_test_id("preview-table").locator("tbody tr").last).to_contain_text("Totaal")
    page.get_by_test_id("mark-reimbursed").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("in één batch")
    dialog.get_by_role("button", name="Bevestigen").click()

    notice = page.get_by_text(re.compile(r"^Batch \d{5} aangemaakt$"))
    expect(notice).to_be_visible()
    number = re.search(r"\d{5}", notice.inner_text()).group()
    card = page.get_by_test_id(f"batch-{number}")
    expect(card).to_contain_text("Open")
    expect(page.get_by_test_id("preview-table")).to_have_count(0)
    page.screenshot(path=artifact_folder / "reimbursement-batch.png", full_page=True)

    with page.expect_download() as download_info:
        card.get_by_role("button", name="Overzicht (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"vergoeding-{number}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
