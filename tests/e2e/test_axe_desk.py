"""axe-core on the desk screen in each of its states and on library staff's other pages, in Dutch and English."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import AxeReport
from tests.e2e.axe_pages import LOCALES, check_reason_dialog_with_error, open_in_language, open_page
from tests.e2e.conftest import DESKTOP, open_desk

# Six digits that no demo voucher has: the demo codes are random, but this one fails the check digit.
UNKNOWN_CODE = "000001"


def _check_desk_states(page: Page, report: AxeReport, code: str) -> None:
    report.check(page, "/check empty")

    page.get_by_test_id("code-input").fill(UNKNOWN_CODE)
    expect(page.get_by_test_id("result-card")).to_be_visible()
    report.check(page, "/check rejection card")

    page.get_by_test_id("code-input").fill(code)
    expect(page.get_by_test_id("redeem-button")).to_be_visible()
    report.check(page, "/check valid voucher card")

    page.get_by_test_id("redeem-button").click()
    expect(page.get_by_test_id("redeemed-code")).to_be_visible()
    report.check(page, "/check redeemed card")

    check_reason_dialog_with_error(page, report, "undo-redemption", "/check undo reason dialog with error")


@pytest.mark.parametrize("locale", LOCALES)
def test_desk_pages_pass_axe(new_context, mailbox, issued_code: Callable[[], str], locale: str):
    page = new_context(**DESKTOP).new_page()
    open_desk(page, mailbox)
    open_in_language(page, "/check", locale)
    report = AxeReport()

    _check_desk_states(page, report, issued_code())
    for path in ["/", "/dashboard", "/account"]:
        open_page(page, path)
        report.check(page, path)

    assert report.lines == [], report.text()
