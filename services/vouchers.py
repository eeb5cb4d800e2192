"""Issuing vouchers and changing them while they are issued: personalise and withdraw."""

import logging
import math
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Organisation, Voucher, VoucherStatus
from models.text import holder_search_text
from services import codes
from services.audit import record_event
from services.clock import local_today, utc_now
from services.dates import parse_birth_date
from services.db import write_session
from services.errors import (
    CodeSpaceExhausted,
    DomainError,
    FirstNameInvalid,
    FirstNameTooLong,
    InvalidCount,
    LastNameInvalid,
    LastNameTooLong,
    OpenLimitFull,
    OpenLimitReached,
    OrganisationNotFound,
    OrganisationRequired,
    ReasonRequired,
    ReasonTooLong,
    RequestLimitExceeded,
    VoucherExpiredUnchangeable,
    VoucherNotFound,
    VoucherNotIssued,
)
from services.events import VoucherEvent, publish
from services.metrics import VOUCHERS_ISSUED
from services.names import clean_name
from services.permissions import Action, Actor, load_actor, may_see, require, require_organisation
from services.settings import get_settings
from services.voucher_queries import CODE_SPACE_WARNING_SHARE

logger = logging.getLogger(__name__)

MAX_REASON_LENGTH = 500
CODE_INSERT_ATTEMPTS = 5
MAX_CANDIDATES_PER_LOOKUP = 2000


@dataclass(frozen=True)
class HolderInput:
    """Holder details as typed. Every field may be empty."""

    first_name: str = ""
    last_name: str = ""
    birth_date: str = ""


def parse_count(value: object) -> int:
    """Return the number of vouchers requested, or raise InvalidCount."""
    maximum = get_settings().max_vouchers_per_request
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidCount(maximum=maximum)
    if value > maximum:
        raise RequestLimitExceeded(maximum=maximum)
    return value


def issue_vouchers(
    *, actor_id: int, count: object, organisation_id: int | None = None, holders: list[HolderInput] | None = None
) -> list[int]:
    """Create `count` issued vouchers for an organisation; returns their ids, newest last."""
    for attempt in range(1, CODE_INSERT_ATTEMPTS + 1):
        try:
            with write_session() as session:
                actor = load_actor(session, actor_id)
                voucher_ids = _issue_in_session(session, actor, count, organisation_id, holders or [])
                organisation = actor.organisation_id if organisation_id is None else organisation_id
            break
        except IntegrityError:
            # Another process took one of the drawn codes between our check and our insert.
            logger.warning("code collision on insert, retrying attempt=%d", attempt)
    else:
        raise RuntimeError(f"voucher codes still collided after {CODE_INSERT_ATTEMPTS} attempts")

    logger.info("vouchers issued actor=%d organisation=%d count=%d", actor_id, organisation, len(voucher_ids))
    VOUCHERS_ISSUED.inc(len(voucher_ids))
    publish(VoucherEvent(action="voucher.issued", voucher_ids=tuple(voucher_ids), organisation_ids=(organisation,)))
    return voucher_ids


def _issue_in_session(
    session: Session, actor: Actor, count: object, organisation_id: int | None, holders: list[HolderInput]
) -> list[int]:
    require(actor, Action.CREATE_VOUCHERS)
    if organisation_id is None and actor.is_administrator:
        # Administrators create for any organisation, so defaulting to their own is a likely slip.
        raise OrganisationRequired()
    target_id = actor.organisation_id if organisation_id is None else organisation_id
    require_organisation(actor, target_id)
    number = parse_count(count)
    today = local_today()
    parsed_holders = []
    for row, holder in enumerate(holders[:number], start=1):
        try:
            parsed_holders.append(_parse_holder(holder, today))
        except DomainError as error:
            error.row = row
            raise

    organisation = _lock_organisation(session, target_id)
    _check_open_limit(session, organisation, number)

    now = utc_now()
    validity_days = get_settings().validity_days
    expires_on = today + timedelta(days=validity_days - 1) if validity_days else None
    vouchers = []
    for code, index in zip(_draw_unused_codes(session, number), range(number), strict=True):
        first_name, last_name, birth_date = parsed_holders[index] if index < len(parsed_holders) else (None, None, None)
        vouchers.append(
            Voucher(
                code=code,
                status=VoucherStatus.ISSUED,
                created_at=now,
                created_by_id=actor.id,
                organisation_id=target_id,
                expires_on=expires_on,
                holder_first_name=first_name,
                holder_last_name=last_name,
                holder_birth_date=birth_date,
            )
        )
    session.add_all(vouchers)
    session.flush()

    for voucher in vouchers:
        record_event(
            session,
            actor_id=actor.id,
            action="voucher.issued",
            subject_type="voucher",
            subject_id=voucher.id,
            voucher_id=voucher.id,
            after={"status": "issued"},
        )
    return [voucher.id for voucher in vouchers if voucher.id is not None]


