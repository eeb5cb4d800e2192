"""Writing voucher lists as CSV for Dutch Excel and as XLSX, with times in Europe/Amsterdam."""

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from models import VoucherStatus
from services.clock import LOCAL_ZONE
from services.codes import format_code
from services.i18n import N_, normalise_locale, translate
from services.voucher_views import VoucherView

# Dutch Excel expects `;` because `,` is its decimal separator. The byte-order mark makes it
# read the file as UTF-8, so names such as "Łukasz Wójcik" keep their letters.
CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"
CSV_DATE = "%d-%m-%Y"
CSV_DATETIME = "%d-%m-%Y %H:%M"
# Excel number formats, stored in the file in Excel's language-independent form.
XLSX_FORMATS = {
    "nl": ("DD-MM-YYYY", "DD-MM-YYYY HH:MM"),
    "en": ("D MMM YYYY", "D MMM YYYY HH:MM"),
}
# Spreadsheet programs evaluate a cell that starts with one of these as a formula. A holder
# name such as `=HYPERLINK("http://…")`, typed by one user, would then run in the spreadsheet
# of the person who opens the export ("CSV injection"). Tab and carriage return are on the
# list because a leading blank can hide the formula sign from a check on the first character.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

STATUS_NAMES = {
    VoucherStatus.ISSUED: N_("Issued"),
    VoucherStatus.REDEEMED: N_("Redeemed"),
    VoucherStatus.REIMBURSED: N_("Reimbursed"),
    VoucherStatus.WITHDRAWN: N_("Withdrawn"),
    VoucherStatus.EXPIRED: N_("Expired"),
}


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


CellValue = str | date | datetime | None


@dataclass(frozen=True)
class ExportColumn:
    """One column of the export: its header message id, its width in XLSX characters and its value."""

    header: str
    width: int
    value: Callable[[VoucherView], CellValue]
    # The value is a message id, translated into the export's locale.
    translated: bool = False


def _local(moment: datetime | None) -> datetime | None:
    """Return the moment as a naive Europe/Amsterdam time, because spreadsheet cells have no time zone."""
    return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None) if moment else None


COLUMNS: tuple[ExportColumn, ...] = (
    # The grouped form "012 345" keeps a leading zero, which Excel drops from a number.
    ExportColumn(N_("Code"), 10, lambda view: format_code(view.code)),
    ExportColumn(N_("Status"), 14, lambda view: STATUS_NAMES[view.status], translated=True),
    ExportColumn(N_("Created at"), 18, lambda view: _local(view.created_at)),
    ExportColumn(N_("Created by"), 24, lambda view: view.created_by_name),
    ExportColumn(N_("Organisation"), 28, lambda view: view.organisation_name),
    ExportColumn(N_("First name"), 18, lambda view: view.holder_first_name),
    ExportColumn(N_("Last name"), 22, lambda view: view.holder_last_name),
    ExportColumn(N_("Date of birth"), 14, lambda view: view.holder_birth_date),
    ExportColumn(N_("Valid until"), 14, lambda view: view.expires_on),
    ExportColumn(N_("Redeemed at"), 18, lambda view: _local(view.redeemed_at)),
    ExportColumn(N_("Redeemed by"), 24, lambda view: view.redeemed_by_name),
    ExportColumn(N_("Library"), 24, lambda view: view.redeemed_library_name),
    ExportColumn(N_("Library card number"), 18, lambda view: view.library_card_number),
    ExportColumn(N_("Reimbursed at"), 18, lambda view: _local(view.reimbursed_at)),
    ExportColumn(N_("Withdrawn at"), 18, lambda view: _local(view.withdrawn_at)),
    ExportColumn(N_("Reason for withdrawal"), 30, lambda view: view.withdrawal_reason),
)


def neutralise_formula(text: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe, so it stays text."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell_values(view: VoucherView, locale: str) -> list[CellValue]:
    values = []
    for column in COLUMNS:
        value = column.value(view)
        values.append(translate(locale, value) if column.translated and isinstance(value, str) else value)
    return values


def write_csv(views: Sequence[VoucherView], *, locale: str) -> bytes:
    """Return the vouchers as CSV: UTF-8 with a byte-order mark, `;` between fields, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(translate(locale, column.header) for column in COLUMNS)
    for view in views:
        writer.writerow(_csv_text(value) for value in _cell_values(view, locale))
    return buffer.getvalue().encode(CSV_ENCODING)


def _csv_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(CSV_DATETIME)
    if isinstance(value, date):
        return value.strftime(CSV_DATE)
    return neutralise_formula(value)


def write_xlsx(views: Sequence[VoucherView], *, locale: str, sheet_title: str) -> bytes:
    """Return the vouchers as an XLSX workbook: a bold header row, set column widths and real dates."""
    date_format, datetime_format = XLSX_FORMATS[normalise_locale(locale)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    # A write-only sheet takes widths and frozen panes only before its first row.
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=translate(locale, column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    for view in views:
        sheet.append([_xlsx_cell(sheet, value, date_format, datetime_format) for value in _cell_values(view, locale)])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: CellValue, date_format: str, datetime_format: str) -> Cell | CellValue:
    """Return a styled cell for a date or formula-like text, otherwise the bare value, which openpyxl writes faster."""
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = datetime_format
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = date_format
        return cell
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # openpyxl stores a string starting with "=" as a formula. A text cell with Excel's
        # quote prefix shows the characters as typed and is not evaluated (see FORMULA_PREFIXES).
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value
