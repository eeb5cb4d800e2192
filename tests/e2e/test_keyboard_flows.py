"""Logging in, creating a voucher, redeeming and undoing it with the keyboard alone; dialogs keep and return focus."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESK_EMAIL, DESKTOP, INTERMEDIARY_EMAIL
from tests.e2e.keyboard import (
    expect_focus_on,
    focus_is_inside,
    focus_is_on_body,
    focused_test_id,
    log_in_by_keyboard,
    tab_to,
)

# Tab presses inside an open dialog: more than it has focusable elements, so a missing trap lets focus out.
TABS_IN_DIALOG = 15


def _assert_focus_trapped(page: Page, key: str) -> None:
    """Press `key` repeatedly and check that no element behind the dialog ever gets the focus.

    Past the dialog's last element the browser moves focus out of the page to its own controls.
    `document.activeElement` reports that as the body, and the next press comes back into the dialog.
    """
    for press in range(TABS_IN_DIALOG):
        page.keyboard.press(key)
        assert focus_is_inside(page, ".q-dialog") or focus_is_on_body(page), (
            f"{key} press {press + 1} moved the focus to {focused_test_id(page)} behind the dialog"
        )


def _outline_of_focused(page: Page) -> str:
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    return " ".join(style)


def test_create_voucher_by_keyboard(new_context, mailbox):
    page = new_context(**DESKTOP).new_page()
    log_in_by_keyboard(page, mailbox, INTERMEDIARY_EMAIL)
    expect(page.get_by_test_id("voucher-table")).to_be_visible()

    tab_to(page, "create-vouchers")
    assert _outline_of_focused(page) == "solid 3px"
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("create-dialog")
    expect(dialog).to_be_visible()
    page.wait_for_function("document.activeElement?.closest('.q-dialog') !== null")
    _assert_focus_trapped(page, "Tab")
    _assert_focus_trapped(page, "Shift+Tab")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect_focus_on(page, "create-vouchers")

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    tab_to(page, "voucher-count")
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    tab_to(page, "create-submit")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("selection-count")).not_to_be_empty()


def test_redeem_and_undo_by_keyboard(new_context, mailbox, issued_code: Callable[[], str]):
    page = new_context(**DESKTOP).new_page()
    log_in_by_keyboard(page, mailbox, DESK_EMAIL, path="/check")
    expect_focus_on(page, "code-input")

    page.keyboard.type(issued_code())
    expect(page.get_by_test_id("redeem-button")).to_be_visible()
    tab_to(page, "redeem-button")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("redeemed-code")).to_be_visible()

    tab_to(page, "undo-redemption")
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("reason-dialog")
    expect(dialog).to_be_visible()
    expect_focus_on(page, "reason-input")
    _assert_focus_trapped(page, "Tab")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect_focus_on(page, "undo-redemption")

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect_focus_on(page, "reason-input")
    page.keyboard.type("Verkeerde voucher ingenomen")
    tab_to(page, "reason-confirm")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("result-card")).to_have_count(0)
    expect_focus_on(page, "code-input")
