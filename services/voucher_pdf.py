"""Printing vouchers: A4 pages with eight vouchers each, dashed cut lines, code, QR code and holder.

The text is set in DejaVu Sans, shipped in services/fonts, because reportlab's built-in
Helvetica has no glyphs for letters such as ł, ş and ș. The QR code is filled from PDF
rectangle operators built once per code from the matrix in `services.qr`.
"""

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from services.codes import format_code
from services.i18n import DEFAULT_LOCALE, N_, format_short_date, translate
from services.qr import QUIET_ZONE_MODULES, qr_symbol

# The resident hands the voucher in at a Dutch library desk, and its text should not depend on who
# printed it. So pages print vouchers in Dutch whatever language the user reads.
VOUCHER_LOCALE = DEFAULT_LOCALE
FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

COLUMNS = 2
ROWS = 4
PER_PAGE = COLUMNS * ROWS
PAGE_WIDTH, PAGE_HEIGHT = A4
CARD_WIDTH = PAGE_WIDTH / COLUMNS
CARD_HEIGHT = PAGE_HEIGHT / ROWS
# About 5.6 mm, so the cards need no page margin. NOTE: meant to clear a printer's unprintable edge,
# often estimated at 4 to 5 mm; not checked on a real printer.
PADDING = 16.0
# Six digits fit QR version 1, which is 21 modules wide, so the symbol is 63 pt (22 mm).
QR_MODULE = 3.0
MIN_FONT_SIZE = 6.5
GREY = Color(0.35, 0.35, 0.35)
CUT_LINE_GREY = Color(0.6, 0.6, 0.6)
# segno's mask selection took about 1 ms per symbol on the development machine, so reprints use a cache.
QR_CACHE_SIZE = 4096

TITLE = N_("Free library membership for Limburg residents on a low income")
CODE_LABEL = N_("Voucher code")
ISSUED_BY = N_("Issued by")
ISSUE_DATE = N_("Issue date")
VALID_UNTIL = N_("Valid until")
NAME = N_("Name")
BIRTH_DATE = N_("Date of birth")
INSTRUCTION = N_(
    "Take this voucher and an identity document to the library. "
    "The library staff check your details and arrange your free membership."
)

_font_lock = threading.Lock()
_fonts_registered = False


@dataclass(frozen=True)
class PrintedVoucher:
    """Content of one printed voucher. A holder field is None when unknown, and a line to write on is printed."""

    code: str
    organisation_name: str
    issued_on: date
    expires_on: date | None = None
    holder_first_name: str | None = None
    holder_last_name: str | None = None
    holder_birth_date: date | None = None

    @property
    def holder_name(self) -> str:
        return " ".join(part for part in (self.holder_first_name, self.holder_last_name) if part)


@dataclass(frozen=True)
class _Labels:
    """The translated texts of one document, looked up once instead of once per voucher."""

    title: str
    code: str
    issued_by: str
    issue_date: str
    valid_until: str
    name: str
    birth_date: str
    instruction: str

    @classmethod
    def for_locale(cls, locale: str) -> "_Labels":
        return cls(
            title=translate(locale, TITLE),
            code=translate(locale, CODE_LABEL),
            issued_by=translate(locale, ISSUED_BY),
            issue_date=translate(locale, ISSUE_DATE),
            valid_until=translate(locale, VALID_UNTIL),
            name=translate(locale, NAME),
            birth_date=translate(locale, BIRTH_DATE),
            instruction=translate(locale, INSTRUCTION),
        )


def register_fonts() -> None:
    """Register DejaVu Sans with reportlab once per process, under a lock because PDFs render in worker threads."""
    global _fonts_registered
    with _font_lock:
        if _fonts_registered:
            return
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        _fonts_registered = True


def render_vouchers_pdf(vouchers: Sequence[PrintedVoucher], *, locale: str) -> bytes:
    """Render the vouchers in the given order, eight per A4 page, and return the PDF."""
    register_fonts()
    labels = _Labels.for_locale(locale)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(labels.title)
    canvas.setCreator("biebvoucher")
    for page_start in range(0, len(vouchers), PER_PAGE):
        page = vouchers[page_start : page_start + PER_PAGE]
        for index, voucher in enumerate(page):
            column, row = index % COLUMNS, index // COLUMNS
            canvas.saveState()
            canvas.translate(column * CARD_WIDTH, PAGE_HEIGHT - (row + 1) * CARD_HEIGHT)
            _draw_card(canvas, voucher, labels, locale)
            canvas.restoreState()
        _draw_cut_lines(canvas, len(page))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_cut_lines(canvas: Canvas, count: int) -> None:
    """Draw dashed lines between the cards of a page; the cards reach the paper's edges, so no outer lines."""
    rows_used = (count + COLUMNS - 1) // COLUMNS
    canvas.saveState()
    canvas.setStrokeColor(CUT_LINE_GREY)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    canvas.line(CARD_WIDTH, PAGE_HEIGHT, CARD_WIDTH, PAGE_HEIGHT - rows_used * CARD_HEIGHT)
    for row in range(1, rows_used + 1):
        y = PAGE_HEIGHT - row * CARD_HEIGHT
        canvas.line(0, y, PAGE_WIDTH, y)
    canvas.restoreState()


