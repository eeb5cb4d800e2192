"""Holder details on pages: the create dialog, the detail page's dialog, the calendar, expiry."""

from datetime import date, timedelta

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlalchemy import update
from sqlmodel import col, select

from models import User as Account
from models import Voucher, VoucherStatus
from services.clock import local_today
from services.db import read_session, write_session
from tests.ui.conftest import field_error, log_in, table_rows, wait_for


def _own_issued_voucher():
    with read_session() as session:
        account = session.exec(select(Account).where(Account.email == "intermediair@demo.test")).one()
        return session.exec(
            select(Voucher).where(
                Voucher.organisation_id == account.organisation_id,
                Voucher.status == VoucherStatus.ISSUED,
                col(Voucher.expires_on).is_(None),
            )
        ).first()


def _newest_voucher():
    with read_session() as session:
        return session.exec(select(Voucher).order_by(col(Voucher.id).desc())).first()


async def _open_create_dialog(user: User):
    await log_in(user, "intermediair@demo.test")
    user.find(marker="create-vouchers").click()
    await user.should_see(marker="voucher-count")
    user.find("Gegevens van de houder nu invullen (niet verplicht)").click()


async def _open_personalise(user: User, voucher):
    await log_in(user, "intermediair@demo.test", path=f"/vouchers/{voucher.id}", heading="Geschiedenis")
    user.find(marker="personalise-button").click()
    await user.should_see(marker="personalise-save")


async def test_create_keeps_every_letter(user: User):
    await _open_create_dialog(user)
    user.find(marker="holder-first-name").type("  Ștefan  Gergő ")
    user.find(marker="holder-last-name").type("van der Mureșan-O'Brien")
    user.find(marker="holder-birth-date").type("7.3.1985")

    user.find(marker="create-submit").click()

    await user.should_see("1 voucher aangemaakt")
    voucher = _newest_voucher()
    assert voucher.holder_first_name == "Ștefan Gergő"
    assert voucher.holder_last_name == "van der Mureșan-O'Brien"
    assert voucher.holder_birth_date == date(1985, 3, 7)


async def test_create_birth_date_from_calendar(user: User):
    await _open_create_dialog(user)
    user.find(marker="holder-last-name").type("Núñez")

    user.find(marker="holder-birth-date-picker").elements.pop().set_value("29-02-2000")
    assert user.find(marker="holder-birth-date").elements.pop().value == "29-02-2000"
    user.find(marker="create-submit").click()

    await user.should_see("1 voucher aangemaakt")
    assert _newest_voucher().holder_birth_date == date(2000, 2, 29)


async def test_create_control_character_marks_field(user: User):
    await _open_create_dialog(user)
    user.find(marker="holder-first-name").type("Jan")
    user.find(marker="holder-last-name").elements.pop().set_value("Jansen\x1b")

    user.find(marker="create-submit").click()

    message = "Achternaam bevat een onzichtbaar stuurteken. Typ de naam opnieuw in plaats van hem te plakken."
    await user.should_see(message)
    assert field_error(user, "holder-last-name") == message
    await user.should_not_see(f"Voucher 1: {message}")
    assert user.find(marker="holder-first-name").elements.pop().value == "Jan"


async def test_create_name_too_long_marks_field(user: User):
    await _open_create_dialog(user)
    user.find(marker="holder-first-name").elements.pop().set_value("a" * 101)

    user.find(marker="create-submit").click()

    await user.should_see("Voornaam is te lang: 101 tekens, er zijn er hoogstens 100 toegestaan. Kort hem in.")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "7 maart 1985",
            'Geboortedatum "7 maart 1985" is geen datum. Typ hem als dd-mm-jjjj, bijvoorbeeld 07-03-1985.',
        ),
        ("31-02-2000", 'Geboortedatum "31-02-2000" bestaat niet. Controleer de dag en de maand.'),
        ("01-01-2999", "Geboortedatum ligt in de toekomst. Controleer het jaar."),
        (
            "01-01-1800",
            "Geboortedatum geeft een leeftijd van {age} jaar, maar die moet van 0 tot 120 jaar zijn. "
            "Controleer het jaar.",
        ),
    ],
)
async def test_personalise_date_refusals_keep_input(user: User, typed, message):
    voucher = _own_issued_voucher()
    await _open_personalise(user, voucher)
    user.find(marker="personalise-birth-date").clear().type(typed)

    user.find(marker="personalise-save").click()

    today = local_today()
    age = today.year - 1800 - ((today.month, today.day) < (1, 1))
    await user.should_see(message.format(age=age))
    assert field_error(user, "personalise-birth-date") == message.format(age=age)
    assert user.find(marker="personalise-error").elements.pop().text == ""
    assert user.find(marker="personalise-birth-date").elements.pop().value == typed


