"""Voucher codes: five random digits plus a Damm check digit.

The Damm algorithm detects every single-digit error and every swap of two neighbouring
digits (H. M. Damm, "Total anti-symmetrische Quasigruppen", 2004), which covers the usual
desk typos.
"""

import re
import secrets
import unicodedata

from services.errors import CodeNotDigits, CodeWrongLength, EmptyCode, InvalidCode

CODE_LENGTH = 6
PAYLOAD_LENGTH = CODE_LENGTH - 1
CODE_SPACE = 10**PAYLOAD_LENGTH

# A totally anti-symmetric quasigroup of order 10, the table Damm published.
_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")
_DIGITS = re.compile(r"[0-9]+")


def damm_check_digit(digits: str) -> str:
    """Return the Damm check digit of a string of ASCII digits."""
    interim = 0
    for digit in digits:
        interim = _DAMM_TABLE[interim][int(digit)]
    return str(interim)


def has_valid_check_digit(code: str) -> bool:
    """Return whether the last digit of `code` is the Damm check digit of the rest."""
    return damm_check_digit(code) == "0"


def generate_code() -> str:
    """Draw a new code from the operating system's cryptographic random source."""
    payload = f"{secrets.randbelow(CODE_SPACE):0{PAYLOAD_LENGTH}d}"
    return payload + damm_check_digit(payload)


def normalise_code(raw: str | None) -> str:
    """Return the six digits of a typed code, or raise an error that names the problem.

    Spaces, dashes, dots, newlines and surrounding blanks are dropped; full-width and other
    compatibility digits become ASCII. An empty or all-blank input never matches a voucher.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    compact = _SEPARATORS.sub("", text)
    if not compact:
        raise EmptyCode()
    if not _DIGITS.fullmatch(compact):
        raise CodeNotDigits()
    if len(compact) != CODE_LENGTH:
        raise CodeWrongLength(length=len(compact))
    if not has_valid_check_digit(compact):
        raise InvalidCode()
    return compact


def format_code(code: str) -> str:
    """Group a code as the vouchers print it: `123 456`."""
    return f"{code[:3]} {code[3:]}"
