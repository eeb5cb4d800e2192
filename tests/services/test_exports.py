"""Overview exports read back: CSV with its byte-order mark and `;`, XLSX through openpyxl."""

import codecs
import csv
import io
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlmodel import select

from models import AuditEvent, OrganisationKind, Role, Voucher, VoucherStatus
from services.codes import format_code
from services.db import read_session, write_session
from services.downloads import EXPORT_ACTION, export_vouchers
from services.errors import InvalidPeriod
from services.voucher_exports import ExportFormat, neutralise_formula
from services.voucher_queries import VoucherQuery
from services.vouchers import HolderInput, issue_vouchers
from tests.factories import make_organisation, make_user

DUTCH_HEADERS = [
    "Code",
    "Status",
    "Aangemaakt op",
    "Aangemaakt door",
    "Organisatie",
    "Voornaam",
    "Achternaam",
    "Geboortedatum",
    "Geldig tot en met",
    "Ingenomen op",
    "Ingenomen door",
    "Bibliotheek",
    "Bibliotheekpasnummer",
    "Vergoed op",
    "Ingetrokken op",
    "Reden van intrekking",
]
# 22:30 UTC on 1 July is 00:30 the next day in Amsterdam (summer time, UTC+2).
REDEEMED_AT = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
# 23:15 UTC on 31 January is 00:15 on 1 February in Amsterdam (winter time, UTC+1).
CREATED_AT = datetime(2026, 1, 31, 23, 15, tzinfo=UTC)


def _csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def _export(actor, file_format, **filters):
    query = VoucherQuery(per_page=2, **filters)
    return export_vouchers(actor_id=actor.id, query=query, file_format=file_format, locale="nl")


def _set_times(voucher_id, *, created_at=None, redeemed_by=None):
    """Give a voucher fixed times, so the conversion to Amsterdam time can be checked."""
    with write_session() as session:
        voucher = session.get(Voucher, voucher_id)
        if created_at:
            voucher.created_at = created_at
        if redeemed_by:
            voucher.status = VoucherStatus.REDEEMED
            voucher.redeemed_at = REDEEMED_AT
            voucher.redeemed_by_id = redeemed_by.id
            voucher.redeemed_library_id = redeemed_by.organisation_id
            voucher.library_card_number = "2000123"
        session.add(voucher)


def _code(voucher_id):
    with read_session() as session:
        return format_code(session.get(Voucher, voucher_id).code)


def test_csv_has_byte_order_mark_and_semicolons(intermediary):
    issue_vouchers(actor_id=intermediary.id, count=1)

    content = _export(intermediary, ExportFormat.CSV).content

    assert content.startswith(codecs.BOM_UTF8)
    first_line = content.decode("utf-8-sig").split("\r\n")[0]
    assert first_line == ";".join(DUTCH_HEADERS)


def test_csv_contains_all_matching_rows(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=5)

    file = _export(intermediary, ExportFormat.CSV)

    rows = _csv_rows(file.content)
    assert rows[0] == DUTCH_HEADERS
    assert sorted(row[0] for row in rows[1:]) == sorted(_code(voucher_id) for voucher_id in voucher_ids)
    assert re.fullmatch(r"vouchers-export-\d{4}-\d{2}-\d{2}\.csv", file.filename)


def test_csv_keeps_letters_and_uses_amsterdam_time(intermediary, desk_staff):
    holder = HolderInput("Łukasz", "O'Brien-Şahin van der Meer", "07-03-1985")
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1, holders=[holder])
    _set_times(voucher_id, created_at=CREATED_AT, redeemed_by=desk_staff)

    (row,) = _csv_rows(_export(intermediary, ExportFormat.CSV).content)[1:]

    values = dict(zip(DUTCH_HEADERS, row, strict=True))
    assert values["Status"] == "Ingenomen"
    assert values["Voornaam"] == "Łukasz"
    assert values["Achternaam"] == "O'Brien-Şahin van der Meer"
    assert values["Geboortedatum"] == "07-03-1985"
    assert values["Aangemaakt op"] == "01-02-2026 00:15"
    assert values["Ingenomen op"] == "02-07-2026 00:30"
    assert values["Ingenomen door"] == desk_staff.name
    assert values["Bibliotheekpasnummer"] == "2000123"
    assert values["Vergoed op"] == ""


def test_csv_formula_in_name_stays_text(intermediary):
    holders = [HolderInput('=HYPERLINK("http://example.invalid","x")', "+31"), HolderInput("-2", "@SUM(A1)")]
    issue_vouchers(actor_id=intermediary.id, count=2, holders=holders)

    rows = _csv_rows(_export(intermediary, ExportFormat.CSV).content)[1:]

    names = sorted((row[5], row[6]) for row in rows)
    assert names == [("'-2", "'@SUM(A1)"), ('\'=HYPERLINK("http://example.invalid","x")', "'+31")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6", "'+31 6"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("Anne-Marie", "Anne-Marie"),
        ("O'Brien", "O'Brien"),
        ("", ""),
    ],
)
def test_neutralise_formula_cases(text, expected):
    assert neutralise_formula(text) == expected


