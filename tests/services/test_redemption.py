import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from models import AuditEvent, OrganisationKind, Role, Voucher, VoucherStatus
from services import codes
from services.clock import utc_now
from services.db import read_session, write_session
from services.errors import (
    AlreadyRedeemed,
    EmptyCode,
    InvalidCode,
    LibraryRequired,
    NotRedeemed,
    PermissionDenied,
    ReasonRequired,
    UndoTooLate,
    UnknownCode,
    VoucherExpired,
    VoucherWithdrawn,
)
from services.redemption import check_code, redeem_voucher, undo_redemption
from services.vouchers import HolderInput, issue_vouchers, withdraw_voucher
from tests.factories import make_organisation, make_user


def _issue(user, **holder):
    (voucher_id,) = issue_vouchers(actor_id=user.id, count=1, holders=[HolderInput(**holder)] if holder else None)
    with read_session() as session:
        return session.get(Voucher, voucher_id)


def _unused_valid_code():
    payload = "00000"
    return payload + codes.damm_check_digit(payload)


def _redeem(user, code, key=None):
    return redeem_voucher(actor_id=user.id, raw_code=code, request_key=key or uuid.uuid4().hex)


def test_check_shows_issuer_and_holder(intermediary, desk_staff):
    voucher = _issue(intermediary, first_name="Mihai", last_name="Popescu", birth_date="02-02-1962")

    result = check_code(actor_id=desk_staff.id, raw_code=f" {voucher.code[:3]}-{voucher.code[3:]} ")

    assert result.redeemable
    assert (
        result.voucher.organisation_name == f"intermediary {intermediary.organisation_id}"
        or result.voucher.organisation_name
    )
    assert result.voucher.holder_name == "Mihai Popescu"
    assert result.voucher.holder_birth_date == date(1962, 2, 2)


def test_check_invalid_check_digit(desk_staff):
    code = _unused_valid_code()
    typo = code[:5] + str((int(code[5]) + 1) % 10)

    with pytest.raises(InvalidCode):
        check_code(actor_id=desk_staff.id, raw_code=typo)


def test_check_unknown_code(desk_staff):
    with pytest.raises(UnknownCode) as raised:
        check_code(actor_id=desk_staff.id, raw_code=_unused_valid_code())
    assert raised.value.params["code"] == codes.format_code(_unused_valid_code())


def test_check_blank_input(desk_staff):
    with pytest.raises(EmptyCode):
        check_code(actor_id=desk_staff.id, raw_code="   ")


def test_intermediary_may_not_check(intermediary):
    voucher = _issue(intermediary)

    with pytest.raises(PermissionDenied):
        check_code(actor_id=intermediary.id, raw_code=voucher.code)
    with pytest.raises(PermissionDenied):
        _redeem(intermediary, voucher.code)


def test_redeem_records_desk_and_library(intermediary, desk_staff, library):
    voucher = _issue(intermediary)

    result = _redeem(desk_staff, voucher.code)

    assert result.voucher.status == VoucherStatus.REDEEMED
    assert not result.repeated
    stored = _load(voucher.id)
    assert stored.redeemed_by_id == desk_staff.id
    assert stored.redeemed_library_id == library.id
    assert stored.redeemed_at is not None
    with read_session() as session:
        assert (
            session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.redeemed")).one().voucher_id
            == voucher.id
        )


def test_redeem_twice_says_when_where_who(intermediary, desk_staff, library):
    voucher = _issue(intermediary)
    _redeem(desk_staff, voucher.code)

    with pytest.raises(AlreadyRedeemed) as raised:
        _redeem(desk_staff, voucher.code)

    message = raised.value.render("nl")
    assert message.startswith("Al ingenomen op ")
    assert library.name in message
    assert desk_staff.name in message


def test_repeated_press_returns_first_result(intermediary, desk_staff):
    voucher = _issue(intermediary)
    first = _redeem(desk_staff, voucher.code, key="press-1")

    again = _redeem(desk_staff, voucher.code, key="press-1")

    assert again.repeated
    assert again.voucher.redeemed_at == first.voucher.redeemed_at
    with read_session() as session:
        assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.redeemed")).all()) == 1


