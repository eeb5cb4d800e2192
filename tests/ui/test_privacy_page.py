"""The /admin/privacy page: find one resident's vouchers, export them, erase their details."""

import csv
import io
import json

import pytest
from nicegui.testing import User
from sqlmodel import select

from models import AuditEvent, Voucher, VoucherStatus
from models import User as Account
from services.db import read_session
from services.vouchers import HolderInput, issue_vouchers
from tests.ui.conftest import field_error, log_in, table_rows, wait_for

PAGE = "/admin/privacy"
HEADING = "Privacy: gegevens van bewoners"


def _resident_vouchers(count=2):
    """Issue vouchers for one resident with a name no demo holder has."""
    with read_session() as session:
        account = session.exec(select(Account).where(Account.email == "intermediair@demo.test")).one()
    holder = HolderInput(first_name="Gülşen", last_name="van der Wąsowska", birth_date="07-03-1985")
    return issue_vouchers(actor_id=account.id, count=count, holders=[holder] * count)


def _load(voucher_id):
    with read_session() as session:
        return session.get(Voucher, voucher_id)


async def _search(user: User, name: str, birth_date: str = ""):
    user.find(marker="resident-name").type(name)
    if birth_date:
        user.find(marker="resident-birth-date").type(birth_date)
    user.find(marker="resident-search").click()


def _tick(user: User, rows) -> None:
    """Tick `rows` the way the table's checkboxes do, which also fires the selection handlers."""
    keys = [row["id"] for row in rows]
    user.find(marker="resident-table").trigger("selection", {"added": True, "rows": list(rows), "keys": keys})


async def _find_resident(user: User, ids):
    await log_in(user, "beheerder@demo.test", path=PAGE, heading=HEADING)
    await _search(user, "gulsen wasowska", "7-3-1985")
    await user.should_see(marker="resident-table")
    await wait_for(lambda: len(table_rows(user, "resident-table")) == len(ids))


@pytest.mark.parametrize("email", ["intermediair@demo.test", "bibliotheek@demo.test"])
async def test_non_administrators_see_no_search(user: User, email):
    await log_in(user, email, path=PAGE, heading=HEADING)

    await user.should_see("Alleen beheerders kunnen persoonsgegevens van een bewoner zoeken, exporteren of wissen.")
    await user.should_not_see(marker="resident-name")
    await user.should_not_see(marker="erase-button")


async def test_search_by_name_and_birth_date(user: User):
    ids = _resident_vouchers()
    await _find_resident(user, ids)

    rows = table_rows(user, "resident-table")
    assert {row["id"] for row in rows} == set(ids)
    assert {row["holder"] for row in rows} == {"Gülşen van der Wąsowska"}
    assert {row["birth_date"] for row in rows} == {"07-03-1985"}
    await user.should_see("2 vouchers gevonden.")


async def test_search_without_name_explained(user: User):
    await log_in(user, "beheerder@demo.test", path=PAGE, heading=HEADING)

    user.find(marker="resident-birth-date").type("07-03-1985")
    user.find(marker="resident-search").click()

    message = "Naam ontbreekt. Typ de naam van de bewoner, of een deel ervan, om de vouchers te vinden."
    await user.should_see(message)
    assert field_error(user, "resident-name") == message
    assert user.find(marker="privacy-error").elements.pop().text == ""
    assert user.find(marker="resident-birth-date").elements.pop().value == "07-03-1985"


async def test_search_impossible_birth_date_explained(user: User):
    await log_in(user, "beheerder@demo.test", path=PAGE, heading=HEADING)

    await _search(user, "Gülşen", "31-02-2000")

    await user.should_see('Geboortedatum "31-02-2000" bestaat niet. Controleer de dag en de maand.')
    assert user.find(marker="resident-name").elements.pop().value == "Gülşen"


async def test_birth_date_picked_in_calendar(user: User):
    await log_in(user, "beheerder@demo.test", path=PAGE, heading=HEADING)

    picker = user.find(marker="resident-birth-date-picker").elements.pop()
    assert picker.props["locale"]["months"][2] == "maart"
    assert picker.props["locale"]["daysShort"][1] == "ma"
    picker.set_value("07-03-1985")

    assert user.find(marker="resident-birth-date").elements.pop().value == "07-03-1985"


async def test_before_search_shows_hint_not_empty_result(user: User):
    await log_in(user, "beheerder@demo.test", path=PAGE, heading=HEADING)

    await user.should_see("Typ de naam van de bewoner en zoek. De vouchers van de bewoner verschijnen hier.")
    await user.should_not_see(marker="resident-table")


