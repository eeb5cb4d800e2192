from nicegui.testing import User
from sqlmodel import select

from models import User as Account
from models import Voucher, VoucherStatus
from services.db import read_session
from services.redemption import redeem_voucher
from services.vouchers import issue_vouchers
from tests.ui.conftest import field_error, log_in


def _own_issued_voucher():
    with read_session() as session:
        account = session.exec(select(Account).where(Account.email == "intermediair@demo.test")).one()
        return session.exec(
            select(Voucher).where(
                Voucher.organisation_id == account.organisation_id,
                Voucher.status == VoucherStatus.ISSUED,
                Voucher.expires_on.is_(None),
            )
        ).first()


async def test_detail_shows_history(user: User):
    voucher = _own_issued_voucher()
    await log_in(user, "intermediair@demo.test", path=f"/vouchers/{voucher.id}", heading="Geschiedenis")

    await user.should_see("Uitgegeven")
    rows = user.find(marker="audit-table").elements.pop().rows
    assert [row["what"] for row in rows] == ["Aangemaakt"]


async def test_withdraw_without_reason_keeps_dialog(user: User):
    voucher = _own_issued_voucher()
    await log_in(user, "intermediair@demo.test", path=f"/vouchers/{voucher.id}", heading="Geschiedenis")

    user.find(marker="withdraw-button").click()
    await user.should_see(marker="reason-input")
    assert user.find(marker="reason-explanation").elements.pop().text == "Dit kan niet ongedaan worden gemaakt."
    user.find(marker="reason-confirm").click()

    await user.should_see("Reden ontbreekt. Beschrijf in een paar woorden waarom.")
    assert field_error(user, "reason-input") == "Reden ontbreekt. Beschrijf in een paar woorden waarom."
    assert user.find(marker="reason-error").elements.pop().text == ""
    user.find(marker="reason-input").type("Bewoner verhuisd naar Gent")
    user.find(marker="reason-confirm").click()
    await user.should_see("Voucher ingetrokken")
    await user.should_see("Ingetrokken")
    changes = [row["change"] for row in user.find(marker="audit-table").elements.pop().rows]
    assert changes[-1] == "Uitgegeven → Ingetrokken"
    with read_session() as session:
        assert session.get(Voucher, voucher.id).withdrawal_reason == "Bewoner verhuisd naar Gent"


async def test_personalise_future_birth_date_explained(user: User):
    voucher = _own_issued_voucher()
    await log_in(user, "intermediair@demo.test", path=f"/vouchers/{voucher.id}", heading="Geschiedenis")

    user.find(marker="personalise-button").click()
    await user.should_see(marker="personalise-save")
    user.find(marker="personalise-birth-date").clear().type("01-01-2999")
    user.find(marker="personalise-save").click()

    await user.should_see("Geboortedatum ligt in de toekomst. Controleer het jaar.")
    assert user.find(marker="personalise-birth-date").elements.pop().value == "01-01-2999"


async def test_other_organisation_voucher_not_shown(user: User):
    with read_session() as session:
        account = session.exec(select(Account).where(Account.email == "intermediair@demo.test")).one()
        foreign = session.exec(select(Voucher).where(Voucher.organisation_id != account.organisation_id)).first()
    await log_in(user, "intermediair@demo.test", path=f"/vouchers/{foreign.id}", heading="Voucher")

    await user.should_see("Voucher niet gevonden, of niet zichtbaar voor uw organisatie.")


async def test_personalise_history_names_fields_not_values(user: User):
    voucher = _own_issued_voucher()
    await log_in(user, "intermediair@demo.test", path=f"/vouchers/{voucher.id}", heading="Geschiedenis")

    user.find(marker="personalise-button").click()
    await user.should_see(marker="personalise-save")
    user.find(marker="personalise-birth-date").clear().type("7-3-1985")
    user.find(marker="personalise-save").click()

    await user.should_see("Gegevens van de houder opgeslagen")
    await user.should_see("07-03-1985")
    changes = [row["change"] for row in user.find(marker="audit-table").elements.pop().rows]
    assert changes[-1] in ("Geboortedatum ingevuld", "Geboortedatum gewijzigd")


async def test_non_numeric_voucher_id_not_found(user: User):
    await log_in(user, "intermediair@demo.test", path="/vouchers/abc", heading="Voucher")

    await user.should_see("Voucher niet gevonden, of niet zichtbaar voor uw organisatie.")


async def test_undo_foreign_voucher_returns_to_desk(user: User):
    # Library staff see another organisation's voucher only while their library has redeemed it,
    # and only a redemption of today can be undone.
    with read_session() as session:
        desk = session.exec(select(Account).where(Account.email == "bibliotheek@demo.test")).one()
        issuer = session.exec(select(Account).where(Account.email == "intermediair@demo.test")).one()
    (voucher_id,) = issue_vouchers(actor_id=issuer.id, count=1)
    with read_session() as session:
        voucher = session.get(Voucher, voucher_id)
    redeem_voucher(actor_id=desk.id, raw_code=voucher.code, request_key="undo-foreign-voucher")
    assert issuer.organisation_id != desk.organisation_id
    await log_in(user, "bibliotheek@demo.test", path=f"/vouchers/{voucher.id}", heading="Geschiedenis")

    user.find(marker="undo-button").click()
    await user.should_see(marker="reason-input")
    user.find(marker="reason-input").type("Verkeerde voucher ingenomen")
    user.find(marker="reason-confirm").click()

    await user.should_see(marker="undone-notice")
    await user.should_see("Inname ongedaan gemaakt. De voucher is weer uitgegeven.")
    await user.should_see(marker="code-input")
    await user.should_not_see("Voucher niet gevonden, of niet zichtbaar voor uw organisatie.")
    with read_session() as session:
        assert session.get(Voucher, voucher.id).status == VoucherStatus.ISSUED


async def test_check_page_without_undo_shows_no_notice(user: User):
    await log_in(user, "bibliotheek@demo.test", path="/check", heading="Vouchercode checken")

    await user.should_see(marker="code-input")
    await user.should_not_see(marker="undone-notice")