def test_csv_follows_status_filter(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=3)
    with write_session() as session:
        voucher = session.get(Voucher, voucher_ids[0])
        voucher.status = VoucherStatus.WITHDRAWN
        session.add(voucher)

    rows = _csv_rows(_export(intermediary, ExportFormat.CSV, status=VoucherStatus.ISSUED).content)[1:]

    assert sorted(row[0] for row in rows) == sorted(_code(voucher_id) for voucher_id in voucher_ids[1:])
    assert {row[1] for row in rows} == {"Uitgegeven"}


def test_csv_leaves_out_other_organisations(intermediary):
    other = make_user(Role.INTERMEDIARY, make_organisation(OrganisationKind.INTERMEDIARY))
    own_ids = issue_vouchers(actor_id=intermediary.id, count=2)
    issue_vouchers(actor_id=other.id, count=3)

    rows = _csv_rows(_export(intermediary, ExportFormat.CSV).content)[1:]

    assert sorted(row[0] for row in rows) == sorted(_code(voucher_id) for voucher_id in own_ids)


def test_csv_invalid_period_rejected(intermediary):
    with pytest.raises(InvalidPeriod):
        _export(intermediary, ExportFormat.CSV, created_from=date(2026, 5, 2), created_to=date(2026, 5, 1))


def test_xlsx_read_back_with_real_dates(intermediary, desk_staff):
    holder = HolderInput("Ștefan", "Erdős-Núñez", "15-11-1972")
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1, holders=[holder])
    _set_times(voucher_id, created_at=CREATED_AT, redeemed_by=desk_staff)

    file = _export(intermediary, ExportFormat.XLSX)

    sheet = _xlsx_sheet(file.content)
    header, row = list(sheet.iter_rows())
    assert [cell.value for cell in header] == DUTCH_HEADERS
    assert all(cell.font.bold for cell in header)
    values = {name: cell for name, cell in zip(DUTCH_HEADERS, row, strict=True)}
    assert values["Code"].value == _code(voucher_id)
    assert values["Voornaam"].value == "Ștefan"
    assert values["Achternaam"].value == "Erdős-Núñez"
    assert values["Geboortedatum"].value == datetime(1972, 11, 15)
    assert values["Geboortedatum"].number_format == "DD-MM-YYYY"
    assert values["Aangemaakt op"].value == datetime(2026, 2, 1, 0, 15)
    assert values["Ingenomen op"].value == datetime(2026, 7, 2, 0, 30)
    assert values["Ingenomen op"].number_format == "DD-MM-YYYY HH:MM"
    assert values["Vergoed op"].value is None
    assert file.filename.endswith(".xlsx")


def test_xlsx_sets_column_widths_and_frozen_header(intermediary):
    issue_vouchers(actor_id=intermediary.id, count=1)

    sheet = _xlsx_sheet(_export(intermediary, ExportFormat.XLSX).content)

    assert sheet.column_dimensions["A"].width == 10
    assert sheet.column_dimensions["P"].width == 30
    assert sheet.freeze_panes == "A2"


def test_xlsx_formula_in_name_stays_text(intermediary):
    holder = HolderInput("=1+1", "@SUM(A1)")
    issue_vouchers(actor_id=intermediary.id, count=1, holders=[holder])

    sheet = _xlsx_sheet(_export(intermediary, ExportFormat.XLSX).content)

    first_name, last_name = sheet["F2"], sheet["G2"]
    assert first_name.value == "=1+1"
    assert first_name.data_type == "s"
    assert first_name.quotePrefix is True
    assert last_name.value == "@SUM(A1)"
    assert last_name.quotePrefix is True


def test_export_recorded_in_audit(intermediary):
    voucher_ids = issue_vouchers(actor_id=intermediary.id, count=2)

    _export(intermediary, ExportFormat.XLSX, search="jans")
    _export(intermediary, ExportFormat.CSV)

    with read_session() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == EXPORT_ACTION).order_by(AuditEvent.id)
        ).all()
    assert [event.after["format"] for event in events] == ["xlsx", "csv"]
    assert all(event.actor_id == intermediary.id for event in events)
    assert events[0].after["count"] == 0
    assert events[0].after["filters"]["search"] == "jans"
    assert events[1].after["count"] == 2
    assert sorted(events[1].after["voucher_ids"]) == sorted(voucher_ids)
