from nicegui import ui
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

    await user.should_see(f"Vouchers aangemaakt (alle statussen): {total}")
    await user.should_see("Deel van de aangemaakte vouchers dat is ingenomen: ")
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
    await user.should_see(f"Vouchers aangemaakt (alle statussen): {own}")
    assert [row["organisation"] for row in table_rows(user, "organisation-table")] == [organisation.name]
    assert [row["organisation"] for row in table_rows(user, "open-table")] in ([organisation.name], [])


async def test_library_staff_see_redemptions_at_library(user: User):
    library = _organisation_of("bibliotheek@demo.test")
    with read_session() as session:
        redeemed_here = session.exec(
            select(func.count()).select_from(Voucher).where(Voucher.redeemed_library_id == library.id)
        ).one()

    await log_in(user, "bibliotheek@demo.test", path="/dashboard", heading="Dashboard")

    await user.should_see(f"Vouchers aangemaakt (alle statussen): {redeemed_here}")
    await user.should_see(f"Ingenomen of vergoed: {redeemed_here}")


async def test_month_labels_slanted(user: User):
    await log_in(user, "beheerder@demo.test", path="/dashboard", heading="Dashboard")

    charts = {chart.props["aria-label"]: chart for chart in user.find(ui.echart).elements}
    month_labels = charts["Vouchers per maand"].options["xAxis"]["axisLabel"]

    assert month_labels["rotate"] == 45
    assert month_labels["interval"] == 0
    assert len(charts["Vouchers per maand"].options["xAxis"]["data"]) == 12
