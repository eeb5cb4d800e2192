from nicegui.testing import User
from sqlmodel import func, select

from models import Organisation, Voucher
from models import User as Account
from services.db import read_session
from tests.ui.conftest import log_in, table_rows


def _organisation_of(email):
    with read_session() as session:
        account = session.exec(select(Account).where(Account.email == email)).one()
        return session.get(Organisation, account.organisation_id)


async def test_administrator_sees_every_voucher(user: User):
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Voucher)).one()

    await log_in(user, "beheerder@demo.test", path="/dashboard", heading="Dashboard")

    await user.should_see(f"Vouchers uitgegeven: {total}")
    assert sum(row["count"] for row in table_rows(user, "status-table")) == total
    assert sum(row["issued"] for row in table_rows(user, "organisation-table")) == total
    assert len(table_rows(user, "month-table")) == 12


async def test_intermediary_sees_own_organisation_only(user: User):
    organisation = _organisation_of("intermediair@demo.test")
    with read_session() as session:
        own = session.exec(
            select(func.count()).select_from(Voucher).where(Voucher.organisation_id == organisation.id)
        ).one()

    await log_in(user, "intermediair@demo.test", path="/dashboard", heading="Dashboard")

    await user.should_see(f"Cijfers van {organisation.name}")
    await user.should_see(f"Vouchers uitgegeven: {own}")
    assert [row["organisation"] for row in table_rows(user, "organisation-table")] == [organisation.name]
    assert [row["organisation"] for row in table_rows(user, "open-table")] in ([organisation.name], [])


async def test_library_staff_see_redemptions_at_library(user: User):
    library = _organisation_of("bibliotheek@demo.test")
    with read_session() as session:
        redeemed_here = session.exec(
            select(func.count()).select_from(Voucher).where(Voucher.redeemed_library_id == library.id)
        ).one()

    await log_in(user, "bibliotheek@demo.test", path="/dashboard", heading="Dashboard")

    await user.should_see(f"Vouchers uitgegeven: {redeemed_here}")
    await user.should_see(f"Ingenomen: {redeemed_here}")
