"""Checking a code at the desk, redeeming it, and undoing a redemption made by mistake.

Redemption is one conditional UPDATE (`... WHERE code = ? AND status = 'issued'`): the
database decides which of two simultaneous desks wins, and each desk reads the outcome from
the row count.
"""

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from models import Organisation, Role, Voucher, VoucherStatus
from services.audit import record_event
from services.clock import local_today, to_local, utc_now
from services.codes import format_code, normalise_code
from services.db import read_session, write_session
from services.errors import (
    AlreadyRedeemed,
    ConcurrentChange,
    DomainError,
    LibraryRequired,
    NotRedeemed,
    PermissionDenied,
    UndoTooLate,
    UnknownCode,
    VoucherExpired,
    VoucherNotFound,
    VoucherWithdrawn,
)
from services.events import VoucherEvent, publish
from services.metrics import REDEMPTIONS_UNDONE, VOUCHERS_REDEEMED
from services.permissions import Action, Actor, load_actor, require
from services.voucher_views import VoucherView, to_view, voucher_view_query
from services.vouchers import clean_reason

logger = logging.getLogger(__name__)

MAX_CARD_NUMBER_LENGTH = 50


@dataclass(frozen=True)
class CheckResult:
    """Result of checking a code: the voucher, and the reason it cannot be redeemed, if any."""

    voucher: VoucherView
    problem: DomainError | None

    @property
    def redeemable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class RedemptionResult:
    """A successful redemption. `repeated` is true when the same press arrived twice."""

    voucher: VoucherView
    repeated: bool = False


def check_code(*, actor_id: int, raw_code: str) -> CheckResult:
    """Look up a typed code for the desk: status, issuer, holder, and any reason it is not redeemable."""
    code = normalise_code(raw_code)
    today = local_today()
    with read_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.REDEEM)
        view = _view_by_code(session, code, today)
    logger.info("code checked actor=%d voucher=%d status=%s", actor_id, view.id, view.status)
    return CheckResult(voucher=view, problem=_problem(view))


def redeem_voucher(
    *,
    actor_id: int,
    raw_code: str,
    request_key: str,
    library_id: int | None = None,
    library_card_number: str | None = None,
) -> RedemptionResult:
    """Redeem the voucher with this code at the actor's library; exactly one desk can succeed."""
    code = normalise_code(raw_code)
    card_number = " ".join((library_card_number or "").split())[:MAX_CARD_NUMBER_LENGTH] or None
    today = local_today()
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.REDEEM)
        library = _redeeming_library(session, actor, library_id)

        now = utc_now()
        changed = session.exec(
            update(Voucher)
            .where(
                col(Voucher.code) == code,
                col(Voucher.status) == VoucherStatus.ISSUED,
                or_(col(Voucher.expires_on).is_(None), col(Voucher.expires_on) >= today),
            )
            .values(
                status=VoucherStatus.REDEEMED,
                redeemed_at=now,
                redeemed_by_id=actor.id,
                redeemed_library_id=library.id,
                library_card_number=card_number,
                redeem_request_key=request_key,
            )
        ).rowcount
        view = _view_by_code(session, code, today)
        if changed != 1:
            return _explain_failed_redemption(view, request_key, session, code)

        record_event(
            session,
            actor_id=actor.id,
            action="voucher.redeemed",
            subject_type="voucher",
            subject_id=view.id,
            voucher_id=view.id,
            before={"status": "issued"},
            after={"status": "redeemed", "library": library.name},
        )

    logger.info("voucher redeemed actor=%d voucher=%d library=%d", actor_id, view.id, library.id)
    VOUCHERS_REDEEMED.inc()
    publish(
        VoucherEvent(
            action="voucher.redeemed", voucher_ids=(view.id,), organisation_ids=(view.organisation_id, library.id or 0)
        )
    )
    return RedemptionResult(voucher=view)


def _explain_failed_redemption(view: VoucherView, request_key: str, session: Session, code: str) -> RedemptionResult:
    stored_key = session.exec(select(Voucher.redeem_request_key).where(Voucher.code == code)).one()
    if view.status == VoucherStatus.REDEEMED and stored_key == request_key:
        # The same press arrived twice (double tap, retry after a dropped connection).
        return RedemptionResult(voucher=view, repeated=True)
    problem = _problem(view)
    logger.info("redemption rejected voucher=%d reason=%s", view.id, problem.code if problem else "none")
    # An undo at another desk between our UPDATE and SELECT leaves the voucher issued again.
    raise problem or ConcurrentChange()


