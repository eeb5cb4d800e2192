"""Reading vouchers: the paged overview, single rows for live updates, and the detail view."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_
from sqlmodel import Session, col, select

from models import AuditEvent, User, Voucher, VoucherStatus
from models.text import fold_for_search
from services import codes
from services.audit import voucher_events
from services.clock import LOCAL_ZONE, local_today
from services.codes import CODE_LENGTH
from services.db import read_session
from services.errors import InvalidPeriod, NotAuthenticated, PermissionDenied, SearchTooLong, VoucherNotFound
from services.permissions import Action, Actor, load_actor, may_see, require, visible_vouchers
from services.voucher_views import VoucherView, to_view, voucher_view_query

MAX_PER_PAGE = 100
MAX_SEARCH_LENGTH = 100
# Codes are never reused, so administrators are warned well before the 100,000 run out.
CODE_SPACE_WARNING_SHARE = 0.8
_CODE_SEARCH = re.compile(r"[\d\s-]+")


class SortField(StrEnum):
    CREATED_AT = "created_at"
    CODE = "code"
    STATUS = "status"
    HOLDER = "holder"
    REDEEMED_AT = "redeemed_at"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class VoucherQuery:
    """Overview request: one page, one sort order and optional filters."""

    page: int = 1
    per_page: int = 25
    sort: SortField = SortField.CREATED_AT
    descending: bool = True
    status: VoucherStatus | None = None
    search: str = ""
    created_from: date | None = None
    created_to: date | None = None


@dataclass(frozen=True)
class VoucherPage:
    """One page of the overview and the number of vouchers matching the filters."""

    rows: list[VoucherView]
    total: int
    query: VoucherQuery = field(default_factory=VoucherQuery)


@dataclass(frozen=True)
class VoucherDetail:
    """A voucher with its audit trail, oldest event first."""

    voucher: VoucherView
    events: list[tuple[AuditEvent, str | None]]


def list_vouchers(*, actor_id: int, query: VoucherQuery) -> VoucherPage:
    """Return one page of the vouchers the actor may see, filtered and sorted on the server."""
    if query.created_from and query.created_to and query.created_from > query.created_to:
        raise InvalidPeriod()
    today = local_today()
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.VIEW_VOUCHERS)
        conditions = _filter_conditions(actor, query, today)

        total = session.exec(select(func.count()).select_from(Voucher).where(*conditions)).one()
        per_page = max(1, min(query.per_page, MAX_PER_PAGE))
        page = max(1, query.page)
        statement = (
            voucher_view_query()
            .where(*conditions)
            .order_by(*_order(query))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        rows = [to_view(row, today=today) for row in session.exec(statement)]  # type: ignore[call-overload]
    return VoucherPage(rows=rows, total=total, query=query)


def matching_vouchers(session: Session, actor: Actor, query: VoucherQuery, today: date) -> list[VoucherView]:
    """Return every voucher the overview's filters and sort order select, ignoring its paging (for exports).

    The caller has loaded `actor` in `session` and checked its permission for the purpose.
    """
    if query.created_from and query.created_to and query.created_from > query.created_to:
        raise InvalidPeriod()
    conditions = _filter_conditions(actor, query, today)
    statement = voucher_view_query().where(*conditions).order_by(*_order(query))
    return [to_view(row, today=today) for row in session.exec(statement)]  # type: ignore[call-overload]


def vouchers_by_ids(*, actor_id: int, voucher_ids: list[int]) -> list[VoucherView]:
    """Return the listed vouchers the actor may see, for updating rows in place."""
    if not voucher_ids:
        return []
    today = local_today()
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.VIEW_VOUCHERS)
        statement = voucher_view_query().where(col(Voucher.id).in_(voucher_ids), visible_vouchers(actor))
        return [to_view(row, today=today) for row in session.exec(statement)]  # type: ignore[call-overload]


def vouchers_for_viewers(*, voucher_ids: list[int], actor_ids: list[int]) -> dict[int, list[VoucherView]]:
    """Return, per actor, the listed vouchers that actor may see: one query for every open page at once.

    A live change reaches many open overviews together; loading the vouchers once and checking
    each viewer in Python keeps the work per change flat. An actor who may no longer view
    vouchers (deactivated, or no such right) gets an empty list.
    """
    if not voucher_ids or not actor_ids:
        return {actor_id: [] for actor_id in actor_ids}
    today = local_today()
    with read_session() as session:
        rows = list(session.exec(voucher_view_query().where(col(Voucher.id).in_(voucher_ids))))  # type: ignore[call-overload]
        result: dict[int, list[VoucherView]] = {}
        for actor_id in set(actor_ids):
            try:
                actor = load_actor(session, actor_id)
                require(actor, Action.VIEW_VOUCHERS)
            except (NotAuthenticated, PermissionDenied):
                result[actor_id] = []
                continue
            result[actor_id] = [to_view(row, today=today) for row in rows if may_see(actor, row[0])]
        return result


def voucher_detail(*, actor_id: int, voucher_id: int) -> VoucherDetail:
    """Return one voucher and its audit trail, if the actor may see it."""
    today = local_today()
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.VIEW_VOUCHERS)
        statement = voucher_view_query().where(col(Voucher.id) == voucher_id, visible_vouchers(actor))
        row = session.exec(statement).first()  # type: ignore[call-overload]
        if row is None:
            raise VoucherNotFound()
        events = voucher_events(session, voucher_id)
        names = _user_names(session, {event.actor_id for event in events if event.actor_id})
        return VoucherDetail(
            voucher=to_view(row, today=today),
            events=[(event, names.get(event.actor_id or 0)) for event in events],
        )


def code_space_used_percent(*, actor_id: int) -> int | None:
    """Return the share of all possible codes in use, for administrators once it passes the warning level."""
    with read_session() as session:
        actor = load_actor(session, actor_id)
        if not actor.is_administrator:
            return None
        used = session.exec(select(func.count()).select_from(Voucher)).one()
    share = used / codes.CODE_SPACE
    return round(100 * share) if share >= CODE_SPACE_WARNING_SHARE else None


def _user_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(session.exec(select(User.id, User.name).where(col(User.id).in_(user_ids))).all())  # type: ignore[arg-type]


def _filter_conditions(actor: Actor, query: VoucherQuery, today: date) -> list[ColumnElement[bool]]:
    conditions = [visible_vouchers(actor)]
    if query.status is not None:
        conditions.append(_status_condition(query.status, today))
    if query.created_from:
        conditions.append(col(Voucher.created_at) >= _local_midnight(query.created_from))
    if query.created_to:
        conditions.append(col(Voucher.created_at) < _local_midnight(query.created_to + timedelta(days=1)))
    search = _search_condition(query.search)
    if search is not None:
        conditions.append(search)
    return conditions


def _status_condition(status: VoucherStatus, today: date) -> ColumnElement[bool]:
    not_expired = or_(col(Voucher.expires_on).is_(None), col(Voucher.expires_on) >= today)
    if status == VoucherStatus.ISSUED:
        return and_(col(Voucher.status) == VoucherStatus.ISSUED, not_expired)
    if status == VoucherStatus.EXPIRED:
        return and_(col(Voucher.status) == VoucherStatus.ISSUED, col(Voucher.expires_on) < today)
    return col(Voucher.status) == status


def _search_condition(text: str) -> ColumnElement[bool] | None:
    term = " ".join(text.split())
    if not term:
        return None
    if len(term) > MAX_SEARCH_LENGTH:
        raise SearchTooLong(maximum=MAX_SEARCH_LENGTH)
    if _CODE_SEARCH.fullmatch(term):
        digits = re.sub(r"\D", "", term)
        if len(digits) > CODE_LENGTH:
            return false()
        # A range on equal-length digit strings uses the unique index on code; LIKE 'prefix%' does not.
        padding = CODE_LENGTH - len(digits)
        return and_(col(Voucher.code) >= digits + "0" * padding, col(Voucher.code) <= digits + "9" * padding)
    return col(Voucher.holder_search).contains(fold_for_search(term), autoescape=True)


def _order(query: VoucherQuery) -> list[Any]:
    columns: dict[SortField, list[Any]] = {
        SortField.CREATED_AT: [col(Voucher.created_at)],
        SortField.CODE: [col(Voucher.code)],
        SortField.STATUS: [col(Voucher.status), col(Voucher.created_at)],
        SortField.HOLDER: [col(Voucher.holder_last_name), col(Voucher.holder_first_name)],
        SortField.REDEEMED_AT: [col(Voucher.redeemed_at)],
        SortField.ORGANISATION: [col(Voucher.organisation_id), col(Voucher.created_at)],
    }
    chosen = columns[query.sort] + [col(Voucher.id)]
    return [column.desc() if query.descending else column.asc() for column in chosen]


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE)
