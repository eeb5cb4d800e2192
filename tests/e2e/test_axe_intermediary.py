"""axe-core on the intermediary's pages and dialogs, in Dutch and in English."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import AxeReport
from tests.e2e.axe_pages import LOCALES, open_in_language, open_page
from tests.e2e.conftest import DESKTOP, INTERMEDIARY_EMAIL, log_in


def _check_overview(page: Page, report: AxeReport) -> None:
    expect(page.get_by_test_id("voucher-link").first).to_be_visible()
    report.check(page, "/ with rows")

    page.get_by_test_id("account-menu").click()
    expect(page.get_by_role("menu")).to_be_visible()
    report.check(page, "/ account menu open")
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
    report.check(page, "create dialog")

    dialog.get_by_test_id("voucher-count").fill("abc")
    dialog.get_by_test_id("create-submit").click()
    expect(dialog.get_by_test_id("create-error")).not_to_be_empty()
    report.check(page, "create dialog with error")

    dialog.get_by_test_id("voucher-count").fill("1")
    dialog.get_by_role("checkbox").click()
    dialog.get_by_test_id("holder-birth-date-calendar").click()
    expect(page.locator(".q-date")).to_be_visible()
    report.check(page, "create dialog date picker")
    page.keyboard.press("Escape")
    expect(page.locator(".q-date")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def _check_voucher_page(page: Page, report: AxeReport) -> None:
    page.get_by_test_id("voucher-link").first.click()
    expect(page.get_by_test_id("detail-code")).to_be_visible()
    report.check(page, "/vouchers/{id}")
    withdraw = page.get_by_test_id("withdraw-button")
    if withdraw.count():
        withdraw.click()
        dialog = page.get_by_test_id("reason-dialog")
        expect(dialog).to_be_visible()
        dialog.get_by_test_id("reason-confirm").click()
        expect(dialog.get_by_test_id("reason-error")).not_to_be_empty()
        report.check(page, "withdraw reason dialog with error")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()


@pytest.mark.parametrize("locale", LOCALES)
def test_intermediary_pages_pass_axe(new_context, mailbox, locale: str):
    page = new_context(**DESKTOP).new_page()
    log_in(page, mailbox, INTERMEDIARY_EMAIL)
    open_in_language(page, "/", locale)
    report = AxeReport()

    _check_overview(page, report)
    _check_create_dialog(page, report)
    _check_voucher_page(page, report)
    for path in ["/vouchers/999999", "/dashboard", "/account", "/code-of-conduct", "/does-not-exist"]:
        open_page(page, path)
        report.check(page, path)

    assert report.lines == [], report.text()
