import uuid

from nicegui import ui
from nicegui.testing import User
from sqlalchemy import update
from sqlmodel import select

from models import Organisation, Voucher, VoucherStatus
from models import User as Account
from services.codes import format_code
from services.db import read_session, write_session
from services.events import RESYNC_ACTION, VoucherEvent, get_bus
from services.redemption import redeem_voucher
from tests.ui.conftest import field_error, log_in, table_rows, wait_for


def _account(email):
    with read_session() as session:
        return session.exec(select(Account).where(Account.email == email)).one()


def _issued_voucher_of(account):
    with read_session() as session:
        return session.exec(
            select(Voucher).where(
                Voucher.organisation_id == account.organisation_id,
                Voucher.status == VoucherStatus.ISSUED,
                Voucher.expires_on.is_(None),
            )
        ).first()


async def test_overview_lists_own_organisation_only(user: User):
    await log_in(user, "intermediair@demo.test")
    account = _account("intermediair@demo.test")
    with read_session() as session:
        own_name = session.get(Organisation, account.organisation_id).name

    await wait_for(lambda: len(table_rows(user)) == 25)

    assert {row["organisation"] for row in table_rows(user)} == {own_name}
    table = user.find(marker="voucher-table").elements.pop()
    assert table.pagination["rowsNumber"] > 25


async def test_status_filter_shows_only_that_status(user: User):
    await log_in(user, "beheerder@demo.test")
    await wait_for(lambda: len(table_rows(user)) > 0)

    user.find(kind=ui.select, content="Status").elements.pop().set_value("redeemed")

    await wait_for(lambda: {row["status"] for row in table_rows(user)} == {"redeemed"})
    assert all(row["status_label"] == "Ingenomen" for row in table_rows(user))


async def test_search_by_code_finds_voucher(user: User):
    await log_in(user, "intermediair@demo.test")
    voucher = _issued_voucher_of(_account("intermediair@demo.test"))

    user.find("Zoeken op code of houder").type(format_code(voucher.code))

    await wait_for(lambda: [row["code"] for row in table_rows(user)] == [format_code(voucher.code)])


async def test_malformed_period_date_explained_and_kept(user: User):
    await log_in(user, "intermediair@demo.test")
    field = user.find("Aangemaakt vanaf")

    field.type("31-31-2026").trigger("keydown.enter")

    await user.should_see('Periodedatum "31-31-2026" bestaat niet. Controleer de dag en de maand.')
    element = field.elements.pop()
    assert element.value == "31-31-2026"
    assert element.props["error"] is True
    assert table_rows(user) == []


async def test_period_date_in_words_explained(user: User):
    await log_in(user, "intermediair@demo.test")

    user.find("Aangemaakt vanaf").type("1 september").trigger("keydown.enter")

    await user.should_see('Periodedatum "1 september" is geen datum. Typ hem als dd-mm-jjjj, bijvoorbeeld 01-09-2026.')


async def test_complete_period_date_applies_while_typing(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) == 25)

    user.find("Aangemaakt vanaf").type("01-01-2099")

    await wait_for(lambda: table_rows(user) == [])


async def test_reversed_period_explained(user: User):
    await log_in(user, "intermediair@demo.test")
    user.find("Aangemaakt vanaf").type("01-12-2026")
    user.find("Aangemaakt tot en met").type("01-11-2026").trigger("keydown.enter")

    await user.should_see("Periode: de begindatum ligt na de einddatum. Wissel de datums om of pas er een aan.")


async def test_create_vouchers_appear_on_top_selected(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) > 0)

    user.find(marker="create-vouchers").click()
    await user.should_see(marker="voucher-count")
    user.find(marker="voucher-count").elements.pop().set_value("2")
    user.find(marker="create-submit").click()

    await user.should_see("2 vouchers aangemaakt")
    await user.should_see("2 vouchers geselecteerd")
    rows = table_rows(user)
    assert [row["status"] for row in rows[:2]] == ["issued", "issued"]
    selected = user.find(marker="voucher-table").elements.pop().selected
    assert {row["id"] for row in selected} == {row["id"] for row in rows[:2]}


