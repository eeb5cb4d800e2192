"""A resident's request: find their vouchers, export their data, erase it; administrators only."""

import csv
import io
import json
from datetime import date

import pytest
from sqlmodel import select

from models import AuditEvent, Organisation, Voucher, VoucherStatus
from services.db import read_session
from services.errors import (
    FirstNameInvalid,
    ImpossibleDate,
    NameInReason,
    NoVouchersSelected,
    PermissionDenied,
    ReasonRequired,
    ResidentNameInvalid,
    ResidentNameRequired,
    ResidentNameTooLong,
)
from services.privacy import erase_resident_data, export_resident_data, find_resident_vouchers
from services.redemption import check_code
from services.vouchers import HolderInput, issue_vouchers, personalise_voucher

RESIDENT = HolderInput(first_name="Ștefan", last_name="van der Mureșan", birth_date="07-03-1985")
NAMESAKE = HolderInput(first_name="Ștefan", last_name="van der Mureșan", birth_date="08-04-1990")
OTHER = HolderInput(first_name="Ayşe", last_name="Yılmaz", birth_date="01-02-1970")


@pytest.fixture
def resident_vouchers(intermediary):
    ids = issue_vouchers(actor_id=intermediary.id, count=4, holders=[RESIDENT, RESIDENT, NAMESAKE, OTHER])
    return {"resident": ids[:2], "namesake": ids[2], "other": ids[3]}


def _organisation_name(account):
    with read_session() as session:
        return session.get(Organisation, account.organisation_id).name


def _load(voucher_id):
    with read_session() as session:
        return session.get(Voucher, voucher_id)


def test_find_by_name_and_birth_date(administrator, resident_vouchers):
    found = find_resident_vouchers(actor_id=administrator.id, name="stefan muresan", birth_date="7-3-1985")

    assert sorted(view.id for view in found.vouchers) == sorted(resident_vouchers["resident"])
    assert not found.truncated


def test_find_by_name_only_includes_namesakes(administrator, resident_vouchers):
    found = find_resident_vouchers(actor_id=administrator.id, name="  Mureșan  Ștefan ")

    expected = [*resident_vouchers["resident"], resident_vouchers["namesake"]]
    assert sorted(view.id for view in found.vouchers) == sorted(expected)


def test_find_needs_a_name(administrator, resident_vouchers):
    with pytest.raises(ResidentNameRequired) as raised:
        find_resident_vouchers(actor_id=administrator.id, name="  ", birth_date="07-03-1985")
    assert raised.value.field == "name"


@pytest.mark.parametrize(
    ("name", "birth_date", "error"),
    [
        ("x" * 101, "", ResidentNameTooLong),
        ("Jan\x00", "", ResidentNameInvalid),
        ("Jan", "31-02-2000", ImpossibleDate),
    ],
)
def test_find_bad_input_rejected(administrator, name, birth_date, error):
    with pytest.raises(error):
        find_resident_vouchers(actor_id=administrator.id, name=name, birth_date=birth_date)


@pytest.mark.parametrize("role", ["intermediary", "desk_staff"])
def test_non_administrators_refused(request, resident_vouchers, role):
    user = request.getfixturevalue(role)
    ids = resident_vouchers["resident"]

    with pytest.raises(PermissionDenied):
        find_resident_vouchers(actor_id=user.id, name="Ștefan")
    with pytest.raises(PermissionDenied):
        export_resident_data(actor_id=user.id, voucher_ids=ids, export_format="json")
    with pytest.raises(PermissionDenied):
        erase_resident_data(actor_id=user.id, voucher_ids=ids, reason="Verzoek per e-mail")
    assert _load(ids[0]).holder_first_name == "Ștefan"


