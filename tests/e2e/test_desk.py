"""The desk page on a tablet in both orientations: scanner input, redeeming, copying, typos, two desks."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

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


# Colours of a text element and of the nearest ancestor with a background, as CSS rgb() strings.
TEXT_AND_BACKGROUND = """
(element) => {
    let holder = element;
    let background = getComputedStyle(holder).backgroundColor;
    while (holder && (background === 'rgba(0, 0, 0, 0)' || background === 'transparent')) {
        holder = holder.parentElement;
        background = holder ? getComputedStyle(holder).backgroundColor : 'rgb(255, 255, 255)';
    }
    return [getComputedStyle(element).color, background];
}
"""
# WCAG 2.1 minimum contrast for normal text.
MIN_CONTRAST = 4.5
# Minimum font size of the status word in CSS pixels: Tailwind's text-2xl, which the result cards use.
MIN_STATUS_FONT_PX = 24


def _relative_luminance(css_colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(locator: Locator) -> float:
    text, background = locator.evaluate(TEXT_AND_BACKGROUND)
    lighter, darker = sorted((_relative_luminance(text), _relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _font_px(locator: Locator) -> float:
    return float(locator.evaluate("(element) => parseFloat(getComputedStyle(element).fontSize)"))


def _assert_fits_width(desk: Page) -> None:
    overflow = desk.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the desk page scrolls {overflow} px sideways"
    viewport_width = desk.viewport_size["width"]
    code_field = desk.get_by_label("Vouchercode")
    checked = [*desk.get_by_test_id("result-card").all(), code_field, desk.get_by_test_id("scan-button")]
    for element in checked:
        box = element.bounding_box()
        assert box is not None
        assert box["x"] >= 0, f"cut off at the left: {box}"
        assert box["x"] + box["width"] <= viewport_width, f"cut off at the right: {box}"


@pytest.mark.parametrize(
    ("size", "name"), [(TABLET_PORTRAIT, "768x1024"), (TABLET_LANDSCAPE, "1024x768")], ids=["portrait", "landscape"]
)
def test_tablet_desk_flow(
    new_context, mailbox, issued_code: Callable[[], str], artifact_folder: Path, size: dict, name: str
):
    code = issued_code()
    desk = new_context(**size, permissions=["clipboard-read", "clipboard-write"]).new_page()
    open_desk(desk, mailbox)
    code_input = desk.get_by_label("Vouchercode")
    expect(code_input).to_have_attribute("inputmode", "numeric")
    _assert_fits_width(desk)
    desk.evaluate(RECORD_RESULT_CARDS)

    # A barcode scanner types the digits in quick succession and ends with Enter.
    desk.keyboard.type(code)
    desk.keyboard.press("Enter")

    status = desk.get_by_test_id("result-status")
    expect(status).to_have_text("Uitgegeven")
    expect(desk.get_by_test_id("result-icon")).to_have_text("check_circle")
    expect(code_input).to_have_value("")
    expect(code_input).to_be_focused()
    desk.wait_for_timeout(TRAILING_ENTER_SETTLE_MS)
    expect(desk.get_by_text("Vouchercode is leeg")).to_have_count(0)
    expect(desk.get_by_test_id("result-card")).to_have_count(1)
    result_cards = desk.evaluate("window.e2eResultCards")
    assert len(result_cards) == 1, f"expected one result card, the page showed {len(result_cards)}: {result_cards}"
    assert _contrast(status) >= MIN_CONTRAST
    assert _font_px(status) >= MIN_STATUS_FONT_PX
    _assert_fits_width(desk)
    desk.screenshot(path=artifact_folder / f"desk-checked-{name}.png")

    desk.get_by_role("button", name="Innemen").tap()

    expect(status).to_have_text("Ingenomen")
    expect(desk.get_by_test_id("result-icon")).to_have_text("task_alt")
    redeemed_code = desk.get_by_test_id("redeemed-code")
    expect(redeemed_code).to_have_text(f"{code[:3]} {code[3:]}")
    assert _contrast(status) >= MIN_CONTRAST
    assert _contrast(redeemed_code) >= MIN_CONTRAST
    desk.get_by_role("button", name="Kopiëren").tap()
    expect(desk.get_by_text("Code gekopieerd")).to_be_visible()
    assert desk.evaluate("navigator.clipboard.readText()") == code
    _assert_fits_width(desk)
    desk.screenshot(path=artifact_folder / f"desk-redeemed-{name}.png")


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
    expect(code_input).to_have_value(typo)
    expect(code_input).to_be_focused()

    # The mistyped code stays selected, so the desk types the right one over it without tapping the field.
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