async def test_create_over_request_limit_keeps_dialog(user: User):
    await log_in(user, "intermediair@demo.test")
    user.find(marker="create-vouchers").click()
    await user.should_see(marker="voucher-count")
    count = user.find(marker="voucher-count")

    count.elements.pop().set_value("11")
    user.find(marker="create-submit").click()

    await user.should_see("U kunt in één keer hoogstens 10 vouchers aanmaken. Kies een lager aantal.")
    assert user.find(marker="voucher-count").elements.pop().value == "11"


async def test_create_with_impossible_birth_date_keeps_names(user: User):
    await log_in(user, "intermediair@demo.test")
    user.find(marker="create-vouchers").click()
    await user.should_see(marker="voucher-count")
    user.find("Gegevens van de houder nu invullen (niet verplicht)").click()
    user.find("Voornaam").type("Gülşen")
    user.find("Geboortedatum").type("31-02-1990")

    user.find(marker="create-submit").click()

    await user.should_see('Geboortedatum "31-02-1990" bestaat niet. Controleer de dag en de maand.')
    assert user.find("Voornaam").elements.pop().value == "Gülşen"


async def test_redemption_elsewhere_updates_row_live(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) > 0)
    voucher = _issued_voucher_of(_account("intermediair@demo.test"))
    user.find("Zoeken op code of houder").type(voucher.code)
    await wait_for(lambda: [row["id"] for row in table_rows(user)] == [voucher.id])

    desk = _account("bibliotheek@demo.test")
    redeem_voucher(actor_id=desk.id, raw_code=voucher.code, request_key=uuid.uuid4().hex)

    await wait_for(lambda: table_rows(user)[0]["status"] == "redeemed")
    assert "Bibliotheek Maastricht" in table_rows(user)[0]["redeemed"]
    await user.should_see(f"Voucher {format_code(voucher.code)} is nu: Ingenomen")


async def test_administrator_creates_for_chosen_organisation(user: User):
    await log_in(user, "beheerder@demo.test")
    with read_session() as session:
        venlo = session.exec(select(Organisation).where(Organisation.name == "Sociaal Wijkteam Venlo")).one()

    user.find(marker="create-vouchers").click()
    await user.should_see(marker="organisation-select")
    user.find(marker="organisation-select").elements.pop().set_value(venlo.id)
    user.find(marker="create-submit").click()

    await user.should_see("1 voucher aangemaakt")
    newest_id = table_rows(user)[0]["id"]
    with read_session() as session:
        assert session.get(Voucher, newest_id).organisation_id == venlo.id


async def test_live_update_keeps_selection_and_page(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) == 25)
    table = user.find(marker="voucher-table").elements.pop()
    with read_session() as session:
        shown_issued = [
            row
            for row in table_rows(user)
            if row["status"] == "issued" and session.get(Voucher, row["id"]).expires_on is None
        ]
    target = shown_issued[0]
    other_selected = table_rows(user)[-1]
    table.selected[:] = [target, other_selected]

    with read_session() as session:
        code = session.get(Voucher, target["id"]).code
    desk = _account("bibliotheek@demo.test")
    redeem_voucher(actor_id=desk.id, raw_code=code, request_key=uuid.uuid4().hex)

    await wait_for(lambda: next(r for r in table_rows(user) if r["id"] == target["id"])["status"] == "redeemed")
    assert {row["id"] for row in table.selected} == {target["id"], other_selected["id"]}
    selected_target = next(row for row in table.selected if row["id"] == target["id"])
    assert selected_target["status"] == "redeemed"
    assert len(table_rows(user)) == 25


