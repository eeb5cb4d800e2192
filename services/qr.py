"""QR codes of voucher codes as rows of dark runs, for drawing as plain rectangles in a PDF.

segno computes the symbol, and callers draw the runs themselves, because reportlab's
QrCodeWidget took about 12 ms per symbol on the development machine, too slow for a PDF of
a thousand vouchers.
"""

from dataclasses import dataclass

import segno

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