def _draw_card(canvas: Canvas, voucher: PrintedVoucher, labels: _Labels, locale: str) -> None:
    """Draw one voucher with its bottom left corner at the origin, at fixed positions in points."""
    inner_width = CARD_WIDTH - 2 * PADDING
    top = CARD_HEIGHT - PADDING

    canvas.setFillColor(black)
    _draw_wrapped(canvas, labels.title, PADDING, top - 9, inner_width, BOLD, 9, leading=11, max_lines=2)

    # 12 pt (four modules) below the title's second line, which keeps the quiet zone clear.
    qr_size = _draw_qr(canvas, voucher.code, right=CARD_WIDTH - PADDING, top=top - 34)
    column_width = inner_width - qr_size - QUIET_ZONE_MODULES * QR_MODULE
    _draw_issue_details(canvas, voucher, labels, locale, top=top - 40, width=column_width)

    _draw_holder(canvas, voucher, labels, locale, top=PADDING + 54, width=inner_width)

    canvas.setFillColor(GREY)
    _draw_wrapped(canvas, labels.instruction, PADDING, PADDING + 18, inner_width, REGULAR, 7.5, leading=9, max_lines=3)


def _draw_issue_details(
    canvas: Canvas, voucher: PrintedVoucher, labels: _Labels, locale: str, *, top: float, width: float
) -> None:
    """Draw the code and the issue details in the column left of the QR code."""
    canvas.setFillColor(GREY)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(PADDING, top, labels.code)
    canvas.setFillColor(black)
    canvas.setFont(BOLD, 26)
    canvas.drawString(PADDING, top - 25, format_code(voucher.code))

    y = top - 40
    y = _draw_field(canvas, labels.issued_by, voucher.organisation_name, y, width)
    y = _draw_field(canvas, labels.issue_date, format_short_date(locale, voucher.issued_on), y, width)
    if voucher.expires_on is not None:
        _draw_field(canvas, labels.valid_until, format_short_date(locale, voucher.expires_on), y, width)


def _draw_field(canvas: Canvas, label: str, value: str, y: float, width: float) -> float:
    """Draw "label: value" with the value's font shrunk to fit the width, and return the next baseline."""
    canvas.setFillColor(GREY)
    canvas.setFont(REGULAR, 8)
    prefix = f"{label}: "
    canvas.drawString(PADDING, y, prefix)
    offset = canvas.stringWidth(prefix, REGULAR, 8)
    canvas.setFillColor(black)
    size = _fitting_size(canvas, value, REGULAR, 9, width - offset)
    if size is None:
        wrapped_y = _draw_wrapped(canvas, value, PADDING + offset, y, width - offset, REGULAR, MIN_FONT_SIZE, leading=8)
        return wrapped_y - 4
    canvas.setFont(REGULAR, size)
    canvas.drawString(PADDING + offset, y, value)
    return y - 12


def _draw_holder(
    canvas: Canvas, voucher: PrintedVoucher, labels: _Labels, locale: str, *, top: float, width: float
) -> None:
    """Draw the holder's name and date of birth, or lines to write them on by hand."""
    birth_date = format_short_date(locale, voucher.holder_birth_date) if voucher.holder_birth_date else ""
    y = top
    for label, value in ((labels.name, voucher.holder_name), (labels.birth_date, birth_date)):
        canvas.setFillColor(GREY)
        canvas.setFont(REGULAR, 8.5)
        prefix = f"{label}: "
        canvas.drawString(PADDING, y, prefix)
        offset = PADDING + canvas.stringWidth(prefix, REGULAR, 8.5)
        canvas.setFillColor(black)
        if value:
            available = PADDING + width - offset
            size = _fitting_size(canvas, value, BOLD, 11, available)
            if size is None:
                _draw_wrapped(canvas, value, offset, y, available, BOLD, MIN_FONT_SIZE, leading=7.5, max_lines=2)
            else:
                canvas.setFont(BOLD, size)
                canvas.drawString(offset, y, value)
        else:
            canvas.setStrokeColor(black)
            canvas.setLineWidth(0.6)
            canvas.line(offset, y - 2, PADDING + width, y - 2)
        y -= 19


def _draw_qr(canvas: Canvas, code: str, *, right: float, top: float) -> float:
    """Draw the QR code of `code` with its top right corner (quiet zone excluded) at the given point.

    The quiet zone lies inside the card's padding and the gap left of the symbol, where
    nothing else is drawn. Returns the symbol's width in points.
    """
    size, operators = qr_operators(code)
    width = size * QR_MODULE
    canvas.saveState()
    # One unit per module with y pointing down, so the cached operators use the matrix's own row and column.
    canvas.transform(QR_MODULE, 0, 0, -QR_MODULE, right - width, top)
    canvas.setFillColor(black)
    canvas.addLiteral(operators)
    canvas.restoreState()
    return width


@lru_cache(maxsize=QR_CACHE_SIZE)
def qr_operators(code: str) -> tuple[int, str]:
    """Return the symbol's width in modules and the PDF operators that fill its dark runs.

    The operators are written here instead of through reportlab's path object, because
    without the optional `_rl_accel` C extension (not installed with reportlab 5.1 here)
    reportlab formats every coordinate in pure Python, which took about 3 ms per symbol.
    """
    symbol = qr_symbol(code)
    rectangles = " ".join(f"{run.column} {run.row} {run.length} 1 re" for run in symbol.runs)
    return symbol.size, f"{rectangles} f"


def _fitting_size(canvas: Canvas, text: str, font: str, size: float, width: float) -> float | None:
    """Return the largest size from `size` down to MIN_FONT_SIZE at which `text` fits `width`, else None."""
    natural = canvas.stringWidth(text, font, size)
    if natural <= width:
        return size
    scaled = size * width / natural
    return scaled if scaled >= MIN_FONT_SIZE else None


def _draw_wrapped(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    font: str,
    size: float,
    *,
    leading: float,
    max_lines: int = 2,
) -> float:
    """Draw `text` wrapped at word boundaries from baseline `y` downwards; return the next baseline.

    Lines beyond `max_lines` are dropped and the last kept line ends in "…".
    """
    lines = simpleSplit(text, font, size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip() + "…"
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawString(x, y, line)
        y -= leading
    return y
