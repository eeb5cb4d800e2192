from datetime import date

import pytest

from models import OrganisationKind, Role, VoucherStatus
from services.dashboard import dashboard_figures, last_months
from tests.factories import make_organisation, make_user
from tests.services.reimbursement_helpers import make_voucher, utc

TODAY = date(2026, 12, 4)


@pytest.fixture
def people(intermediary, desk_staff):
    """Two intermediary organisations and two libraries with vouchers whose figures are known."""
    other_intermediary = make_user(Role.INTERMEDIARY, make_organisation(OrganisationKind.INTERMEDIARY))
    other_desk = make_user(Role.LIBRARY_STAFF, make_organisation(OrganisationKind.LIBRARY))
    # 1 November 00:30 in Amsterdam (UTC+1): November.
    make_voucher(intermediary, created_at=utc(2026, 10, 31, 23, 30))
    # 31 October 23:30 in Amsterdam: October.
    make_voucher(intermediary, created_at=utc(2026, 10, 31, 22, 30), redeemed_at=utc(2026, 11, 5), desk=desk_staff)
    make_voucher(
        intermediary,
        created_at=utc(2026, 11, 10),
        redeemed_at=utc(2026, 11, 12),
        desk=other_desk,
        reimbursed_at=utc(2026, 12, 1),
    )
    make_voucher(intermediary, created_at=utc(2026, 9, 1), expires_on=date(2026, 10, 1))
    make_voucher(intermediary, created_at=utc(2026, 12, 2), status=VoucherStatus.WITHDRAWN)
    # More than 12 months ago: in the totals, not in the months.
    make_voucher(intermediary, created_at=utc(2025, 11, 15), redeemed_at=utc(2025, 11, 20), desk=desk_staff)
    make_voucher(other_intermediary, created_at=utc(2026, 11, 20))
    make_voucher(other_intermediary, created_at=utc(2026, 11, 21), redeemed_at=utc(2026, 11, 22), desk=desk_staff)
    return {
        "intermediary": intermediary,
        "other_intermediary": other_intermediary,
        "desk": desk_staff,
        "other_desk": other_desk,
    }


def _months(figures):
    return {
        row.month: (row.issued, row.redeemed, row.reimbursed)
        for row in figures.per_month
        if row.issued or row.redeemed or row.reimbursed
    }


def test_administrator_counts_per_status(administrator, people):
    figures = dashboard_figures(actor_id=administrator.id, today=TODAY)

    assert figures.per_status == {
        VoucherStatus.ISSUED: 2,
        VoucherStatus.EXPIRED: 1,
        VoucherStatus.REDEEMED: 3,
        VoucherStatus.REIMBURSED: 1,
        VoucherStatus.WITHDRAWN: 1,
    }
    assert figures.issued == 8
    assert figures.redeemed == 4
    assert figures.conversion_percent == 50


def test_administrator_counts_per_organisation(administrator, people, intermediary_organisation):
    figures = dashboard_figures(actor_id=administrator.id, today=TODAY)

    rows = {
        row.organisation_id: (row.issued, row.redeemed, row.reimbursed, row.open) for row in figures.per_organisation
    }
    assert rows == {
        intermediary_organisation.id: (6, 3, 1, 1),
        people["other_intermediary"].organisation_id: (2, 1, 0, 1),
    }
    assert [row.open for row in figures.open_per_intermediary] == [1, 1]


def test_administrator_counts_per_month(administrator, people):
    figures = dashboard_figures(actor_id=administrator.id, today=TODAY)

    assert [row.month for row in figures.per_month] == last_months(TODAY, 12)
    assert _months(figures) == {
        date(2026, 9, 1): (1, 0, 0),
        date(2026, 10, 1): (1, 0, 0),
        date(2026, 11, 1): (4, 3, 0),
        date(2026, 12, 1): (1, 0, 1),
    }


def test_intermediary_sees_own_figures_only(people, intermediary_organisation):
    figures = dashboard_figures(actor_id=people["intermediary"].id, today=TODAY)

    assert [row.organisation_id for row in figures.per_organisation] == [intermediary_organisation.id]
    assert figures.issued == 6
    assert figures.per_status[VoucherStatus.REDEEMED] == 2
    assert _months(figures)[date(2026, 11, 1)] == (2, 2, 0)


def test_library_staff_see_redemptions_at_own_library(people):
    figures = dashboard_figures(actor_id=people["desk"].id, today=TODAY)

    assert figures.per_status[VoucherStatus.REDEEMED] == 3
    assert figures.issued == 3
    assert figures.open_per_intermediary == []
    other_library = dashboard_figures(actor_id=people["other_desk"].id, today=TODAY)
    assert other_library.per_status[VoucherStatus.REIMBURSED] == 1
    assert other_library.issued == 1


def test_no_vouchers_no_conversion(administrator):
    figures = dashboard_figures(actor_id=administrator.id, today=TODAY)

    assert figures.issued == 0
    assert figures.conversion_percent is None
    assert figures.per_organisation == []
    assert len(figures.per_month) == 12


def test_last_months_cross_year():
    assert last_months(date(2026, 2, 14), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
