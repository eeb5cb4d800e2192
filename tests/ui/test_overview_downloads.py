"""The overview's "Downloaden" button and "Exporteren" menu, with NiceGUI's simulated user."""

import io

import pypdf
from nicegui.testing import User
from sqlmodel import select

from models import AuditEvent, Voucher, VoucherStatus
from services.db import read_session
from tests.ui.conftest import log_in, table_rows, wait_for


def _select(user: User, rows: list[dict]) -> None:
    """Select rows as the browser reports a ticked checkbox."""
    user.find(marker="voucher-table").trigger(
        "selection", {"added": True, "rows": rows, "keys": [row["id"] for row in rows]}
    )


def _issued_rows(user: User) -> list[dict]:
    with read_session() as session:
        return [
            row
            for row in table_rows(user)
            if row["status"] == "issued" and session.get(Voucher, row["id"]).status == VoucherStatus.ISSUED
        ]


def _download_button(user: User):
    return user.find(marker="download-vouchers").elements.pop()


async def test_download_disabled_without_selection(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) > 0)

    button = _download_button(user)

    assert button.enabled is False
    await user.should_see("Selecteer vouchers in de tabel om ze te downloaden.")


async def test_download_selected_rows_gives_pdf(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(_issued_rows(user)) >= 2)
    rows = _issued_rows(user)[:2]

    _select(user, rows)
    await wait_for(lambda: _download_button(user).enabled)
    await user.should_see("2 vouchers geselecteerd")
    user.find(marker="download-vouchers").click()

    response = await user.download.next(timeout=10)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for row in rows:
        assert row["code"] in text
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "vouchers.downloaded")).one()
    assert sorted(event.after["voucher_ids"]) == sorted(row["id"] for row in rows)


async def test_download_redeemed_row_explained(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: any(row["status"] == "redeemed" for row in table_rows(user)))
    redeemed = next(row for row in table_rows(user) if row["status"] == "redeemed")

    _select(user, [redeemed])
    await wait_for(lambda: _download_button(user).enabled)
    user.find(marker="download-vouchers").click()

    await user.should_see(
        "Geselecteerde vouchers die niet meer uitgegeven zijn (ingenomen, ingetrokken of verlopen): 1."
        " Alleen uitgegeven vouchers kunt u afdrukken. Haal bij de andere het vinkje weg en download opnieuw."
    )


async def test_export_csv_contains_all_rows(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) == 25)
    total = user.find(marker="voucher-table").elements.pop().pagination["rowsNumber"]

    user.find(marker="export-menu").click()
    user.find(marker="export-csv").click()

    response = await user.download.next(timeout=10)
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert lines[0].startswith("Code;Status;Aangemaakt op;")
    assert len(lines) == total + 1
    assert total > 25


async def test_export_xlsx_gives_workbook(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) > 0)

    user.find(marker="export-menu").click()
    user.find(marker="export-xlsx").click()

    response = await user.download.next(timeout=10)
    # An XLSX file is a ZIP archive.
    assert response.content.startswith(b"PK")
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "vouchers.exported")).one()
    assert event.after["format"] == "xlsx"
