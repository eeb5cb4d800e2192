from datetime import date

import pytest
from sqlmodel import select

from models import AuditEvent, OrganisationKind, Role, Voucher, VoucherStatus
from services import codes
from services.db import read_session
from services.errors import (
    DomainError,
    FirstNameTooLong,
    ImpossibleDate,
    InvalidCount,
    OpenLimitFull,
    OpenLimitReached,
    PermissionDenied,
    ReasonRequired,
    ReasonTooLong,
    RequestLimitExceeded,
    VoucherNotFound,
    VoucherNotIssued,
)
from services.vouchers import HolderInput, issue_vouchers, personalise_voucher, withdraw_voucher
from tests.factories import make_organisation, make_user


def _load(voucher_id):
    with read_session() as session:
        return session.get(Voucher, voucher_id)


def test_issue_creates_issued_vouchers_with_valid_codes(intermediary):
    ids = issue_vouchers(actor_id=intermediary.id, count=3)

    assert len(ids) == 3
    for voucher_id in ids:
        voucher = _load(voucher_id)
        assert voucher.status == VoucherStatus.ISSUED
        assert voucher.organisation_id == intermediary.organisation_id
        assert voucher.created_by_id == intermediary.id
        assert codes.has_valid_check_digit(voucher.code)
        assert voucher.created_at.tzinfo is not None


def test_issue_writes_audit_event_per_voucher(intermediary):
    ids = issue_vouchers(actor_id=intermediary.id, count=2)

    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.issued")).all()
    assert sorted(event.voucher_id for event in events) == sorted(ids)
    assert all(event.actor_id == intermediary.id for event in events)


def test_issue_personalised_keeps_every_letter(intermediary):
    holder = HolderInput(first_name="  Łukasz  ", last_name="van der Meer-Núñez", birth_date="7-3-1985")
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1, holders=[holder])

    voucher = _load(voucher_id)
    assert voucher.holder_first_name == "Łukasz"
    assert voucher.holder_last_name == "van der Meer-Núñez"
    assert voucher.holder_birth_date == date(1985, 3, 7)


@pytest.mark.parametrize("count", [0, -1, "abc", "", None, 2.5, True])
def test_issue_invalid_count_rejected(intermediary, count):
    with pytest.raises(InvalidCount):
        issue_vouchers(actor_id=intermediary.id, count=count)


def test_issue_over_request_limit_rejected(intermediary):
    with pytest.raises(RequestLimitExceeded) as raised:
        issue_vouchers(actor_id=intermediary.id, count=11)
    assert raised.value.render("nl") == "U kunt in één keer hoogstens 10 vouchers aanmaken. Kies een lager aantal."


def test_issue_over_open_limit_says_limit_and_open(intermediary):
    for _ in range(2):
        issue_vouchers(actor_id=intermediary.id, count=10)

    with pytest.raises(OpenLimitReached) as raised:
        issue_vouchers(actor_id=intermediary.id, count=6)

    assert raised.value.params == {"open": 20, "maximum": 25, "available": 5}
    assert raised.value.code == "vouchers.open_limit"
    assert raised.value.render("nl") == (
        "Uw organisatie heeft 20 openstaande vouchers van de 25 toegestane, dus u kunt er nu nog hoogstens 5 "
        "aanmaken. Kies een lager aantal."
    )
    issue_vouchers(actor_id=intermediary.id, count=5)


def test_issue_at_full_open_limit(database):
    organisation = make_organisation(OrganisationKind.INTERMEDIARY, max_open_vouchers=2)
    user = make_user(Role.INTERMEDIARY, organisation)
    issue_vouchers(actor_id=user.id, count=2)

    with pytest.raises(OpenLimitFull) as raised:
        issue_vouchers(actor_id=user.id, count=1)

    assert raised.value.code == "vouchers.open_limit_full"
    assert raised.value.params == {"open": 2, "maximum": 2, "available": 0}
    message = raised.value.render("nl")
    assert message.startswith("Uw organisatie heeft 2 openstaande vouchers, het maximum van 2, dus u kunt nu geen")
    assert "hoogstens 0" not in message
    assert "Wacht tot er vouchers zijn ingenomen, trek ongebruikte vouchers in" in message
    assert "vraag een beheerder het maximum te verhogen" in message


def test_open_limit_per_organisation_override(database):
    organisation = make_organisation(OrganisationKind.INTERMEDIARY, max_open_vouchers=2)
    user = make_user(Role.INTERMEDIARY, organisation)
    issue_vouchers(actor_id=user.id, count=2)

    with pytest.raises(OpenLimitReached):
        issue_vouchers(actor_id=user.id, count=1)


