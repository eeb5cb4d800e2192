import csv
import io

from nicegui.testing import User
from sqlmodel import func, select

from models import BatchStatus, ReimbursementBatch, Voucher, VoucherStatus
from services.clock import local_today
from services.db import read_session
from services.reimbursement import default_period, local_midnight
from tests.ui.conftest import log_in, table_rows, wait_for

ADMINISTRATOR = "beheerder@demo.test"
# Covers every redemption in the demo data, which lie in the last 180 days.
FIRST_DAY = "01-01-2025"


def _waiting_count():
    with read_session() as session:
        return session.exec(
            select(func.count())
            .select_from(Voucher)
            .where(Voucher.status == VoucherStatus.REDEEMED, Voucher.reimbursement_batch_id.is_(None))
        ).one()


async def _open_with_whole_period(user: User) -> None:
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading="Vergoeding")
    user.find("Ingenomen vanaf").clear().type(FIRST_DAY)
    user.find("Ingenomen tot en met").clear().type(local_today().strftime("%d-%m-%Y"))
    user.find(marker="reimbursement-show").click()


async def test_preview_shows_count_and_totals(user: User):
    waiting = _waiting_count()
    await _open_with_whole_period(user)

    await user.should_see(f"{waiting} ingenomen vouchers wachten op vergoeding.")
    rows = table_rows(user, "preview-table")
    assert rows[-1]["library"] == "Totaal"
    assert rows[-1]["count"] == waiting
    assert sum(row["count"] for row in rows[:-1]) == waiting
    assert rows[-1]["total"].startswith("€\xa0")


async def test_default_period_mentions_older_waiting(user: User):
    with read_session() as session:
        older = session.exec(
            select(func.count())
            .select_from(Voucher)
            .where(
                Voucher.status == VoucherStatus.REDEEMED,
                Voucher.reimbursement_batch_id.is_(None),
                Voucher.redeemed_at < local_midnight(default_period()[0]),
            )
        ).one()
    assert older > 1, "the demo data should hold older redemptions that wait"
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading="Vergoeding")

    user.find(marker="reimbursement-show").click()

    await user.should_see(
        f"{older} ingenomen vouchers van vóór deze periode wachten ook op vergoeding. "
        "Zet 'Ingenomen vanaf' eerder om ze mee te nemen."
    )


async def test_whole_period_mentions_no_older_waiting(user: User):
    await _open_with_whole_period(user)

    await user.should_see(marker="preview-table")
    await user.should_not_see(marker="waiting-before")


async def test_mark_reimbursed_makes_batch(user: User):
    waiting = _waiting_count()
    await _open_with_whole_period(user)
    await user.should_see(marker="mark-reimbursed")

    user.find(marker="mark-reimbursed").click()
    await user.should_see(marker="confirm-yes")
    user.find(marker="confirm-yes").click()

    await user.should_see("Batch 00002 aangemaakt")
    await user.should_see(marker="batch-00002")
    assert _waiting_count() == 0
    with read_session() as session:
        batch = session.get(ReimbursementBatch, 2)
        in_batch = session.exec(
            select(func.count()).select_from(Voucher).where(Voucher.reimbursement_batch_id == 2)
        ).one()
    assert batch.voucher_count == waiting
    assert in_batch == waiting


async def test_statement_csv_downloaded(user: User):
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading="Vergoeding")

    user.find(marker="batch-00001-csv").click()
    response = await user.download.next(timeout=3)

    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Bibliotheek"
    assert rows[-1][0] == "Totaal"
    with read_session() as session:
        assert int(rows[-1][1]) == session.get(ReimbursementBatch, 1).voucher_count


async def test_statement_pdf_downloaded(user: User):
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading="Vergoeding")

    user.find(marker="batch-00001-pdf").click()
    response = await user.download.next(timeout=5)

    assert response.content.startswith(b"%PDF")