def undo_redemption(*, actor_id: int, voucher_id: int, reason: str) -> None:
    """Put a voucher redeemed by mistake back to issued; same day only, with a reason."""
    with write_session() as session:
        actor = load_actor(session, actor_id)
        require(actor, Action.UNDO_REDEMPTION)
        voucher = session.get(Voucher, voucher_id)
        if voucher is None:
            raise VoucherNotFound()
        _check_undo_allowed(actor, voucher)
        cleaned_reason = clean_reason(reason)

        library_id = voucher.redeemed_library_id
        before = {
            "status": "redeemed",
            "redeemed_at": voucher.redeemed_at.isoformat() if voucher.redeemed_at else None,
            "redeemed_library_id": library_id,
        }
        changed = session.exec(
            update(Voucher)
            .where(col(Voucher.id) == voucher_id, col(Voucher.status) == VoucherStatus.REDEEMED)
            .values(
                status=VoucherStatus.ISSUED,
                redeemed_at=None,
                redeemed_by_id=None,
                redeemed_library_id=None,
                library_card_number=None,
                redeem_request_key=None,
            )
        ).rowcount
        if changed != 1:
            raise NotRedeemed()
        record_event(
            session,
            actor_id=actor.id,
            action="voucher.redemption_undone",
            subject_type="voucher",
            subject_id=voucher_id,
            voucher_id=voucher_id,
            before=before,
            after={"status": "issued"},
            reason=cleaned_reason,
        )

    logger.info("redemption undone actor=%d voucher=%d", actor_id, voucher_id)
    REDEMPTIONS_UNDONE.inc()
    publish(
        VoucherEvent(
            action="voucher.redemption_undone",
            voucher_ids=(voucher_id,),
            organisation_ids=(voucher.organisation_id, library_id or 0),
        )
    )


def _check_undo_allowed(actor: Actor, voucher: Voucher) -> None:
    if voucher.status != VoucherStatus.REDEEMED or voucher.redeemed_at is None:
        raise NotRedeemed()
    if actor.role == Role.LIBRARY_STAFF and voucher.redeemed_library_id != actor.organisation_id:
        raise PermissionDenied()
    redeemed_day = to_local(voucher.redeemed_at).date()
    if redeemed_day != local_today():
        raise UndoTooLate(day=redeemed_day)


def _redeeming_library(session: Session, actor: Actor, library_id: int | None) -> Organisation:
    if actor.role == Role.LIBRARY_STAFF or (library_id is None and actor.organisation_is_library):
        library_id = actor.organisation_id
    library = session.get(Organisation, library_id) if library_id is not None else None
    if library is None or not library.is_library or not library.active:
        raise LibraryRequired()
    return library


def _view_by_code(session: Session, code: str, today: date) -> VoucherView:
    statement = voucher_view_query().where(col(Voucher.code) == code)
    row = session.exec(statement).first()  # type: ignore[call-overload]
    if row is None:
        raise UnknownCode(code=format_code(code))
    return to_view(row, today=today)


def _problem(view: VoucherView) -> DomainError | None:
    if view.status in (VoucherStatus.REDEEMED, VoucherStatus.REIMBURSED):
        return AlreadyRedeemed(
            when=view.redeemed_at or "?", library=view.redeemed_library_name or "?", staff=view.redeemed_by_name or "?"
        )
    if view.status == VoucherStatus.WITHDRAWN:
        return VoucherWithdrawn(when=view.withdrawn_at or "?", reason=view.withdrawal_reason or "")
    if view.status == VoucherStatus.EXPIRED:
        return VoucherExpired(last_day=view.expires_on or "?")
    return None


def list_libraries() -> list[tuple[int, str]]:
    """Return the active libraries as (id, name), for an administrator choosing where to redeem."""
    with read_session() as session:
        statement = (
            select(Organisation.id, Organisation.name)
            .where(Organisation.kind == "library", col(Organisation.active).is_(True))
            .order_by(Organisation.name)
        )
        return [(library_id or 0, name) for library_id, name in session.exec(statement)]
