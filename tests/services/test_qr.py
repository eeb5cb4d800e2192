"""Reading a voucher code back from the text of a scanned QR code."""

import pytest

from services.qr import code_from_qr_text, qr_symbol


def test_printed_code_read_back():
    assert code_from_qr_text("123452") == "123452"


def test_grouped_code_and_blanks_accepted():
    assert code_from_qr_text(" 123 452\n") == "123452"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12345",
        "1234520",
        "https://bibliotheek.example/123452",
        "12345a",
        "１２３４５２",  # full-width digits are not what the vouchers print
        "123-452",
    ],
)
def test_other_content_is_no_code(text):
    assert code_from_qr_text(text) is None


def test_symbol_is_version_one():
    # Six digits fit the smallest QR version, 21 modules wide, with the largest modules for a camera.
    assert qr_symbol("123452").size == 21
