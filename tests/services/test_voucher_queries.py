from datetime import timedelta

import pytest
from sqlalchemy import update

from models import OrganisationKind, Role, User, Voucher, VoucherStatus
from services.clock import local_today, utc_now
from services.db import write_session
from services.errors import InvalidPeriod, VoucherNotFound
from services.redemption import redeem_voucher
from services.voucher_queries import (
    SortField,
    VoucherQuery,
    list_vouchers,
    voucher_detail,
    vouchers_by_ids,
    vouchers_for_viewers,
)
from services.vouchers import HolderInput, issue_vouchers
from tests.factories import make_organisation, make_user


def test_newest_first_and_paged(intermediary):
    ids = [issue_vouchers(actor_id=intermediary.id, count=1)[0] for _ in range(5)]

    page = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(per_page=2, page=1))
    second = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(per_page=2, page=2))

    assert page.total == 5
    assert [row.id for row in page.rows] == [ids[4], ids[3]]
    assert [row.id for row in second.rows] == [ids[2], ids[1]]


def test_intermediary_sees_own_organisation_only(intermediary, database):
    other = make_user(Role.INTERMEDIARY, make_organisation(OrganisationKind.INTERMEDIARY))
    own_ids = issue_vouchers(actor_id=intermediary.id, count=2)
    issue_vouchers(actor_id=other.id, count=3)

    page = list_vouchers(actor_id=intermediary.id, query=VoucherQuery())

    assert sorted(row.id for row in page.rows) == sorted(own_ids)


def test_library_sees_vouchers_redeemed_there(intermediary, desk_staff):
    redeemed_id, _other_id = issue_vouchers(actor_id=intermediary.id, count=2)
    code = vouchers_by_ids(actor_id=intermediary.id, voucher_ids=[redeemed_id])[0].code
    redeem_voucher(actor_id=desk_staff.id, raw_code=code, request_key="k")

    page = list_vouchers(actor_id=desk_staff.id, query=VoucherQuery())

    assert [row.id for row in page.rows] == [redeemed_id]


def test_administrator_sees_all(intermediary, administrator, database):
    other = make_user(Role.INTERMEDIARY, make_organisation(OrganisationKind.INTERMEDIARY))
    issue_vouchers(actor_id=intermediary.id, count=2)
    issue_vouchers(actor_id=other.id, count=1)

    assert list_vouchers(actor_id=administrator.id, query=VoucherQuery()).total == 3


def test_status_filter_separates_expired(intermediary):
    expired_id, issued_id = issue_vouchers(actor_id=intermediary.id, count=2)
    with write_session() as session:
        session.exec(
            update(Voucher).where(Voucher.id == expired_id).values(expires_on=local_today() - timedelta(days=1))
        )

    expired = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(status=VoucherStatus.EXPIRED))
    issued = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(status=VoucherStatus.ISSUED))

    assert [row.id for row in expired.rows] == [expired_id]
    assert expired.rows[0].status == VoucherStatus.EXPIRED
    assert [row.id for row in issued.rows] == [issued_id]


@pytest.mark.parametrize("term", ["yılmaz", "AYŞE", "ayşe yıl", " Yılmaz "])
def test_search_by_holder_name(intermediary, term):
    holder = HolderInput(first_name="Ayşe", last_name="Yılmaz")
    (found_id,) = issue_vouchers(actor_id=intermediary.id, count=1, holders=[holder])
    issue_vouchers(actor_id=intermediary.id, count=1, holders=[HolderInput(first_name="Jan", last_name="Smeets")])

    page = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search=term))

    assert [row.id for row in page.rows] == [found_id]


@pytest.mark.parametrize("term", ["łukasz", "ÖZTÜRK", "Łukasz Öz"])
def test_search_folds_non_ascii_case(intermediary, term):
    holder = HolderInput(first_name="Łukasz", last_name="Öztürk")
    (found_id,) = issue_vouchers(actor_id=intermediary.id, count=1, holders=[holder])

    page = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search=term))

    assert [row.id for row in page.rows] == [found_id]


def test_search_by_code_with_spaces(intermediary):
    ids = issue_vouchers(actor_id=intermediary.id, count=3)
    code = vouchers_by_ids(actor_id=intermediary.id, voucher_ids=[ids[1]])[0].code

    page = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search=f"{code[:3]} {code[3:]}"))

    assert [row.id for row in page.rows] == [ids[1]]


def test_search_wildcards_are_literal(intermediary):
    issue_vouchers(actor_id=intermediary.id, count=2)

    assert list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search="%")).total == 0
    assert list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search="_")).total == 0


def test_period_filter_uses_local_days(intermediary):
    old_id, new_id = issue_vouchers(actor_id=intermediary.id, count=2)
    with write_session() as session:
        session.exec(update(Voucher).where(Voucher.id == old_id).values(created_at=utc_now() - timedelta(days=40)))
    today = local_today()

    recent = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(created_from=today, created_to=today))

    assert [row.id for row in recent.rows] == [new_id]


def test_reversed_period_rejected(intermediary):
    today = local_today()
    with pytest.raises(InvalidPeriod):
        list_vouchers(actor_id=intermediary.id, query=VoucherQuery(created_from=today, created_to=today - timedelta(1)))


