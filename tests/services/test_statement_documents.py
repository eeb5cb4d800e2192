import csv
import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from services.reimbursement import Statement, StatementLine
from services.statement_documents import format_money, statement_csv, statement_filename, statement_pdf

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
