"""The technical log never contains a resident's name, date of birth or a voucher code."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from models import Voucher
from services import codes
from services.clock import fixed_clock
from services.db import read_session, write_session
from services.errors import DomainError
from services.privacy import erase_resident_data, export_resident_data, find_resident_vouchers
from services.redemption import check_code, redeem_voucher, undo_redemption
from services.retention import remove_expired_personal_data
from services.voucher_queries import VoucherQuery, list_vouchers, voucher_detail
from services.vouchers import HolderInput, issue_vouchers, personalise_voucher, withdraw_voucher


def _secrets(voucher_ids):
    with read_session() as session:
        found = [session.get(Voucher, voucher_id).code for voucher_id in voucher_ids]
    return found + [codes.format_code(code) for code in found]


def test_flow_logs_no_personal_data_or_codes(caplog, intermediary, desk_staff, administrator):
    caplog.set_level(logging.DEBUG)
    # As an operator might switch on while looking for a slow query: SQL statements, without their values.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    holder = HolderInput(first_name="Gergő", last_name="Szőke-Kovács", birth_date="07-03-1985")
    start = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)

    with fixed_clock(start):
        ids = issue_vouchers(actor_id=intermediary.id, count=3, holders=[holder, holder, holder])
        personalise_voucher(
            actor_id=intermediary.id, voucher_id=ids[1], first_name="Zsófia", last_name="Ńowak", birth_date="8-4-1986"
        )
        list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search="Szőke"))
        voucher_detail(actor_id=intermediary.id, voucher_id=ids[0])
        code = _secrets([ids[0]])[0]
        check_code(actor_id=desk_staff.id, raw_code=code)
        redeem_voucher(actor_id=desk_staff.id, raw_code=code, request_key="key-1", library_card_number="2000999888777")
        undo_redemption(actor_id=desk_staff.id, voucher_id=ids[0], reason="Vergissing")
        withdraw_voucher(actor_id=intermediary.id, voucher_id=ids[2], reason="Dubbel aangemaakt")
        for typed in ("000000", "12345", "abcdef"):
            try:
                check_code(actor_id=desk_staff.id, raw_code=typed)
            except DomainError:
                pass
        find_resident_vouchers(actor_id=administrator.id, name="Zsófia Ńowak", birth_date="08-04-1986")
        export_resident_data(actor_id=administrator.id, voucher_ids=[ids[1]], export_format="json")
        export_resident_data(actor_id=administrator.id, voucher_ids=[ids[1]], export_format="csv")
        erase_resident_data(actor_id=administrator.id, voucher_ids=[ids[1]], reason="Verzoek per e-mail")
    with fixed_clock(start + timedelta(days=365)):
        remove_expired_personal_data()

    log = caplog.text.casefold()
    assert "voucher withdrawn" in log, "the flow must have been logged at all"
    assert "update voucher" in log, "SQL statements must have been logged"
    assert "retention run finished" in log
    secrets = ["Gergő", "Szőke", "Kovács", "szoke", "Zsófia", "Ńowak", "zsofia", "nowak", "2000999888777"]
    secrets += ["1985-03-07", "07-03-1985", "1986-04-08", "08-04-1986", "8-4-1986"]
    secrets += _secrets(ids)
    for secret in secrets:
        assert secret.casefold() not in log, f"{secret!r} appears in the technical log"


def test_database_error_text_hides_values(intermediary):
    voucher = Voucher(
        code="123459",
        created_at=datetime(2026, 1, 5, tzinfo=UTC),
        created_by_id=intermediary.id,
        organisation_id=999_999,
        holder_first_name="Gergő",
        holder_last_name="Szőke",
    )

    with pytest.raises(IntegrityError) as raised, write_session() as session:
        session.add(voucher)

    text = str(raised.value)
    assert "parameters hidden" in text.lower() or "hide_parameters" in text
    for secret in ("Gergő", "Szőke", "123459"):
        assert secret not in text
