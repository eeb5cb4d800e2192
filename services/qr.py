"""QR codes of voucher codes as rows of dark runs, for drawing as plain rectangles in a PDF.

segno computes the symbol, and callers draw the runs themselves, because reportlab's
QrCodeWidget took about 12 ms per symbol on the development machine, too slow for a PDF of
a thousand vouchers.
"""

from dataclasses import dataclass

import segno

from services.codes import CODE_LENGTH

# Width of the light margin around the symbol, in modules: segno's default for QR codes.
QUIET_ZONE_MODULES = 4


@dataclass(frozen=True)
class QrRun:
    """A horizontal run of dark modules: row and first column from the top left, and its length."""

    row: int
    column: int
    length: int


@dataclass(frozen=True)
class QrSymbol:
    """The dark runs of one QR symbol and its width in modules, without the quiet zone."""

    size: int
    runs: tuple[QrRun, ...]


def qr_symbol(text: str) -> QrSymbol:
    """Encode `text` with error correction level M or better and return its dark runs."""
    # segno raises the level above M when the text still fits in the same version.
    symbol = segno.make_qr(text, error="m")
    runs = []
    for row_index, row in enumerate(symbol.matrix):
        start: int | None = None
        for column, dark in enumerate(row):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                runs.append(QrRun(row_index, start, column - start))
                start = None
        if start is not None:
            runs.append(QrRun(row_index, start, len(row) - start))
    return QrSymbol(size=len(symbol.matrix), runs=tuple(runs))


def code_from_qr_text(text: str) -> str | None:
    """Return the voucher code that a scanned QR code contains, or None when it contains something else.

    The vouchers print the bare six digits (see `qr_symbol`). Blanks are dropped, so a code
    grouped as `123 456` is accepted too. The check digit is left to the code check, so a
    damaged code gets the same result as a typo.
    """
    compact = "".join(text.split())
    if len(compact) == CODE_LENGTH and compact.isascii() and compact.isdigit():
        return compact
    return None