async def _make_batch(user: User) -> None:
    """Mark every waiting voucher reimbursed as batch 00002 through the page."""
    await _open_with_whole_period(user)
    await user.should_see(marker="mark-reimbursed")
    user.find(marker="mark-reimbursed").click()
    await user.should_see(marker="confirm-yes")
    user.find(marker="confirm-yes").click()


async def test_reopen_batch_with_reason(user: User):
    await _make_batch(user)
    await user.should_see(marker="batch-00002-reopen")

    user.find(marker="batch-00002-reopen").click()
    await user.should_see(marker="reason-input")
    await user.should_see(
        "Waarom heropent u deze batch? De vouchers krijgen weer de status Ingenomen en wachten op een nieuwe batch."
    )
    user.find(marker="reason-input").type("Verkeerde periode")
    user.find(marker="reason-confirm").click()

    await user.should_see("Batch heropend. De vouchers hebben weer de status Ingenomen en wachten op een nieuwe batch.")
    await wait_for(lambda: _batch_status(2) == BatchStatus.REOPENED)
    assert _waiting_count() > 0


async def test_confirm_payment_notice(user: User):
    await _make_batch(user)
    await user.should_see(marker="batch-00002-paid")

    user.find(marker="batch-00002-paid").click()
    await user.should_see(marker="confirm-yes")
    user.find(marker="confirm-yes").click()

    await user.should_see("Betaling van batch 00002 is bevestigd.")
    await wait_for(lambda: _batch_status(2) == BatchStatus.PAID)
    await user.should_not_see(marker="batch-00002-paid")


def _batch_status(batch_id):
    with read_session() as session:
        return session.get(ReimbursementBatch, batch_id).status


async def test_paid_batch_offers_no_reopen(user: User):
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading="Vergoeding")

    await user.should_see(marker="batch-00001-pdf")
    await user.should_not_see(marker="batch-00001-reopen")
    await user.should_not_see(marker="batch-00001-paid")


async def test_reversed_period_explained(user: User):
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading="Vergoeding")
    user.find("Ingenomen vanaf").clear().type("01-12-2026")
    user.find("Ingenomen tot en met").clear().type("01-11-2026")

    user.find(marker="reimbursement-show").click()

    message = "Periode: de begindatum ligt na de einddatum. Wissel de datums om of pas er een aan."
    await user.should_see(message)
    assert user.find("Ingenomen tot en met").elements.pop().props["error-message"] == message
    assert user.find(marker="reimbursement-error").elements.pop().text == ""
    assert user.find("Ingenomen vanaf").elements.pop().value == "01-12-2026"


async def test_impossible_period_date_explained(user: User):
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading="Vergoeding")
    user.find("Ingenomen tot en met").clear().type("31-02-2026")

    user.find(marker="reimbursement-show").click()

    message = 'Periodedatum "31-02-2026" bestaat niet. Controleer de dag en de maand.'
    await user.should_see(message)
    assert user.find("Ingenomen tot en met").elements.pop().props["error-message"] == message
    assert user.find("Ingenomen vanaf").elements.pop().props["error"] is False


async def test_empty_period_date_explained(user: User):
    await log_in(user, ADMINISTRATOR, path="/admin/reimbursement", heading="Vergoeding")
    user.find("Ingenomen vanaf").clear()

    user.find(marker="reimbursement-show").click()

    message = "De periode is niet volledig. Vul de begindatum en de einddatum in."
    await user.should_see(message)
    assert user.find("Ingenomen vanaf").elements.pop().props["error-message"] == message


async def test_intermediary_refused(user: User):
    await log_in(user, "intermediair@demo.test", path="/admin/reimbursement", heading="Vergoeding")

    await user.should_see("Alleen beheerders kunnen vouchers vergoeden.")
    await user.should_not_see(marker="reimbursement-show")
    await user.should_not_see(marker="nav-reimbursement")


async def test_administrator_has_navigation_link(user: User):
    await log_in(user, ADMINISTRATOR)

    await user.should_see(marker="nav-reimbursement")
    await user.should_see(marker="nav-dashboard")
