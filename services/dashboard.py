"""Dashboard figures: vouchers per status, per organisation and per month, computed in SQL.

Every figure counts only the vouchers the actor may see (`visible_vouchers`): administrators
see all organisations, an intermediary its own organisation, library staff their own
organisation's vouchers and those redeemed at their library.

Months are calendar months in Europe/Amsterdam. The month of a moment is chosen with a CASE
over the UTC instants of local midnight on each first day, which gives the same buckets on
SQLite (no time zone support) and PostgreSQL.
"""

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import Organisation, OrganisationKind, Voucher, VoucherStatus
from services.clock import local_today
from services.db import read_session
from services.permissions import Action, load_actor, require, visible_vouchers
from services.reimbursement import local_midnight

logger = logging.getLogger(__name__)

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class MonthFigures:
    """Vouchers issued, redeemed and reimbursed in one calendar month (first day in `month`)."""

    month: date
    issued: int
    redeemed: int
    reimbursed: int


@dataclass(frozen=True)
class OrganisationFigures:
    """Vouchers of one issuing organisation: all issued, redeemed (reimbursed included), reimbursed, open."""

    organisation_id: int
    name: str
    kind: OrganisationKind
    issued: int
    redeemed: int
    reimbursed: int
    open: int


@dataclass(frozen=True)
class DashboardFigures:
    """Every figure of the dashboard for one actor."""

    per_status: dict[VoucherStatus, int]
    per_organisation: list[OrganisationFigures]
    per_month: list[MonthFigures]

    @property
    def issued(self) -> int:
        return sum(self.per_status.values())

    @property
    def redeemed(self) -> int:
        return self.per_status[VoucherStatus.REDEEMED] + self.per_status[VoucherStatus.REIMBURSED]

    @property
    def conversion_percent(self) -> int | None:
        """Return the share of all issued vouchers that were redeemed, in whole percent; None without vouchers."""
        return round(100 * self.redeemed / self.issued) if self.issued else None

    @property
    def open_per_intermediary(self) -> list[OrganisationFigures]:
        return [row for row in self.per_organisation if row.kind == OrganisationKind.INTERMEDIARY and row.open]


def dashboard_figures(*, actor_id: int, today: date | None = None) -> DashboardFigures:
    """Return the dashboard figures of the vouchers the actor may see, for the last 12 months."""
    today = today or local_today()
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.VIEW_DASHBOARD)
        visible = visible_vouchers(actor)
        per_status = _count_per_status(session, visible, today)
        per_organisation = _count_per_organisation(session, visible, today)
        per_month = _count_per_month(session, visible, today)
    logger.info("dashboard figures read actor=%d", actor_id)
    return DashboardFigures(per_status=per_status, per_organisation=per_organisation, per_month=per_month)


def _is_expired(today: date) -> ColumnElement[bool]:
    return and_(col(Voucher.status) == VoucherStatus.ISSUED, col(Voucher.expires_on) < today)


def _is_open(today: date) -> ColumnElement[bool]:
    not_expired = or_(col(Voucher.expires_on).is_(None), col(Voucher.expires_on) >= today)
    return and_(col(Voucher.status) == VoucherStatus.ISSUED, not_expired)


def _count_per_status(session: Session, visible: ColumnElement[bool], today: date) -> dict[VoucherStatus, int]:
    # The CASE is grouped through a subquery: PostgreSQL does not match a GROUP BY expression
    # whose bound parameters are repeated as new ones.
    effective = case((_is_expired(today), VoucherStatus.EXPIRED.value), else_=col(Voucher.status))
    statuses = select(effective.label("status")).where(visible).subquery()
    rows = session.exec(select(statuses.c.status, func.count()).group_by(statuses.c.status))
    counts = {status: 0 for status in VoucherStatus}
    for status, count in rows:
        counts[VoucherStatus(status)] = count
    return counts


def _count_per_organisation(session: Session, visible: ColumnElement[bool], today: date) -> list[OrganisationFigures]:
    statement = (
        sa_select(
            col(Organisation.id),
            col(Organisation.name),
            col(Organisation.kind),
            func.count(col(Voucher.id)),
            func.count(col(Voucher.redeemed_at)),
            func.sum(case((col(Voucher.status) == VoucherStatus.REIMBURSED, 1), else_=0)),
            func.sum(case((_is_open(today), 1), else_=0)),
        )
        .join(Organisation, col(Organisation.id) == Voucher.organisation_id)
        .where(visible)
        .group_by(col(Organisation.id), col(Organisation.name), col(Organisation.kind))
        .order_by(col(Organisation.name))
    )
    return [
        OrganisationFigures(organisation_id or 0, name, kind, issued, redeemed, int(reimbursed), int(open_count))
        for organisation_id, name, kind, issued, redeemed, reimbursed, open_count in session.exec(statement)  # type: ignore[call-overload]
    ]


def _count_per_month(session: Session, visible: ColumnElement[bool], today: date) -> list[MonthFigures]:
    months = last_months(today, MONTHS_SHOWN)
    counts = {
        column_name: _count_by_month(session, visible, getattr(Voucher, column_name), months)
        for column_name in ("created_at", "redeemed_at", "reimbursed_at")
    }
    return [
        MonthFigures(
            month=month,
            issued=counts["created_at"].get(month, 0),
            redeemed=counts["redeemed_at"].get(month, 0),
            reimbursed=counts["reimbursed_at"].get(month, 0),
        )
        for month in months
    ]


def _count_by_month(session: Session, visible: ColumnElement[bool], column: Any, months: list[date]) -> dict[date, int]:
    ends = [*months[1:], _next_month(months[-1])]
    bucket = case(
        *(
            (and_(col(column) >= local_midnight(month), col(column) < local_midnight(end)), month.isoformat())
            for month, end in zip(months, ends, strict=True)
        ),
        else_=None,
    )
    in_range = and_(col(column) >= local_midnight(months[0]), col(column) < local_midnight(ends[-1]))
    moments = select(bucket.label("month")).where(visible, in_range).subquery()
    rows = session.exec(select(moments.c.month, func.count()).group_by(moments.c.month))
    return {date.fromisoformat(month): count for month, count in rows}


def last_months(today: date, count: int) -> list[date]:
    """Return the first days of the `count` calendar months up to and including today's, oldest first."""
    months = [today.replace(day=1)]
    while len(months) < count:
        previous = months[0]
        months.insert(0, date(previous.year - (previous.month == 1), (previous.month - 2) % 12 + 1, 1))
    return months


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)