def test_export_json_holds_vouchers_and_history(administrator, intermediary, resident_vouchers):
    ids = resident_vouchers["resident"]
    personalise_voucher(
        actor_id=intermediary.id, voucher_id=ids[0], first_name="Ștefan", last_name="Mureșan", birth_date="7-3-1985"
    )

    exported = export_resident_data(actor_id=administrator.id, voucher_ids=ids, export_format="json")

    assert exported.media_type == "application/json"
    assert exported.filename.endswith(".json")
    data = json.loads(exported.content.decode("utf-8"))
    assert set(data) == {"Geëxporteerd op", "Vouchers"}
    by_code = {voucher["Code"]: voucher for voucher in data["Vouchers"]}
    assert set(by_code) == {_load(voucher_id).code for voucher_id in ids}
    first = by_code[_load(ids[0]).code]
    assert (first["Voornaam"], first["Achternaam"]) == ("Ștefan", "Mureșan")
    assert first["Geboortedatum"] == "1985-03-07"
    assert first["Status"] == "Uitgegeven"
    assert first["Uitgegeven door"] == _organisation_name(intermediary)
    history = first["Geschiedenis"]
    assert [event["Gebeurtenis"] for event in history] == ["Aangemaakt", "Gegevens van de houder gewijzigd"]
    assert set(history[0]) == {"Tijdstip gebeurtenis", "Gebeurtenis", "Wijziging", "Reden bij gebeurtenis"}
    assert history[1]["Wijziging"] == "Achternaam gewijzigd"
    assert by_code[_load(ids[1]).code]["Achternaam"] == "van der Mureșan"


def test_export_json_in_english_locale(administrator, resident_vouchers):
    ids = resident_vouchers["resident"][:1]

    exported = export_resident_data(actor_id=administrator.id, voucher_ids=ids, export_format="json", locale="en")

    data = json.loads(exported.content.decode("utf-8"))
    (voucher,) = data["Vouchers"]
    assert voucher["Status"] == "Issued"
    assert voucher["Last name"] == "van der Mureșan"
    assert [event["Event"] for event in voucher["History"]] == ["Created"]


def test_export_json_without_status_codes(administrator, resident_vouchers):
    ids = resident_vouchers["resident"]

    exported = export_resident_data(actor_id=administrator.id, voucher_ids=ids, export_format="json")

    text = exported.content.decode("utf-8")
    assert '"issued"' not in text
    assert "voucher.issued" not in text
    assert '"status"' not in text


def test_export_csv_reads_back_with_bom(administrator, resident_vouchers):
    ids = resident_vouchers["resident"]

    exported = export_resident_data(actor_id=administrator.id, voucher_ids=ids, export_format="csv")

    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == ["Code", "Status", "Uitgegeven door", "Aangemaakt", "Voornaam", "Achternaam", "Geboortedatum"]
    assert len(rows) == 3
    assert {row[0] for row in rows[1:]} == {_load(voucher_id).code for voucher_id in ids}
    assert {row[5] for row in rows[1:]} == {"van der Mureșan"}
    assert rows[0][15:] == ["Tijdstip gebeurtenis", "Gebeurtenis", "Wijziging", "Reden bij gebeurtenis"]
    assert {row[1] for row in rows[1:]} == {"Uitgegeven"}
    assert {row[16] for row in rows[1:]} == {"Aangemaakt"}


def test_export_is_audited_without_names(administrator, resident_vouchers):
    ids = resident_vouchers["resident"]

    export_resident_data(actor_id=administrator.id, voucher_ids=ids, export_format="csv")

    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.personal_data_exported")).all()
    assert sorted(event.voucher_id for event in events) == sorted(ids)
    assert all(event.actor_id == administrator.id and event.after == {"format": "csv"} for event in events)


def test_export_nothing_selected_rejected(administrator):
    with pytest.raises(NoVouchersSelected):
        export_resident_data(actor_id=administrator.id, voucher_ids=[], export_format="json")