def test_check_redeemed_voucher_explains(intermediary, desk_staff):
    voucher = _issue(intermediary)
    _redeem(desk_staff, voucher.code)

    result = check_code(actor_id=desk_staff.id, raw_code=voucher.code)

    assert not result.redeemable
    assert isinstance(result.problem, AlreadyRedeemed)


def test_withdrawn_voucher_not_redeemable(intermediary, desk_staff):
    voucher = _issue(intermediary)
    withdraw_voucher(actor_id=intermediary.id, voucher_id=voucher.id, reason="Kwijtgeraakt")

    assert isinstance(check_code(actor_id=desk_staff.id, raw_code=voucher.code).problem, VoucherWithdrawn)
    with pytest.raises(VoucherWithdrawn) as raised:
        _redeem(desk_staff, voucher.code)
    assert "Kwijtgeraakt" in raised.value.render("nl")


def test_expired_voucher_not_redeemable(intermediary, desk_staff):
    voucher = _issue(intermediary)
    with write_session() as session:
        session.exec(
            update(Voucher).where(Voucher.id == voucher.id).values(expires_on=date.today() - timedelta(days=2))
        )

    assert check_code(actor_id=desk_staff.id, raw_code=voucher.code).voucher.status == VoucherStatus.EXPIRED
    with pytest.raises(VoucherExpired):
        _redeem(desk_staff, voucher.code)
    assert _load(voucher.id).status == VoucherStatus.ISSUED


def test_administrator_without_library_must_choose(intermediary, administrator, library):
    voucher = _issue(intermediary)

    with pytest.raises(LibraryRequired):
        _redeem(administrator, voucher.code)
    result = redeem_voucher(actor_id=administrator.id, raw_code=voucher.code, request_key="k", library_id=library.id)
    assert result.voucher.redeemed_library_id == library.id


def test_staff_of_intermediary_organisation_may_not_redeem(intermediary, intermediary_organisation):
    voucher = _issue(intermediary)
    misplaced = make_user(Role.LIBRARY_STAFF, intermediary_organisation)

    with pytest.raises(PermissionDenied):
        _redeem(misplaced, voucher.code)


def test_undo_same_day_restores_issued(intermediary, desk_staff):
    voucher = _issue(intermediary)
    _redeem(desk_staff, voucher.code)

    undo_redemption(actor_id=desk_staff.id, voucher_id=voucher.id, reason="Verkeerde voucher gescand")

    stored = _load(voucher.id)
    assert stored.status == VoucherStatus.ISSUED
    assert stored.redeemed_at is None
    assert stored.redeemed_library_id is None
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.redemption_undone")).one()
    assert event.reason == "Verkeerde voucher gescand"
    _redeem(desk_staff, voucher.code)


def test_undo_requires_reason(intermediary, desk_staff):
    voucher = _issue(intermediary)
    _redeem(desk_staff, voucher.code)

    with pytest.raises(ReasonRequired):
        undo_redemption(actor_id=desk_staff.id, voucher_id=voucher.id, reason="")
    assert _load(voucher.id).status == VoucherStatus.REDEEMED


def test_undo_next_day_rejected(intermediary, desk_staff):
    voucher = _issue(intermediary)
    _redeem(desk_staff, voucher.code)
    with write_session() as session:
        session.exec(update(Voucher).where(Voucher.id == voucher.id).values(redeemed_at=utc_now() - timedelta(days=1)))

    with pytest.raises(UndoTooLate):
        undo_redemption(actor_id=desk_staff.id, voucher_id=voucher.id, reason="Vergissing")


def test_undo_by_other_library_denied(intermediary, desk_staff, database):
    voucher = _issue(intermediary)
    _redeem(desk_staff, voucher.code)
    other_desk = make_user(Role.LIBRARY_STAFF, make_organisation(OrganisationKind.LIBRARY))

    with pytest.raises(PermissionDenied):
        undo_redemption(actor_id=other_desk.id, voucher_id=voucher.id, reason="Vergissing")


def test_undo_not_redeemed_rejected(intermediary, desk_staff):
    voucher = _issue(intermediary)

    with pytest.raises(NotRedeemed):
        undo_redemption(actor_id=desk_staff.id, voucher_id=voucher.id, reason="Vergissing")


def _load(voucher_id):
    with read_session() as session:
        return session.get(Voucher, voucher_id)