async def test_create_fractional_count_explained_and_kept(user: User):
    await log_in(user, "intermediair@demo.test")
    user.find(marker="create-vouchers").click()
    await user.should_see(marker="voucher-count")

    user.find(marker="voucher-count").elements.pop().set_value("2,5")
    user.find(marker="create-submit").click()

    message = "Aantal vouchers moet een heel getal van 1 tot en met 10 zijn."
    await user.should_see(message)
    assert field_error(user, "voucher-count") == message
    assert user.find(marker="create-error").elements.pop().text == ""
    assert user.find(marker="voucher-count").elements.pop().value == "2,5"


async def test_create_error_marks_holder_row(user: User):
    await log_in(user, "intermediair@demo.test")
    user.find(marker="create-vouchers").click()
    await user.should_see(marker="voucher-count")
    user.find(marker="voucher-count").elements.pop().set_value("2")
    user.find("Gegevens van de houder nu invullen (niet verplicht)").click()
    first_dates = user.find(marker="holder-birth-date").elements
    assert len(first_dates) == 2

    birth_dates = sorted(first_dates, key=lambda element: element.id)
    birth_dates[0].set_value("01-01-1990")
    birth_dates[1].set_value("31-02-1990")
    user.find(marker="create-submit").click()

    message = 'Geboortedatum "31-02-1990" bestaat niet. Controleer de dag en de maand.'
    await user.should_see(message)
    assert birth_dates[1].props["error-message"] == message
    assert birth_dates[1].props["error"] is True
    assert birth_dates[0].props.get("error") is not True
    await user.should_not_see(f"Voucher 2: {message}")


async def test_holder_rows_survive_count_changes(user: User):
    await log_in(user, "intermediair@demo.test")
    user.find(marker="create-vouchers").click()
    await user.should_see(marker="voucher-count")
    count = user.find(marker="voucher-count").elements.pop()
    count.set_value("2")
    user.find("Gegevens van de houder nu invullen (niet verplicht)").click()
    second_name = sorted(user.find(marker="holder-first-name").elements, key=lambda element: element.id)[1]
    second_name.set_value("Ionuț")

    count.set_value("1")
    count.set_value("2")

    assert second_name.value == "Ionuț"
    assert second_name.visible


async def test_administrator_without_organisation_told_to_choose(user: User):
    await log_in(user, "beheerder@demo.test")
    user.find(marker="create-vouchers").click()
    await user.should_see(marker="organisation-select")

    user.find(marker="create-submit").click()

    await user.should_see("Er is geen organisatie gekozen. Kies de organisatie waarvoor de vouchers zijn.")


async def test_live_update_respects_status_filter(user: User):
    await log_in(user, "intermediair@demo.test")
    user.find(kind=ui.select, content="Status").elements.pop().set_value("issued")
    await wait_for(lambda: len(table_rows(user)) > 0 and {row["status"] for row in table_rows(user)} == {"issued"})
    target = table_rows(user)[0]
    with read_session() as session:
        code = session.get(Voucher, target["id"]).code

    redeem_voucher(actor_id=_account("bibliotheek@demo.test").id, raw_code=code, request_key=uuid.uuid4().hex)

    await wait_for(lambda: target["id"] not in {row["id"] for row in table_rows(user)})
    assert {row["status"] for row in table_rows(user)} == {"issued"}


async def test_resync_event_reloads_missed_change(user: User):
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) > 0)
    voucher = _issued_voucher_of(_account("intermediair@demo.test"))
    user.find("Zoeken op code of houder").type(voucher.code)
    await wait_for(lambda: [row["id"] for row in table_rows(user)] == [voucher.id])

    # A change whose event never arrived, as while the listener was disconnected.
    with write_session() as session:
        session.exec(update(Voucher).where(Voucher.id == voucher.id).values(status=VoucherStatus.WITHDRAWN))
    assert table_rows(user)[0]["status"] == "issued"
    get_bus().publish(VoucherEvent(action=RESYNC_ACTION, voucher_ids=(), organisation_ids=()))

    await wait_for(lambda: table_rows(user)[0]["status"] == "withdrawn")
