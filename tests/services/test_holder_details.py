"""Holder details at creation and while issued: names, dates, refusals and the audit trail."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from sqlmodel import select

from models import AuditEvent, Voucher, VoucherStatus
from services.clock import fixed_clock
from services.db import read_session, write_session
from services.errors import (
    FirstNameInvalid,
    FirstNameTooLong,
    FutureDate,
    ImplausibleAge,
    ImpossibleDate,
    InvalidDate,
    LastNameInvalid,
    LastNameTooLong,
    VoucherExpiredUnchangeable,
    VoucherNotIssued,
)
from services.names import MAX_NAME_LENGTH
from services.redemption import redeem_voucher
from services.vouchers import HolderInput, issue_vouchers, personalise_voucher, withdraw_voucher

NAMES = [
    ("Łukasz", "Wąsowski"),
    ("Ayşe", "Yılmaz"),
    ("Ștefan", "Mureșan"),
    ("Gergő", "Szőke"),
    ("José", "Núñez"),
    ("François", "Garçon"),
    ("Siobhán", "O'Brien"),
    ("Anne-Marie", "van der Meer-de Vries"),
    ("Jan", "in 't Veld"),
]


def _load(voucher_id):
    with read_session() as session:
        return session.get(Voucher, voucher_id)


def _issue(user, **holder):
    (voucher_id,) = issue_vouchers(actor_id=user.id, count=1, holders=[HolderInput(**holder)] if holder else None)
    return voucher_id


def _personalise(user, voucher_id, first_name="", last_name="", birth_date=""):
    personalise_voucher(
        actor_id=user.id, voucher_id=voucher_id, first_name=first_name, last_name=last_name, birth_date=birth_date
    )


@pytest.mark.parametrize(("first_name", "last_name"), NAMES)
def test_issue_keeps_every_letter(intermediary, first_name, last_name):
    voucher = _load(_issue(intermediary, first_name=first_name, last_name=last_name))

    assert voucher.holder_first_name == first_name
    assert voucher.holder_last_name == last_name


@pytest.mark.parametrize(("first_name", "last_name"), NAMES)
def test_personalise_keeps_every_letter(intermediary, first_name, last_name):
    voucher_id = _issue(intermediary)

    _personalise(intermediary, voucher_id, first_name, last_name, "7-3-1985")

    voucher = _load(voucher_id)
    assert voucher.holder_first_name == first_name
    assert voucher.holder_last_name == last_name
    assert voucher.holder_birth_date == date(1985, 3, 7)


def test_names_trimmed_and_blanks_collapsed(intermediary):
    voucher = _load(_issue(intermediary, first_name="  Anne \t Marie ", last_name=" van   der\nMeer "))

    assert voucher.holder_first_name == "Anne Marie"
    assert voucher.holder_last_name == "van der Meer"


def test_decomposed_letters_stored_composed(intermediary):
    voucher = _load(_issue(intermediary, first_name="S\u0326tefan", last_name="Nu\u0301n\u0303ez"))

    assert voucher.holder_first_name == "\u0218tefan"
    assert voucher.holder_last_name == "N\u00fa\u00f1ez"
    assert voucher.holder_search == "stefan nunez"


def test_blank_names_stored_as_none(intermediary):
    voucher = _load(_issue(intermediary, first_name="   ", last_name=""))

    assert voucher.holder_first_name is None
    assert voucher.holder_last_name is None
    assert voucher.holder_search is None


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066"])
def test_first_name_control_character_rejected(intermediary, character):
    with pytest.raises(FirstNameInvalid) as raised:
        _issue(intermediary, first_name=f"Jan{character}")

    assert raised.value.field == "first_name"
    assert raised.value.render("nl").startswith("Voornaam ")


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\u202e"])
def test_last_name_control_character_rejected(intermediary, character):
    voucher_id = _issue(intermediary)

    with pytest.raises(LastNameInvalid) as raised:
        _personalise(intermediary, voucher_id, "Jan", f"Jans{character}en")

    assert raised.value.field == "last_name"
    assert raised.value.render("nl").startswith("Achternaam ")
    assert _load(voucher_id).holder_first_name is None


def test_name_length_limit(intermediary):
    longest = "a" * MAX_NAME_LENGTH
    voucher = _load(_issue(intermediary, first_name=longest, last_name=longest))
    assert voucher.holder_first_name == longest

    with pytest.raises(FirstNameTooLong) as first:
        _issue(intermediary, first_name=longest + "b")
    assert (
        first.value.render("nl") == "Voornaam is te lang: 101 tekens, er zijn er hoogstens 100 toegestaan. Kort hem in."
    )
    with pytest.raises(LastNameTooLong) as last:
        _issue(intermediary, last_name=longest + "b")
    assert last.value.field == "last_name"


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("31-02-2000", ImpossibleDate),
        ("01-01-2999", FutureDate),
        ("01-01-1800", ImplausibleAge),
        ("1/1/85", InvalidDate),
    ],
)
def test_personalise_bad_date_changes_nothing(intermediary, typed, error):
    voucher_id = _issue(intermediary, first_name="Jan", birth_date="01-01-1990")

    with pytest.raises(error) as raised:
        _personalise(intermediary, voucher_id, "Piet", "", typed)

    assert raised.value.field == "birth_date"
    voucher = _load(voucher_id)
    assert voucher.holder_first_name == "Jan"
    assert voucher.holder_birth_date == date(1990, 1, 1)


def test_personalise_clears_details(intermediary):
    voucher_id = _issue(intermediary, first_name="Jan", last_name="Jansen", birth_date="01-01-1990")

    _personalise(intermediary, voucher_id)

    voucher = _load(voucher_id)
    assert (voucher.holder_first_name, voucher.holder_last_name, voucher.holder_birth_date) == (None, None, None)
    assert voucher.holder_search is None


def test_personalise_updates_search_name(intermediary):
    voucher_id = _issue(intermediary, first_name="Jan", last_name="Jansen")

    _personalise(intermediary, voucher_id, "Gergő", "Szőke")

    assert _load(voucher_id).holder_search == "gergo szoke"


def test_personalise_redeemed_voucher_rejected(intermediary, desk_staff):
    voucher_id = _issue(intermediary, first_name="Jan")
    redeem_voucher(actor_id=desk_staff.id, raw_code=_load(voucher_id).code, request_key="k")

    with pytest.raises(VoucherNotIssued) as raised:
        _personalise(intermediary, voucher_id, "Piet")

    assert "kan dus niet worden gewijzigd" in raised.value.render("nl")
    assert _load(voucher_id).holder_first_name == "Jan"


def test_personalise_withdrawn_voucher_rejected(intermediary):
    voucher_id = _issue(intermediary, first_name="Jan")
    withdraw_voucher(actor_id=intermediary.id, voucher_id=voucher_id, reason="Dubbel")

    with pytest.raises(VoucherNotIssued):
        _personalise(intermediary, voucher_id, "Piet")
    assert _load(voucher_id).holder_first_name == "Jan"


def test_personalise_expired_voucher_rejected(intermediary):
    voucher_id = _issue(intermediary, first_name="Jan")
    with write_session() as session:
        session.exec(update(Voucher).where(Voucher.id == voucher_id).values(expires_on=date(2026, 3, 29)))

    with fixed_clock(datetime(2026, 3, 30, 9, 0, tzinfo=UTC)), pytest.raises(VoucherExpiredUnchangeable) as raised:
        _personalise(intermediary, voucher_id, "Piet")

    assert raised.value.render("nl") == "Deze voucher is verlopen na 29 maart 2026 en kan niet meer worden gewijzigd."
    assert _load(voucher_id).holder_first_name == "Jan"


def test_personalise_records_changed_fields_without_values(intermediary):
    voucher_id = _issue(intermediary, first_name="Ayşe", last_name="Yılmaz")

    _personalise(intermediary, voucher_id, "Ayşe", "Kaya", "01-02-1970")

    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.personalised")).one()
    assert event.before == {"holder_last_name": "redacted", "holder_birth_date": None}
    assert event.after == {"holder_last_name": "redacted", "holder_birth_date": "redacted"}


def test_personalise_without_change_records_nothing(intermediary):
    voucher_id = _issue(intermediary, first_name="Jan", birth_date="01-02-1970")

    _personalise(intermediary, voucher_id, " Jan ", "", "1-2-1970")

    with read_session() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.personalised")).all() == []


def test_audit_trail_keeps_no_holder_details(intermediary):
    voucher_id = _issue(intermediary, first_name="Łukasz", last_name="Wąsowski", birth_date="07-03-1985")
    _personalise(intermediary, voucher_id, "Ștefan", "Mureșan", "08-04-1986")
    _personalise(intermediary, voucher_id)

    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.voucher_id == voucher_id)).all()
    recorded = json.dumps([[event.before, event.after, event.reason] for event in events], ensure_ascii=False)
    for secret in ("Łukasz", "Wąsowski", "Ștefan", "Mureșan", "1985", "1986", "lukasz", "stefan"):
        assert secret not in recorded
    assert len(events) == 3
    assert _load(voucher_id).status == VoucherStatus.ISSUED