def _lock_organisation(session: Session, organisation_id: int) -> Organisation:
    # The row lock serialises concurrent requests of one organisation on PostgreSQL, so two
    # of them cannot both pass the open-voucher limit. SQLite serialises writers anyway.
    statement = select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    organisation = session.exec(statement).first()
    if organisation is None or not organisation.active:
        raise OrganisationNotFound()
    return organisation


def _check_open_limit(session: Session, organisation: Organisation, number: int) -> None:
    maximum = organisation.max_open_vouchers
    if maximum is None:
        maximum = get_settings().max_open_vouchers_per_organisation
    open_count = count_open_vouchers(session, organisation.id or 0)
    if open_count + number <= maximum:
        return
    available = max(maximum - open_count, 0)
    if available == 0:
        raise OpenLimitFull(open=open_count, maximum=maximum, available=0)
    raise OpenLimitReached(open=open_count, maximum=maximum, available=available)


def count_open_vouchers(session: Session, organisation_id: int) -> int:
    """Count the organisation's issued vouchers that have not expired."""
    today = local_today()
    statement = (
        select(func.count())
        .select_from(Voucher)
        .where(
            Voucher.organisation_id == organisation_id,
            Voucher.status == VoucherStatus.ISSUED,
            (col(Voucher.expires_on).is_(None)) | (col(Voucher.expires_on) >= today),
        )
    )
    return session.exec(statement).one()


_warned_percent = 0


def _warn_about_code_space(used_after: int) -> None:
    # One warning per percentage point per process, not one per request.
    global _warned_percent
    percent = 100 * used_after // codes.CODE_SPACE
    if used_after >= codes.CODE_SPACE * CODE_SPACE_WARNING_SHARE and percent > _warned_percent:
        _warned_percent = percent
        logger.warning("code space %d%% used", percent)


def _draw_unused_codes(session: Session, number: int) -> list[str]:
    used_count = session.exec(select(func.count()).select_from(Voucher)).one()
    if used_count + number > codes.CODE_SPACE:
        raise CodeSpaceExhausted()
    _warn_about_code_space(used_count + number)

    # Draw enough candidates that one lookup usually finds all free codes, even when most are taken.
    free_share = 1 - used_count / codes.CODE_SPACE
    chosen: set[str] = set()
    while len(chosen) < number:
        missing = number - len(chosen)
        batch = min(MAX_CANDIDATES_PER_LOOKUP, math.ceil(2 * missing / max(free_share, 0.001)))
        candidates = {codes.generate_code() for _ in range(batch)} - chosen
        already_used = set(session.exec(select(Voucher.code).where(col(Voucher.code).in_(candidates))))
        chosen.update(list(candidates - already_used)[:missing])
    return list(chosen)


def _parse_holder(holder: HolderInput, today: date) -> tuple[str | None, str | None, date | None]:
    first_name = clean_name(holder.first_name, too_long=FirstNameTooLong, invalid=FirstNameInvalid)
    last_name = clean_name(holder.last_name, too_long=LastNameTooLong, invalid=LastNameInvalid)
    birth_date = parse_birth_date(holder.birth_date, today=today)
    return first_name, last_name, birth_date


def clean_reason(value: str | None) -> str:
    """Return a trimmed, non-empty reason of at most MAX_REASON_LENGTH characters."""
    reason = " ".join((value or "").split())
    if not reason:
        raise ReasonRequired()
    if len(reason) > MAX_REASON_LENGTH:
        raise ReasonTooLong(maximum=MAX_REASON_LENGTH)
    return reason


