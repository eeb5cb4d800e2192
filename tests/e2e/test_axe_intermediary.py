"""axe-core on the intermediary's pages and dialogs, in Dutch and in English."""

import sqlite3
from contextlib import closing

import pytest
from playwright.sync_api import Page, expect

from tests.app_server import AppServer
from tests.e2e.axe import AxeReport
from tests.e2e.axe_pages import LOCALES, check_reason_dialog_with_error, expect_error_shown, open_in_language, open_page
from tests.e2e.conftest import DESKTOP, INTERMEDIARY_EMAIL, log_in


def _check_overview(page: Page, report: AxeReport) -> None:
    expect(page.get_by_test_id("voucher-link").first).to_be_visible()
    report.check(page, "/ with rows")
    # The chip's text shows the status, so colour is not its only sign.
    chip_texts = page.get_by_test_id("status-chip").all_inner_texts()
    assert chip_texts, "the overview shows no status chips"
    assert all(text.strip() for text in chip_texts), f"status chips without text: {chip_texts}"

    page.get_by_test_id("account-menu").click()
    expect(page.get_by_role("menu")).to_be_visible()
    report.check(page, "/ account menu open", within=".q-menu")
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu")).to_be_hidden()

    search = page.get_by_test_id("voucher-search")
    search.fill("zzzz-finds-nothing")
    expect(page.get_by_test_id("voucher-link")).to_have_count(0)
    report.check(page, "/ filter finds nothing")
    search.fill("")
    expect(page.get_by_test_id("voucher-link").first).to_be_visible()


def _check_create_dialog(page: Page, report: AxeReport) -> None:
    page.get_by_test_id("create-vouchers").click()
    dialog = page.get_by_test_id("create-dialog")
    expect(dialog).to_be_visible()
    report.check(page, "create dialog", within=".q-dialog")

    dialog.get_by_test_id("voucher-count").fill("abc")
    dialog.get_by_test_id("create-submit").click()
    expect_error_shown(dialog)
    report.check(page, "create dialog with error", within=".q-dialog")

    dialog.get_by_test_id("voucher-count").fill("1")
    dialog.get_by_role("checkbox").click()
    dialog.get_by_test_id("holder-birth-date-calendar").click()
    expect(page.locator(".q-date")).to_be_visible()
    report.check(page, "create dialog date picker", within=".q-menu")
    page.keyboard.press("Escape")
    expect(page.locator(".q-date")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def _own_issued_voucher_id(server: AppServer) -> int:
    """Return the id of the newest issued voucher of the intermediary's organisation."""
    with closing(sqlite3.connect(f"file:{server.database_path}?mode=ro", uri=True)) as connection:
        row = connection.execute(
            "SELECT voucher.id FROM voucher JOIN user_account ON user_account.organisation_id = voucher.organisation_id"
            " WHERE user_account.email = ? AND voucher.status = 'issued' ORDER BY voucher.id DESC",
            (INTERMEDIARY_EMAIL,),
        ).fetchone()
    assert row is not None, f"the demo data has no issued voucher for {INTERMEDIARY_EMAIL}"
    return int(row[0])


def _check_voucher_page(page: Page, report: AxeReport, voucher_id: int) -> None:
    open_page(page, f"/vouchers/{voucher_id}")
    expect(page.get_by_test_id("detail-code")).to_be_visible()
    report.check(page, "/vouchers/{id}")

    page.get_by_test_id("personalise-button").click()
    expect(page.get_by_test_id("personalise-save")).to_be_visible()
    report.check(page, "holder details dialog", within=".q-dialog")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("personalise-save")).to_be_hidden()

    check_reason_dialog_with_error(page, report, "withdraw-button", "withdraw reason dialog with error")


@pytest.mark.parametrize("locale", LOCALES)
def test_intermediary_pages_pass_axe(new_context, mailbox, app_server: AppServer, locale: str):
    page = new_context(**DESKTOP).new_page()
    log_in(page, mailbox, INTERMEDIARY_EMAIL)
    open_in_language(page, "/", locale)
    report = AxeReport()

    _check_overview(page, report)
    _check_create_dialog(page, report)
    _check_voucher_page(page, report, _own_issued_voucher_id(app_server))
    for path in ["/vouchers/999999", "/dashboard", "/account", "/code-of-conduct", "/does-not-exist"]:
        open_page(page, path)
        report.check(page, path)

    assert report.lines == [], report.text()
