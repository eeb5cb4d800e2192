"""Steps the axe-core tests share: choosing the language and waiting until a page has rendered."""

import re
from urllib.parse import quote

from playwright.sync_api import Locator, Page, expect

from tests.e2e.axe import AxeReport

LOCALES = ["nl", "en"]


def open_in_language(page: Page, path: str, locale: str) -> None:
    """Open `path` in `locale` through the header's language route, which sets the language cookie."""
    page.goto(f"/language/{locale}?next={quote(path, safe='')}")
    wait_for_page(page)


def open_page(page: Page, path: str) -> None:
    """Open `path` and wait until its main heading has rendered."""
    page.goto(path)
    wait_for_page(page)


def check_reason_dialog_with_error(page: Page, report: AxeReport, opener_test_id: str, where: str) -> None:
    """Open the reason dialog with the button `opener_test_id`, confirm it without a reason, run
    axe-core on the dialog with its error shown, and close it with Escape."""
    page.get_by_test_id(opener_test_id).click()
    dialog = page.get_by_test_id("reason-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("reason-confirm").click()
    expect_error_shown(dialog)
    report.check(page, where, within=".q-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def expect_error_shown(scope: Page | Locator) -> None:
    """Wait until an error message with text is shown in `scope`, at its field or in the form's alert line."""
    expect(scope.get_by_role("alert").filter(has_text=re.compile(r"\S")).first).to_be_visible()


def wait_for_page(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