async def test_search_without_match_shows_empty_table(user: User):
    await log_in(user, "beheerder@demo.test", path=PAGE, heading=HEADING)

    await _search(user, "Niemand Bestaatniet")

    await user.should_see("0 vouchers gevonden.")
    table = user.find(marker="resident-table").elements.pop()
    assert table.visible is True
    assert table.props["no-data-label"] == "Geen vouchers gevonden"


async def test_selection_buttons_wait_for_selection(user: User):
    ids = _resident_vouchers(1)
    await log_in(user, "beheerder@demo.test", path=PAGE, heading=HEADING)
    buttons = ("export-json", "export-csv", "erase-button")
    for marker in buttons:
        assert user.find(marker=marker).elements.pop().enabled is False

    await _search(user, "gulsen wasowska", "7-3-1985")
    await user.should_see(marker="resident-table")
    await wait_for(lambda: len(table_rows(user, "resident-table")) == len(ids))
    for marker in buttons:
        assert user.find(marker=marker).elements.pop().enabled is False

    _tick(user, table_rows(user, "resident-table"))
    for marker in buttons:
        assert user.find(marker=marker).elements.pop().enabled is True

    user.find(marker="resident-table").trigger("selection", {"added": False, "rows": [], "keys": ids})
    for marker in buttons:
        assert user.find(marker=marker).elements.pop().enabled is False


async def test_birth_date_field_is_wide_enough(user: User):
    await log_in(user, "beheerder@demo.test", path=PAGE, heading=HEADING)

    field = user.find(marker="resident-birth-date").elements.pop()
    assert field.props["label"] == "Geboortedatum (optioneel)"
    assert "w-72" in field.classes


async def test_export_json_download(user: User):
    ids = _resident_vouchers()
    await _find_resident(user, ids)
    _tick(user, table_rows(user, "resident-table"))

    user.find(marker="export-json").click()

    response = await user.download.next(timeout=3)
    data = json.loads(response.content.decode("utf-8"))
    assert {voucher["Code"] for voucher in data["Vouchers"]} == {_load(voucher_id).code for voucher_id in ids}
    assert {voucher["Achternaam"] for voucher in data["Vouchers"]} == {"van der Wąsowska"}
    assert {voucher["Status"] for voucher in data["Vouchers"]} == {"Uitgegeven"}
    with read_session() as session:
        exported = session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.personal_data_exported")).all()
    assert sorted(event.voucher_id for event in exported) == sorted(ids)


async def test_export_csv_download(user: User):
    ids = _resident_vouchers(1)
    await _find_resident(user, ids)
    _tick(user, table_rows(user, "resident-table"))

    user.find(marker="export-csv").click()

    response = await user.download.next(timeout=3)
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == _load(ids[0]).code
    assert rows[1][4:7] == ["Gülşen", "van der Wąsowska", "1985-03-07"]


async def test_erase_selected_vouchers(user: User):
    ids = _resident_vouchers(3)
    await _find_resident(user, ids)
    _tick(user, [row for row in table_rows(user, "resident-table") if row["id"] != ids[2]])

    user.find(marker="erase-button").click()
    await user.should_see(marker="reason-input")
    user.find(marker="reason-input").type("Verzoek van Gülşen per e-mail")
    user.find(marker="reason-confirm").click()
    await user.should_see("Reden bevat de naam van de bewoner", retries=30)
    assert _load(ids[0]).holder_first_name == "Gülşen"

    user.find(marker="reason-input").clear().type("Verzoek van de bewoner per e-mail")
    user.find(marker="reason-confirm").click()

    await user.should_see("Persoonsgegevens verwijderd van 2 vouchers.")
    await wait_for(lambda: [row["id"] for row in table_rows(user, "resident-table")] == [ids[2]])
    assert _load(ids[0]).holder_last_name is None
    assert _load(ids[1]).holder_birth_date is None
    assert _load(ids[2]).holder_last_name == "van der Wąsowska"
    assert _load(ids[0]).status == VoucherStatus.ISSUED


async def test_erased_voucher_detail_says_removed(user: User):
    ids = _resident_vouchers(1)
    await _find_resident(user, ids)
    _tick(user, table_rows(user, "resident-table"))
    user.find(marker="erase-button").click()
    await user.should_see(marker="reason-input")
    user.find(marker="reason-input").type("Verzoek van de bewoner")
    user.find(marker="reason-confirm").click()
    await user.should_see("Persoonsgegevens verwijderd van 1 voucher.")

    await user.open(f"/vouchers/{ids[0]}")

    await user.should_see("Persoonsgegevens verwijderd")
    await user.should_not_see("niet ingevuld")
    changes = [row["change"] for row in user.find(marker="audit-table").elements.pop().rows]
    assert changes[-1] == "Voornaam verwijderd, Achternaam verwijderd, Geboortedatum verwijderd"
    assert "Wąsowska" not in " ".join(changes)
