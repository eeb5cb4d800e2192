"""Downloading selected vouchers as a PDF in a real browser."""

import re

import pypdf
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, INTERMEDIARY_EMAIL, log_in


def test_download_two_selected_vouchers(new_context, tmp_path, mailbox):
    page: Page = new_context(**DESKTOP, accept_downloads=True).new_page()
    log_in(page, mailbox, INTERMEDIARY_EMAIL)
    download_button = page.get_by_test_id("download-vouchers")
    expect(download_button).to_be_disabled()

    issued_rows = (
        page.get_by_test_id("voucher-table")
        .locator("tbody tr")
        .filter(has=page.get_by_test_id("status-chip").filter(has_text=re.compile(r"^Uitgegeven$")))
    )
    codes = []
    for index in range(2):
        row = issued_rows.nth(index)
        codes.append(row.get_by_test_id("voucher-link").inner_text().strip())
        row.get_by_role("checkbox").click()
    expect(page.get_by_test_id("selection-count")).to_have_text("2 vouchers geselecteerd")

    with page.expect_download() as download_info:
        download_button.click()

    download = download_info.value
    assert re.fullmatch(r"vouchers-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    reader = pypdf.PdfReader(path)
    text = " ".join(page_of_pdf.extract_text() for page_of_pdf in reader.pages)
    printed = re.findall(r"(?<!\d)\d{3} \d{3}(?!\d)", text)
    assert sorted(printed) == sorted(codes)