def test_sort_by_code_ascending(intermediary):
    issue_vouchers(actor_id=intermediary.id, count=4)

    page = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(sort=SortField.CODE, descending=False))

    codes = [row.code for row in page.rows]
    assert codes == sorted(codes)


def test_detail_of_foreign_voucher_not_found(intermediary, database):
    other = make_user(Role.INTERMEDIARY, make_organisation(OrganisationKind.INTERMEDIARY))
    (foreign_id,) = issue_vouchers(actor_id=other.id, count=1)

    with pytest.raises(VoucherNotFound):
        voucher_detail(actor_id=intermediary.id, voucher_id=foreign_id)


def test_detail_lists_audit_events(intermediary, desk_staff):
    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)
    code = vouchers_by_ids(actor_id=intermediary.id, voucher_ids=[voucher_id])[0].code
    redeem_voucher(actor_id=desk_staff.id, raw_code=code, request_key="k")

    detail = voucher_detail(actor_id=intermediary.id, voucher_id=voucher_id)

    assert [event.action for event, _name in detail.events] == ["voucher.issued", "voucher.redeemed"]
    assert [name for _event, name in detail.events] == [intermediary.name, desk_staff.name]


def test_code_space_warning_only_for_administrators(intermediary, administrator, monkeypatch):
    from services import voucher_queries

    issue_vouchers(actor_id=intermediary.id, count=1)
    assert voucher_queries.code_space_used_percent(actor_id=administrator.id) is None

    monkeypatch.setattr(voucher_queries, "CODE_SPACE_WARNING_SHARE", 0.00001)

    assert voucher_queries.code_space_used_percent(actor_id=administrator.id) == 0
    assert voucher_queries.code_space_used_percent(actor_id=intermediary.id) is None


def test_search_by_code_prefix(intermediary):
    ids = issue_vouchers(actor_id=intermediary.id, count=3)
    code = vouchers_by_ids(actor_id=intermediary.id, voucher_ids=[ids[0]])[0].code

    page = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search=code[:3]))

    assert ids[0] in [row.id for row in page.rows]
    assert all(row.code.startswith(code[:3]) for row in page.rows)


def test_search_longer_than_code_finds_nothing(intermediary):
    ids = issue_vouchers(actor_id=intermediary.id, count=1)
    code = vouchers_by_ids(actor_id=intermediary.id, voucher_ids=ids)[0].code

    assert list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search=code + "1")).total == 0


def test_overlong_search_rejected(intermediary):
    from services.errors import SearchTooLong

    with pytest.raises(SearchTooLong) as raised:
        list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search="x" * 101))
    assert raised.value.render("nl") == "Zoektekst is te lang: hoogstens 100 tekens. Typ een deel van een naam of code."


@pytest.mark.parametrize("term", ["nunez", "NUNEZ", "ayse yilmaz", "lukasz", "Núñez"])
def test_search_ignores_accents(intermediary, term):
    holders = [
        HolderInput(first_name="Anne-Marie", last_name="Núñez"),
        HolderInput(first_name="Ayşe", last_name="Yılmaz"),
        HolderInput(first_name="Łukasz", last_name="Wójcik"),
    ]
    ids = issue_vouchers(actor_id=intermediary.id, count=3, holders=holders)
    issue_vouchers(actor_id=intermediary.id, count=1, holders=[HolderInput(first_name="Jan", last_name="Smeets")])

    page = list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search=term))

    assert len(page.rows) == 1
    assert page.rows[0].id in ids


def test_search_follows_personalisation(intermediary):
    from services.vouchers import personalise_voucher

    (voucher_id,) = issue_vouchers(actor_id=intermediary.id, count=1)
    personalise_voucher(
        actor_id=intermediary.id, voucher_id=voucher_id, first_name="Zoltán", last_name="Erdős", birth_date=""
    )

    assert [row.id for row in list_vouchers(actor_id=intermediary.id, query=VoucherQuery(search="erdos")).rows] == [
        voucher_id
    ]


def test_vouchers_for_viewers_per_role(intermediary, desk_staff, administrator, database):
    other = make_user(Role.INTERMEDIARY, make_organisation(OrganisationKind.INTERMEDIARY))
    own_id = issue_vouchers(actor_id=intermediary.id, count=1)[0]
    foreign_id = issue_vouchers(actor_id=other.id, count=1)[0]

    views = vouchers_for_viewers(
        voucher_ids=[own_id, foreign_id], actor_ids=[intermediary.id, other.id, desk_staff.id, administrator.id]
    )

    assert [view.id for view in views[intermediary.id]] == [own_id]
    assert [view.id for view in views[other.id]] == [foreign_id]
    assert views[desk_staff.id] == []
    assert sorted(view.id for view in views[administrator.id]) == sorted([own_id, foreign_id])


def test_vouchers_for_viewers_deactivated(intermediary):
    voucher_id = issue_vouchers(actor_id=intermediary.id, count=1)[0]
    with write_session() as session:
        session.exec(update(User).where(User.id == intermediary.id).values(active=False))

    assert vouchers_for_viewers(voucher_ids=[voucher_id], actor_ids=[intermediary.id]) == {intermediary.id: []}
