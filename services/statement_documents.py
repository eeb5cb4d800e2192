"""A reimbursement batch's statement as CSV and PDF, in the locale the caller passes.

The CSV is UTF-8 with a byte-order mark and `;` between fields, so Excel with Dutch
settings opens it with accents intact. Its amounts are numbers in the locale's format
without a currency sign ("1.234,50" in Dutch), so such an Excel reads them as numbers that
can be summed. The PDF prints amounts as currency ("€ 1.234,50").
"""

import csv
import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.i18n import DEFAULT_LOCALE, N_, format_amount, format_money, format_short_date, translate
from services.reimbursement import Statement
from services.voucher_pdf import BOLD, REGULAR, register_fonts

# Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMN_TITLES = (
    N_("Library"),
    N_("Vouchers"),
    N_("Handling fees"),
    N_("Membership costs"),
    N_("Total"),
)
# The statement goes to the fund, which keeps its books in Dutch, and the CSV must open as
# numbers in a Dutch Excel. So pages make it in Dutch whatever language the user reads.
STATEMENT_LOCALE = DEFAULT_LOCALE
PAGE_MARGIN = 20 * mm
TEXT_WIDTH = A4[0] - 2 * PAGE_MARGIN
CELL_PADDING = 4  # points, left and right of every cell
HEADER_FONT_SIZE = 9
BODY_FONT_SIZE = 10
MIN_LIBRARY_WIDTH = 40 * mm


def statement_filename(statement: Statement, extension: str) -> str:
    """Return a file name such as "vergoeding-00012.pdf"."""
    return f"vergoeding-{statement.batch_number or 'voorbeeld'}.{extension}"


def statement_csv(statement: Statement, locale: str) -> bytes:
    """Return the statement as CSV: a header, one row per library and a total row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    titles = [translate(locale, title) for title in COLUMN_TITLES]
    writer.writerow([titles[0], titles[1], *(f"{title} (EUR)" for title in titles[2:])])
    for line in statement.lines:
        writer.writerow(
            [
                _neutralise_formula(line.library_name),
                line.voucher_count,
                format_amount(locale, line.handling_fees),
                format_amount(locale, line.membership_costs),
                format_amount(locale, line.total),
            ]
        )
    writer.writerow(
        [
            translate(locale, N_("Total")),
            statement.voucher_count,
            format_amount(locale, statement.handling_fees),
            format_amount(locale, statement.membership_costs),
            format_amount(locale, statement.total),
        ]
    )
    return buffer.getvalue().encode("utf-8-sig")


def _neutralise_formula(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def statement_pdf(statement: Statement, locale: str) -> bytes:
    """Return the statement as a one-table A4 PDF with the batch number, period and totals."""
    buffer = io.BytesIO()
    title = translate(locale, N_("Reimbursement statement"))
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=PAGE_MARGIN, rightMargin=PAGE_MARGIN, topMargin=PAGE_MARGIN
    )
    # DejaVu Sans, as on the vouchers: Helvetica has no "ł" or "ș" for library names.
    register_fonts()
    styles = getSampleStyleSheet()
    styles["Title"].fontName = BOLD
    styles["Normal"].fontName = REGULAR
    story = [
        Paragraph(title, styles["Title"]),
        Paragraph(_escape(_heading(statement, locale)), styles["Normal"]),
        Spacer(1, 8 * mm),
        _amounts_table(statement, locale),
    ]
    document.build(story)
    return buffer.getvalue()


def _heading(statement: Statement, locale: str) -> str:
    library = statement.library_name or translate(locale, N_("all libraries"))
    period = translate(
        locale,
        N_("Redeemed from {first_day} through {last_day}"),
        first_day=format_short_date(locale, statement.period_from),
        last_day=format_short_date(locale, statement.period_to),
    )
    batch = translate(locale, N_("Batch {number}"), number=statement.batch_number or "-")
    return f"{batch} · {period} · {library}"


def _amounts_table(statement: Statement, locale: str) -> Table:
    name_style = ParagraphStyle("library", fontName=REGULAR, fontSize=BODY_FONT_SIZE, leading=12)
    rows: list[list[str | Paragraph]] = [_header_row(locale)]
    for line in statement.lines:
        rows.append(
            [
                Paragraph(_escape(line.library_name), name_style),
                str(line.voucher_count),
                format_money(locale, line.handling_fees),
                format_money(locale, line.membership_costs),
                format_money(locale, line.total),
            ]
        )
    rows.append(
        [
            translate(locale, N_("Total")),
            str(statement.voucher_count),
            format_money(locale, statement.handling_fees),
            format_money(locale, statement.membership_costs),
            format_money(locale, statement.total),
        ]
    )
    table = Table(rows, colWidths=_column_widths(rows, locale), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("FONTSIZE", (0, 1), (-1, -1), BODY_FONT_SIZE),
                ("FONTNAME", (0, -1), (-1, -1), BOLD),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _header_row(locale: str) -> list[str | Paragraph]:
    """Return the column titles as paragraphs, which wrap at spaces inside their column."""
    left = ParagraphStyle("header", fontName=BOLD, fontSize=HEADER_FONT_SIZE, leading=11)
    right = ParagraphStyle("header-right", parent=left, alignment=TA_RIGHT)
    return [
        Paragraph(_escape(translate(locale, title)), left if index == 0 else right)
        for index, title in enumerate(COLUMN_TITLES)
    ]


def _column_widths(rows: list[list[str | Paragraph]], locale: str) -> list[float]:
    """Size each figure column to its longest header word or value; the library column gets the rest.

    A header wraps only at spaces, so a column narrower than its longest word ("Lidmaatschapskosten")
    would let that word run into the next column.
    """
    widths = []
    for column, title in enumerate(COLUMN_TITLES[1:], start=1):
        longest_word = max(stringWidth(word, BOLD, HEADER_FONT_SIZE) for word in translate(locale, title).split())
        longest_value = max(stringWidth(str(row[column]), BOLD, BODY_FONT_SIZE) for row in rows[1:])
        widths.append(max(longest_word, longest_value) + 2 * CELL_PADDING + 1)
    # NOTE: with very large amounts the figure columns could leave the library less than
    # MIN_LIBRARY_WIDTH, and the table then runs past the right margin.
    library = max(TEXT_WIDTH - sum(widths), MIN_LIBRARY_WIDTH)
    return [library, *widths]


def _escape(text: str) -> str:
    # Paragraph reads its text as reportlab's XML-like markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
