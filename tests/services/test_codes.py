import random

import pytest

from services import codes
from services.errors import CodeNotDigits, CodeWrongLength, EmptyCode, InvalidCode


def test_damm_check_digit_of_published_example():
    # Damm's worked example: the check digit of 572 is 4.
    assert codes.damm_check_digit("572") == "4"
    assert codes.has_valid_check_digit("5724")


def test_generated_codes_are_valid():
    for _ in range(1000):
        code = codes.generate_code()
        assert len(code) == 6
        assert code.isdigit()
        assert codes.has_valid_check_digit(code)


def _single_substitutions(code: str):
    for position, digit in enumerate(code):
        for other in "0123456789":
            if other != digit:
                yield code[:position] + other + code[position + 1 :]


def _neighbour_swaps(code: str):
    for position in range(len(code) - 1):
        if code[position] != code[position + 1]:
            yield code[:position] + code[position + 1] + code[position] + code[position + 2 :]


def test_every_typo_of_many_codes_rejected():
    rng = random.Random(7)
    for _ in range(2000):
        payload = f"{rng.randrange(codes.CODE_SPACE):05d}"
        code = payload + codes.damm_check_digit(payload)
        for typo in [*_single_substitutions(code), *_neighbour_swaps(code)]:
            assert not codes.has_valid_check_digit(typo), f"{typo} (from {code}) passed the check"
            with pytest.raises(InvalidCode):
                codes.normalise_code(typo)


@pytest.mark.parametrize("typed", ["123 459", "123-459", " 123459 ", "123\n459", "12 34 59", "１２３４５９"])
def test_normalise_returns_six_digits(typed):
    assert codes.normalise_code(typed) == "123459"


@pytest.mark.parametrize("typed", ["", "   ", "\n\t", None, " - "])
def test_empty_input_never_matches(typed):
    with pytest.raises(EmptyCode):
        codes.normalise_code(typed)


@pytest.mark.parametrize("typed", ["12345a", "abc def", "123+456", "١٢٣٤٥٩"])
def test_non_digits_rejected(typed):
    with pytest.raises(CodeNotDigits):
        codes.normalise_code(typed)


@pytest.mark.parametrize("typed", ["12345", "1234567", "1"])
def test_wrong_length_rejected(typed):
    with pytest.raises(CodeWrongLength) as raised:
        codes.normalise_code(typed)
    assert raised.value.params["length"] == len(typed)


def test_wrong_length_message_is_dutch():
    with pytest.raises(CodeWrongLength) as raised:
        codes.normalise_code("12345")
    expected = "De vouchercode moet 6 cijfers hebben, niet 5. Controleer de code op de voucher."
    assert raised.value.render("nl") == expected


def test_wrong_length_message_for_one_digit():
    with pytest.raises(CodeWrongLength) as raised:
        codes.normalise_code("1")
    expected = "De vouchercode moet 6 cijfers hebben, niet 1. Controleer de code op de voucher."
    assert raised.value.render("nl") == expected
    assert raised.value.render("en") == "Voucher code needs 6 digits, not 1. Check the code on the voucher."


def test_format_code_groups_digits():
    assert codes.format_code("123459") == "123 459"
