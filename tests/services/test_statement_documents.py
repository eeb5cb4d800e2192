import csv
import io
import itertools
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from services.i18n import format_money
from services.reimbursement import Statement, StatementLine
from services.statement_documents import (
    PAGE_MARGIN,
    statement_csv,
    statement_filename,
    statement_pdf,
)
from services.voucher_pdf import BOLD

STATEMENT = Statement(
    period_from=date(2026, 6, 1),
    period_to=date(2026, 7, 31),
    library_name=None,
    lines=[
        StatementLine(1, "Bibliotheek Maastricht", 37, Decimal("101.00"), Decimal("1133.50")),
        StatementLine(2, "Biblioteka Łódź Façade", 2, Decimal("5.50"), Decimal("61.50")),
        StatementLine(3, "=HYPERLINK(1)", 1, Decimal("3.00"), Decimal("31.50")),
    ],
    batch_number="00012",
)


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_starts_with_byte_order_mark():
    assert statement_csv(STATEMENT, "nl").startswith(b"\xef\xbb\xbf")


def test_csv_rows_in_dutch():
    rows = _csv_rows(statement_csv(STATEMENT, "nl"))

    assert rows[0] == [
        "Bibliotheek",
        "Vouchers",
        "Administratiekosten (EUR)",
        "Lidmaatschapskosten (EUR)",
        "Totaal (EUR)",
    ]
    assert rows[1] == ["Bibliotheek Maastricht", "37", "101,00", "1.133,50", "1.234,50"]
    assert rows[2] == ["Biblioteka Łódź Façade", "2", "5,50", "61,50", "67,00"]
    assert rows[-1] == ["Totaal", "40", "109,50", "1.226,50", "1.336,00"]
    assert len(rows) == 5


def test_csv_neutralises_formula_names():
    rows = _csv_rows(statement_csv(STATEMENT, "nl"))

    assert rows[3][0] == "'=HYPERLINK(1)"


def test_csv_in_english():
    rows = _csv_rows(statement_csv(STATEMENT, "en"))

    assert rows[0][0] == "Library"
    assert rows[1][-1] == "1,234.50"


def test_money_in_dutch_format():
    assert format_money("nl", Decimal("1234.5")) == "€\xa01.234,50"
    assert format_money("en", Decimal("1234.5")) == "€1,234.50"


def test_pdf_text_holds_lines_and_totals():
    reader = PdfReader(io.BytesIO(statement_pdf(STATEMENT, "nl")))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")

    assert len(reader.pages) == 1
    assert "Vergoedingsoverzicht" in text
    assert "Batch 00012" in text
    assert "01-06-2026" in text
    assert "31-07-2026" in text
    assert "alle bibliotheken" in text
    assert "Bibliotheek Maastricht" in text
    assert "Biblioteka Łódź Façade" in text
    assert "€ 1.234,50" in text
    assert "€ 1.336,00" in text
    assert "Totaal" in text


def test_filename_names_batch():
    assert statement_filename(STATEMENT, "csv") == "vergoeding-00012.csv"


@pytest.mark.parametrize(
    ("locale", "titles"),
    [
        ("nl", ["Bibliotheek", "Vouchers", "Administratiekosten", "Lidmaatschapskosten", "Totaal"]),
        ("en", ["Library", "Vouchers", "Handling", "fees", "Membership", "costs", "Total"]),
    ],
)
def test_pdf_column_titles_do_not_overlap(locale, titles):
    """Measure where each header line is drawn: on one line, each must end before the next one starts."""
    reader = PdfReader(io.BytesIO(statement_pdf(STATEMENT, locale)))
    drawn: list[tuple[str, float, float, float]] = []

    def collect(text, matrix, text_matrix, font, size):
        text = text.strip()
        if text and font is not None and font.get("/BaseFont", "").endswith("Bold") and text != reader.metadata.title:
            x = matrix[4] + text_matrix[4]
            y = round(matrix[5] + text_matrix[5], 1)
            drawn.append((text, x, x + stringWidth(text, BOLD, size), y))

    reader.pages[0].extract_text(visitor_text=collect)
    # The total row is bold too, and the only bold line with digits.
    total_row_y = {y for text, *_, y in drawn if any(character.isdigit() for character in text)}
    drawn = [item for item in drawn if item[3] not in total_row_y]

    assert sorted(word for text, *_ in drawn for word in text.split()) == sorted(titles)
    for line_y in {y for *_, y in drawn}:
        line = sorted((start, end, text) for text, start, end, y in drawn if y == line_y)
        for (_, end, text), (start, _, following) in itertools.pairwise(line):
            assert end < start, f"{text!r} runs into {following!r}"
        assert line[0][0] >= PAGE_MARGIN - 1, f"{line[0][2]!r} starts left of the margin"
        assert line[-1][1] <= A4[0] - PAGE_MARGIN + 1, f"{line[-1][2]!r} ends right of the margin"
