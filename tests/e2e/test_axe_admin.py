"""axe-core on the administrator's pages and dialogs, in Dutch and English."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import AxeReport
from tests.e2e.axe_pages import LOCALES, expect_error_shown, open_in_language, open_page
from tests.e2e.conftest import DESKTOP, log_in

ADMIN_EMAIL = "beheerder@demo.test"
# Names of the buttons that open the admin dialogs, per locale.
BUTTONS = {
    "nl": {"edit": "Wijzigen", "change_role": "Rol wijzigen", "show_vouchers": "Vouchers tonen", "search": "Zoeken"},
    "en": {"edit": "Edit", "change_role": "Change role", "show_vouchers": "Show vouchers", "search": "Search"},
}
ADMIN_PATHS = [
    "/admin",
    "/admin/invitations",
    "/admin/mail",
    "/admin/code-of-conduct",
    "/check",
]


def _check_dialog(page: Page, report: AxeReport, opener_name: str, where: str) -> None:
    page.get_by_role("button", name=opener_name, exact=True).first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    report.check(page, where, within=".q-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


@pytest.mark.parametrize("locale", LOCALES)
def test_admin_pages_pass_axe(new_context, mailbox, locale: str):
    page = new_context(**DESKTOP).new_page()
    log_in(page, mailbox, ADMIN_EMAIL)
    open_in_language(page, "/admin/organisations", locale)
    buttons = BUTTONS[locale]
    report = AxeReport()

    report.check(page, "/admin/organisations")
    _check_dialog(page, report, buttons["edit"], "organisation dialog")

    open_page(page, "/admin/users")
    report.check(page, "/admin/users")
    _check_dialog(page, report, buttons["change_role"], "role dialog")

    open_page(page, "/admin/reimbursement")
    report.check(page, "/admin/reimbursement")
    page.get_by_role("button", name=buttons["show_vouchers"]).click()
    expect(page.get_by_test_id("preview-table")).to_be_visible()
    report.check(page, "/admin/reimbursement preview")
    page.get_by_test_id("mark-reimbursed").click()
    expect(page.get_by_test_id("confirm-dialog")).to_be_visible()
    report.check(page, "reimbursement confirm dialog", within=".q-dialog")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("confirm-dialog")).to_be_hidden()

    open_page(page, "/admin/privacy")
    report.check(page, "/admin/privacy")
    page.get_by_test_id("resident-search").click()
    expect_error_shown(page)
    report.check(page, "/admin/privacy without a name")

    for path in ADMIN_PATHS:
        open_page(page, path)
        report.check(page, path)

    assert report.lines == [], report.text()