@pytest.mark.parametrize("typed", ["07-03-1985", "7-3-1985", "07/03/1985", "7/3/1985", "07.03.1985"])
async def test_personalise_accepted_date_forms(user: User, typed):
    voucher = _own_issued_voucher()
    await _open_personalise(user, voucher)
    user.find(marker="personalise-birth-date").clear().type(typed)

    user.find(marker="personalise-save").click()

    await user.should_see("Gegevens van de houder opgeslagen")
    with read_session() as session:
        assert session.get(Voucher, voucher.id).holder_birth_date == date(1985, 3, 7)


async def test_personalise_names_with_every_letter(user: User):
    voucher = _own_issued_voucher()
    await _open_personalise(user, voucher)
    user.find("Voornaam").clear().type("Łucja")
    user.find("Achternaam").clear().type("in 't Veld-Şahin")

    user.find(marker="personalise-save").click()

    await user.should_see("Gegevens van de houder opgeslagen")
    await user.should_see("Łucja in 't Veld-Şahin")


async def test_calendar_shows_typed_date_when_opened(user: User):
    voucher = _own_issued_voucher()
    await _open_personalise(user, voucher)
    user.find(marker="personalise-birth-date").clear().type("7-3-1985")

    user.find(marker="personalise-birth-date-menu").elements.pop().open()

    await wait_for(lambda: user.find(marker="personalise-birth-date-picker").elements.pop().value == "07-03-1985")
    assert user.find(marker="personalise-birth-date").elements.pop().value == "7-3-1985"


def _expire(voucher):
    with write_session() as session:
        session.exec(
            update(Voucher).where(Voucher.id == voucher.id).values(expires_on=local_today() - timedelta(days=1))
        )


async def test_expired_voucher_detail_says_verlopen(user: User):
    voucher = _own_issued_voucher()
    _expire(voucher)

    await log_in(user, "intermediair@demo.test", path=f"/vouchers/{voucher.id}", heading="Geschiedenis")

    assert user.find(marker="detail-status").elements.pop().text == "Verlopen"
    await user.should_not_see(marker="personalise-button")
    await user.should_not_see(marker="withdraw-button")


async def test_expired_filter_shows_verlopen(user: User):
    voucher = _own_issued_voucher()
    _expire(voucher)
    await log_in(user, "intermediair@demo.test")
    await wait_for(lambda: len(table_rows(user)) > 0)

    user.find(kind=ui.select, content="Status").elements.pop().set_value("expired")

    await wait_for(lambda: voucher.id in {row["id"] for row in table_rows(user)})
    assert {row["status_label"] for row in table_rows(user)} == {"Verlopen"}


async def test_expired_code_at_desk_says_do_not_redeem(user: User):
    voucher = _own_issued_voucher()
    _expire(voucher)
    await log_in(user, "bibliotheek@demo.test", path="/check", heading="Vouchercode checken")

    user.find(marker="code-input").type(voucher.code).trigger("keydown.enter")

    await user.should_see("Niet innemen")
    await user.should_see(marker="result-message")
    assert user.find(marker="result-status").elements.pop().text == "Verlopen"
    assert "bg-red-50" in user.find(marker="result-card").elements.pop().classes
    await user.should_not_see(marker="redeem-button")