def test_erase_clears_details_and_keeps_record(administrator, desk_staff, resident_vouchers):
    ids = resident_vouchers["resident"]
    before = _load(ids[0])

    erased = erase_resident_data(actor_id=administrator.id, voucher_ids=ids, reason="Verzoek van de bewoner per brief")

    assert erased == 2
    after = _load(ids[0])
    assert (after.holder_first_name, after.holder_last_name, after.holder_birth_date) == (None, None, None)
    assert after.holder_search is None
    assert after.personal_data_removed_at is not None
    assert (after.code, after.status, after.organisation_id, after.created_at) == (
        before.code,
        before.status,
        before.organisation_id,
        before.created_at,
    )
    assert _load(resident_vouchers["namesake"]).holder_birth_date == date(1990, 4, 8)
    assert find_resident_vouchers(actor_id=administrator.id, name="Ștefan", birth_date="07-03-1985").vouchers == []
    assert check_code(actor_id=desk_staff.id, raw_code=after.code).voucher.status == VoucherStatus.ISSUED


def test_erase_audited_with_reason_without_names(administrator, resident_vouchers):
    ids = resident_vouchers["resident"]

    erase_resident_data(actor_id=administrator.id, voucher_ids=ids, reason="Verzoek van de bewoner per brief")

    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "voucher.personal_data_erased")).all()
        trail = session.exec(select(AuditEvent)).all()
    assert sorted(event.voucher_id for event in events) == sorted(ids)
    assert events[0].reason == "Verzoek van de bewoner per brief"
    assert events[0].before == {
        "holder_birth_date": "redacted",
        "holder_first_name": "redacted",
        "holder_last_name": "redacted",
        "holder_search": "redacted",
    }
    assert set(events[0].after.values()) == {None}
    text = json.dumps([[event.before, event.after, event.reason] for event in trail], ensure_ascii=False)
    for secret in ("Ștefan", "Mureșan", "stefan", "1985"):
        assert secret not in text


@pytest.mark.parametrize("reason", ["Verzoek van Ștefan", "verzoek van der muresan per mail", "MUREȘAN vroeg erom"])
def test_erase_reason_with_name_rejected(administrator, resident_vouchers, reason):
    ids = resident_vouchers["resident"]

    with pytest.raises(NameInReason) as raised:
        erase_resident_data(actor_id=administrator.id, voucher_ids=ids, reason=reason)

    assert raised.value.field == "reason"
    assert _load(ids[0]).holder_first_name == "Ștefan"


def test_erase_reason_with_particle_only_accepted(administrator, resident_vouchers):
    erased = erase_resident_data(
        actor_id=administrator.id, voucher_ids=resident_vouchers["resident"], reason="Verzoek van de bewoner"
    )
    assert erased == 2


def test_erase_requires_reason(administrator, resident_vouchers):
    with pytest.raises(ReasonRequired):
        erase_resident_data(actor_id=administrator.id, voucher_ids=resident_vouchers["resident"], reason=" ")


def test_erase_nothing_selected_rejected(administrator):
    with pytest.raises(NoVouchersSelected):
        erase_resident_data(actor_id=administrator.id, voucher_ids=[], reason="Verzoek")


def test_erase_twice_counts_nothing_second_time(administrator, resident_vouchers):
    ids = resident_vouchers["resident"]
    erase_resident_data(actor_id=administrator.id, voucher_ids=ids, reason="Verzoek per e-mail")

    assert erase_resident_data(actor_id=administrator.id, voucher_ids=ids, reason="Verzoek per e-mail") == 0


def test_erased_voucher_can_be_personalised_again(administrator, intermediary, resident_vouchers):
    voucher_id = resident_vouchers["other"]
    erase_resident_data(actor_id=administrator.id, voucher_ids=[voucher_id], reason="Verzoek per e-mail")

    with pytest.raises(FirstNameInvalid):
        personalise_voucher(
            actor_id=intermediary.id, voucher_id=voucher_id, first_name="A\x00", last_name="", birth_date=""
        )
    personalise_voucher(actor_id=intermediary.id, voucher_id=voucher_id, first_name="Ayşe", last_name="", birth_date="")
    assert _load(voucher_id).holder_first_name == "Ayşe"
