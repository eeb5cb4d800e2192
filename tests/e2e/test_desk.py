"""The desk page on a tablet: scanner input, typos, and two desks redeeming the same code."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESK_LIBRARY, DESK_STAFF_NAME, TABLET_LANDSCAPE, TABLET_PORTRAIT, open_desk

# Time for the server to handle a scanner's trailing Enter after the result is on screen.
# NOTE: a trailing Enter that changes nothing has no visible effect to wait for, so this is a
# fixed pause. A reply that arrives later than this would go unnoticed.
TRAILING_ENTER_SETTLE_MS = 500

# Records every result card that the page inserts, with its text at insertion time, so a
# test can tell one result from a result that was replaced by another.
RECORD_RESULT_CARDS = """
() => {
    window.e2eResultCards = [];
    const observer = new MutationObserver((mutations) => {
        for (const mutation of mutations) {
            for (const node of mutation.addedNodes) {
                if (!(node instanceof Element)) continue;
                const cards = node.matches('[data-testid=result-card]')
                    ? [node]
                    : [...node.querySelectorAll('[data-testid=result-card]')];
                for (const card of cards) window.e2eResultCards.push(card.innerText);
            }
        }
    });
    observer.observe(document.body, {childList: true, subtree: true});
}
"""


def _mistype_one_digit(code: str) -> str:
    """Return `code` with its third digit changed, which the Damm check digit always detects."""
    wrong_digit = str((int(code[2]) + 1) % 10)
    return code[:2] + wrong_digit + code[3:]


def test_scanner_input_shows_one_result(new_context, mailbox, issued_code: Callable[[], str]):
    code = issued_code()
    desk = new_context(**TABLET_LANDSCAPE).new_page()
    open_desk(desk, mailbox)
    desk.evaluate(RECORD_RESULT_CARDS)

    # A barcode scanner types the digits in quick succession and ends with Enter.
    desk.keyboard.type(code)
    desk.keyboard.press("Enter")

    expect(desk.get_by_test_id("result-status")).to_have_text("Uitgegeven")
    expect(desk.get_by_role("button", name="Innemen")).to_be_visible()
    code_input = desk.get_by_label("Vouchercode")
    expect(code_input).to_have_value("")
    expect(code_input).to_be_focused()
    desk.wait_for_timeout(TRAILING_ENTER_SETTLE_MS)

    expect(desk.get_by_text("Vouchercode is leeg")).to_have_count(0)
    expect(desk.get_by_test_id("result-card")).to_have_count(1)
    expect(desk.get_by_test_id("result-status")).to_have_text("Uitgegeven")
    result_cards = desk.evaluate("window.e2eResultCards")
    assert len(result_cards) == 1, f"expected one result card, the page showed {len(result_cards)}: {result_cards}"


def test_mistyped_code_is_invalid(new_context, mailbox, issued_code: Callable[[], str]):
    code = issued_code()
    typo = _mistype_one_digit(code)
    desk = new_context(**TABLET_LANDSCAPE).new_page()
    open_desk(desk, mailbox)

    code_input = desk.get_by_label("Vouchercode")
    code_input.press_sequentially(typo)

    result = desk.get_by_test_id("result-card")
    expect(result).to_contain_text("Niet geldig")
    expect(result).to_contain_text(f"U typte: {typo}")
    expect(desk.get_by_test_id("result-message")).to_have_text(re.compile(r"^Ongeldige code"))
    expect(desk.get_by_test_id("redeem-button")).to_have_count(0)
    expect(code_input).to_have_value("")
    expect(code_input).to_be_focused()

    # The desk retypes the code at once, without tapping the field first.
    desk.keyboard.type(code)
    expect(desk.get_by_test_id("result-status")).to_have_text("Uitgegeven")
    expect(desk.get_by_test_id("redeem-button")).to_be_visible()


def _check_code_on(desk: Page, code: str) -> None:
    desk.get_by_label("Vouchercode").fill(code)
    expect(desk.get_by_test_id("result-status")).to_have_text("Uitgegeven")
    expect(desk.get_by_role("button", name="Innemen")).to_be_visible()


def test_second_desk_cannot_redeem_again(new_context, mailbox, issued_code: Callable[[], str]):
    code = issued_code()
    first_desk = new_context(**TABLET_PORTRAIT).new_page()
    second_desk = new_context(**TABLET_PORTRAIT).new_page()
    open_desk(first_desk, mailbox)
    open_desk(second_desk, mailbox)

    # Both desks have checked the code and show the redeem button before either presses it.
    _check_code_on(first_desk, code)
    _check_code_on(second_desk, code)

    first_desk.get_by_role("button", name="Innemen").tap()
    expect(first_desk.get_by_test_id("result-status")).to_have_text("Ingenomen")
    expect(first_desk.get_by_test_id("redeemed-code")).to_have_text(f"{code[:3]} {code[3:]}")

    second_desk.get_by_role("button", name="Innemen").tap()
    message = second_desk.get_by_test_id("result-message")
    expect(message).to_have_text(re.compile(r"^Al ingenomen op "))
    expect(message).to_contain_text(DESK_LIBRARY)
    expect(message).to_contain_text(DESK_STAFF_NAME)
    expect(second_desk.get_by_test_id("redeemed-code")).to_have_count(0)
    expect(second_desk.get_by_test_id("redeem-button")).to_have_count(0)