def personalise_voucher(*, actor_id: int, voucher_id: int, first_name: str, last_name: str, birth_date: str) -> None:
    """Set or change the holder's name and date of birth of an issued voucher."""
    today = local_today()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        voucher = _changeable_voucher(session, actor, voucher_id)
        first, last, born = _parse_holder(HolderInput(first_name, last_name, birth_date), today)
        before = _holder_fields(voucher.holder_first_name, voucher.holder_last_name, voucher.holder_birth_date)
        after = _holder_fields(first, last, born)
        changed = [name for name in after if after[name] != before[name]]
        if not changed:
            logger.info("voucher personalisation unchanged actor=%d voucher=%d", actor_id, voucher_id)
            return

        # Conditional, like withdrawal: a desk that redeemed the voucher a moment ago wins.
        updated = session.exec(
            update(Voucher)
            .where(
                col(Voucher.id) == voucher_id,
                col(Voucher.status) == VoucherStatus.ISSUED,
                or_(col(Voucher.expires_on).is_(None), col(Voucher.expires_on) >= today),
            )
            .values(
                holder_first_name=first,
                holder_last_name=last,
                holder_birth_date=born,
                holder_search=holder_search_text(first, last),
            )
        ).rowcount
        if updated != 1:
            raise VoucherNotIssued()
        # Only the changed fields are recorded, and record_event replaces their values by a marker.
        record_event(
            session,
            actor_id=actor.id,
            action="voucher.personalised",
            subject_type="voucher",
            subject_id=voucher_id,
            voucher_id=voucher_id,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )

    logger.info("voucher personalised actor=%d voucher=%d", actor_id, voucher_id)
    publish(
        VoucherEvent(
            action="voucher.personalised", voucher_ids=(voucher_id,), organisation_ids=(voucher.organisation_id,)
        )
    )


def withdraw_voucher(*, actor_id: int, voucher_id: int, reason: str) -> None:
    """Withdraw an issued voucher so it can no longer be redeemed; a reason is required."""
    with write_session() as session:
        actor = load_actor(session, actor_id)
        voucher = _changeable_voucher(session, actor, voucher_id)
        cleaned_reason = clean_reason(reason)

        now = utc_now()
        changed = session.exec(
            update(Voucher)
            .where(col(Voucher.id) == voucher_id, col(Voucher.status) == VoucherStatus.ISSUED)
            .values(
                status=VoucherStatus.WITHDRAWN,
                withdrawn_at=now,
                withdrawn_by_id=actor.id,
                withdrawal_reason=cleaned_reason,
            )
        ).rowcount
        if changed != 1:
            raise VoucherNotIssued()
        record_event(
            session,
            actor_id=actor.id,
            action="voucher.withdrawn",
            subject_type="voucher",
            subject_id=voucher_id,
            voucher_id=voucher_id,
            before={"status": "issued"},
            after={"status": "withdrawn"},
            reason=cleaned_reason,
        )

    logger.info("voucher withdrawn actor=%d voucher=%d", actor_id, voucher_id)
    publish(
        VoucherEvent(action="voucher.withdrawn", voucher_ids=(voucher_id,), organisation_ids=(voucher.organisation_id,))
    )


def _changeable_voucher(session: Session, actor: Actor, voucher_id: int) -> Voucher:
    require(actor, Action.CHANGE_VOUCHER)
    voucher = session.get(Voucher, voucher_id)
    if voucher is None or not may_see(actor, voucher):
        raise VoucherNotFound()
    require_organisation(actor, voucher.organisation_id)
    status = voucher.effective_status(local_today())
    if status == VoucherStatus.EXPIRED:
        raise VoucherExpiredUnchangeable(last_day=voucher.expires_on)
    if status != VoucherStatus.ISSUED:
        raise VoucherNotIssued()
    return voucher


def _holder_fields(first_name: str | None, last_name: str | None, birth_date: date | None) -> dict[str, str | None]:
    return {
        "holder_first_name": first_name,
        "holder_last_name": last_name,
        "holder_birth_date": birth_date.isoformat() if birth_date else None,
    }