def test_withdrawn_vouchers_free_the_open_limit(database):
    organisation = make_organisation(OrganisationKind.INTERMEDIARY, max_open_vouchers=1)
    user = make_user(Role.INTERMEDIARY, organisation)
    (voucher_id,) = issue_vouchers(actor_id=user.id, count=1)
    withdraw_voucher(actor_id=user.id, voucher_id=voucher_id, reason="Dubbel aangemakt")

    assert len(issue_vouchers(actor_id=user.id, count=1)) == 1


def test_issue_invalid_holder_date_creates_nothing(intermediary):
    with pytest.raises(ImpossibleDate):
        issue_vouchers(actor_id=intermediary.id, count=2, holders=[HolderInput(birth_date="31-02-1990")])

    with read_session() as session:
        assert session.exec(select(Voucher)).all() == []


def test_intermediary_cannot_issue_for_other_organisation(intermediary, library):
    with pytest.raises(PermissionDenied):
        issue_vouchers(actor_id=intermediary.id, count=1, organisation_id=library.id)


def test_administrator_issues_for_any_organisation(administrator, intermediary_organisation):
    (voucher_id,) = issue_vouchers(actor_id=administrator.id, count=1, organisation_id=intermediary_organisation.id)

    assert _load(voucher_id).organisation_id == intermediary_organisation.id


def test_deactivated_user_can_do_nothing(intermediary):
    from models import User
    from services.db import write_session

    with write_session() as session:
        session.get(User, intermediary.id).active = False
    from services.errors import NotAuthenticated

    with pytest.raises(NotAuthenticated):
        issue_vouchers(actor_id=intermediary.id, count=1)


def test_personalise_records_before_and_after(intermediary):
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)

    personalise_voucher(
        actor_id=intermediary.id, voucher_id=voucher_id, first_name="Ayşe", last_name="Yılmaz", birth_date="01/02/1970"
    )

    voucher = _load(voucher_id)
    assert (voucher.holder_first_name, voucher.holder_last_name) == ("Ayşe", "Yılmaz")
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.personalised")).one()
    assert event.before["holder_first_name"] is None
    assert event.after["holder_birth_date"] == "redacted"


def test_personalise_name_too_long_rejected(intermediary):
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)

    with pytest.raises(FirstNameTooLong):
        personalise_voucher(
            actor_id=intermediary.id, voucher_id=voucher_id, first_name="x" * 101, last_name="", birth_date=""
        )


def test_personalise_other_organisation_not_found(intermediary, database):
    other = make_user(Role.INTERMEDIARY, make_organisation(OrganisationKind.INTERMEDIARY))
    (voucher_id,) = issue_vouchers(actor_id=other.id, count=1)

    with pytest.raises(VoucherNotFound):
        personalise_voucher(
            actor_id=intermediary.id, voucher_id=voucher_id, first_name="A", last_name="B", birth_date=""
        )


def test_withdraw_requires_reason(intermediary):
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)

    with pytest.raises(ReasonRequired):
        withdraw_voucher(actor_id=intermediary.id, voucher_id=voucher_id, reason="   ")
    assert _load(voucher_id).status == VoucherStatus.ISSUED


def test_withdraw_reason_too_long_rejected(intermediary):
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)

    with pytest.raises(ReasonTooLong) as raised:
        withdraw_voucher(actor_id=intermediary.id, voucher_id=voucher_id, reason="x" * 501)

    assert raised.value.render("nl") == "Reden is te lang: hoogstens 500 tekens."
    assert _load(voucher_id).status == VoucherStatus.ISSUED


def test_withdraw_twice_rejected(intermediary):
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)
    withdraw_voucher(actor_id=intermediary.id, voucher_id=voucher_id, reason="Bewoner verhuisd")

    voucher = _load(voucher_id)
    assert voucher.status == VoucherStatus.WITHDRAWN
    assert voucher.withdrawal_reason == "Bewoner verhuisd"
    with pytest.raises(VoucherNotIssued):
        withdraw_voucher(actor_id=intermediary.id, voucher_id=voucher_id, reason="Nogmaals")


def test_administrator_must_choose_organisation(administrator):
    from services.errors import OrganisationRequired

    with pytest.raises(OrganisationRequired):
        issue_vouchers(actor_id=administrator.id, count=1)


def test_holder_error_names_its_row(intermediary):
    holders = [HolderInput(birth_date="01-01-1990"), HolderInput(birth_date="7 maart 1985")]

    with pytest.raises(DomainError) as raised:
        issue_vouchers(actor_id=intermediary.id, count=2, holders=holders)

    assert raised.value.code == "date.invalid_format"
    assert raised.value.row == 2
