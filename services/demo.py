"""The demo data set: Limburg libraries and intermediaries, one account per role, a few hundred vouchers."""

import logging
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from models import (
    AuditEvent,
    BatchStatus,
    OrganisationKind,
    ReimbursementBatch,
    Role,
    User,
    Voucher,
    VoucherStatus,
)
from services import codes
from services.clock import LOCAL_ZONE, local_today, utc_now
from services.conduct import add_conduct_version
from services.db import write_session
from services.demo_conduct import DEMO_CONDUCT_TEXT
from services.directory import add_organisation, add_user
from services.errors import NoTariff
from services.passwords import hash_password
from services.settings import get_settings
from services.tariffs import Tariff, tariff_on

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "Demo-wachtwoord-2026"  # noqa: S105  (published demo login)
DEMO_ACCOUNTS = (
    ("intermediair@demo.test", Role.INTERMEDIARY),
    ("bibliotheek@demo.test", Role.LIBRARY_STAFF),
    ("beheerder@demo.test", Role.ADMINISTRATOR),
)
LIBRARIES = ("Bibliotheek Maastricht", "Bibliotheek Venlo", "Bibliotheek Roermond", "Bibliotheek Heerlen")
INTERMEDIARIES = ("Voedselbank Maastricht", "Sociaal Wijkteam Venlo", "Schuldhulp Parkstad")
FUND = "Bibliotheken Limburg"
FIRST_NAMES = (
    "Jeanine",
    "Sjef",
    "Łukasz",
    "Ayşe",
    "Mihai",
    "Zoltán",
    "François",
    "Anne-Marie",
    "Ñico",
    "Fatima",
    "Bram",
    "Mieke",
    "Ionuț",
    "Gülşen",
    "Noah",
    "Ödön",
    "Liesbeth",
    "Mohammed",
)
LAST_NAMES = (
    "Hermans",
    "Smeets",
    "Wójcik",
    "Yılmaz",
    "Popescu",
    "Kovács",
    "Façade",
    "van der Meer",
    "Janssen",
    "O'Neill",
    "Núñez",
    "de Bruijn",
    "Cremers",
    "Şahin",
    "Erdős",
    "Vranken",
)
VOUCHER_COUNT = 320
ZERO = Decimal("0.00")


def seed_demo_if_empty() -> bool:
    """Fill an empty database with the demo data; returns whether it did."""
    with write_session() as session:
        if session.exec(select(func.count()).select_from(User)).one() > 0:
            return False
        _seed(session, random.Random(2026), utc_now())
    logger.info("demo data created")
    return True


def _seed(session: Session, rng: random.Random, now: datetime) -> None:
    password_hash = hash_password(DEMO_PASSWORD)
    libraries = [add_organisation(session, name=name, kind=OrganisationKind.LIBRARY) for name in LIBRARIES]
    intermediaries = [
        add_organisation(session, name=name, kind=OrganisationKind.INTERMEDIARY) for name in INTERMEDIARIES
    ]
    fund = add_organisation(session, name=FUND, kind=OrganisationKind.INTERMEDIARY)

    demo_users = {
        Role.INTERMEDIARY: add_user(
            session,
            email="intermediair@demo.test",
            name="Ingrid Intermediair",
            role=Role.INTERMEDIARY,
            organisation=intermediaries[0],
            password_hash=password_hash,
        ),
        Role.LIBRARY_STAFF: add_user(
            session,
            email="bibliotheek@demo.test",
            name="Bas Bibliotheek",
            role=Role.LIBRARY_STAFF,
            organisation=libraries[0],
            password_hash=password_hash,
        ),
        Role.ADMINISTRATOR: add_user(
            session,
            email="beheerder@demo.test",
            name="Bea Beheerder",
            role=Role.ADMINISTRATOR,
            organisation=fund,
            password_hash=password_hash,
        ),
    }
    staff = [demo_users[Role.LIBRARY_STAFF]] + [
        add_user(
            session,
            email=f"balie{index}@demo.test",
            name=f"Baliemedewerker {library.name.split()[-1]}",
            role=Role.LIBRARY_STAFF,
            organisation=library,
            password_hash=password_hash,
        )
        for index, library in enumerate(libraries[1:], start=2)
    ]
    issuers = [demo_users[Role.INTERMEDIARY]] + [
        add_user(
            session,
            email=f"intermediair{index}@demo.test",
            name=f"Medewerker {organisation.name.split()[-1]}",
            role=Role.INTERMEDIARY,
            organisation=organisation,
            password_hash=password_hash,
        )
        for index, organisation in enumerate(intermediaries[1:], start=2)
    ]
    # No demo account has accepted it yet, so each one is asked to accept it at its first login.
    add_conduct_version(
        session,
        text=DEMO_CONDUCT_TEXT,
        published_by_id=demo_users[Role.ADMINISTRATOR].id,
        now=now - timedelta(days=200),
    )
    batch = _paid_batch(now, demo_users[Role.ADMINISTRATOR].id or 0)
    session.add(batch)
    session.flush()
    vouchers = _seed_vouchers(session, rng, now, issuers, staff, batch)
    _add_batch_totals(batch, vouchers)


def _paid_batch(now: datetime, administrator_id: int) -> ReimbursementBatch:
    created_at = now - timedelta(days=20)
    return ReimbursementBatch(
        status=BatchStatus.PAID,
        created_at=created_at,
        created_by_id=administrator_id,
        period_from=local_today(now - timedelta(days=190)),
        period_to=local_today(created_at - timedelta(days=5)),
        paid_at=created_at + timedelta(days=3),
        paid_by_id=administrator_id,
    )


def _add_batch_totals(batch: ReimbursementBatch, vouchers: list[Voucher]) -> None:
    in_batch = [voucher for voucher in vouchers if voucher.reimbursement_batch_id == batch.id]
    batch.voucher_count = len(in_batch)
    batch.total_amount = sum(
        (
            (voucher.reimbursed_handling_fee or ZERO) + (voucher.reimbursed_membership_cost or ZERO)
            for voucher in in_batch
        ),
        ZERO,
    )


def _seed_vouchers(
    session: Session,
    rng: random.Random,
    now: datetime,
    issuers: list[User],
    staff: list[User],
    batch: ReimbursementBatch,
) -> list[Voucher]:
    used_codes: set[str] = set()
    vouchers = []
    open_per_organisation: dict[int, int] = {}
    for _ in range(VOUCHER_COUNT):
        issuer = rng.choice(issuers)
        created_at = now - timedelta(days=rng.uniform(0, 180), minutes=rng.uniform(0, 600))
        voucher = Voucher(
            code=_unused_code(used_codes),
            created_at=created_at,
            created_by_id=issuer.id or 0,
            organisation_id=issuer.organisation_id,
        )
        if rng.random() < 0.8:
            voucher.holder_first_name = rng.choice(FIRST_NAMES)
            voucher.holder_last_name = rng.choice(LAST_NAMES)
            voucher.holder_birth_date = date(rng.randint(1940, 2008), rng.randint(1, 12), rng.randint(1, 28))
        _give_status(voucher, rng, now, staff, batch, open_per_organisation)
        session.add(voucher)
        session.flush()
        _add_history(session, voucher, issuer)
        vouchers.append(voucher)
    return vouchers


def _give_status(
    voucher: Voucher,
    rng: random.Random,
    now: datetime,
    staff: list[User],
    batch: ReimbursementBatch,
    open_per_organisation: dict[int, int],
) -> None:
    age = now - voucher.created_at
    roll = rng.random()
    open_count = open_per_organisation.get(voucher.organisation_id, 0)
    if roll < 0.08 and age > timedelta(days=14):
        voucher.status = VoucherStatus.WITHDRAWN
        voucher.withdrawn_at = voucher.created_at + timedelta(days=rng.uniform(1, 10))
        voucher.withdrawn_by_id = voucher.created_by_id
        voucher.withdrawal_reason = rng.choice(("Bewoner verhuisd", "Dubbel aangemaakt", "Voucher kwijtgeraakt"))
    elif roll < 0.12 and age > timedelta(days=60):
        # As if a validity period was configured when these were issued.
        voucher.expires_on = (voucher.created_at + timedelta(days=42)).astimezone(LOCAL_ZONE).date()
    elif (roll < 0.2 and open_count < 12) or (age < timedelta(days=3) and open_count < 12):
        open_per_organisation[voucher.organisation_id] = open_count + 1
    else:
        desk = rng.choice(staff)
        voucher.status = VoucherStatus.REDEEMED
        # Somewhere between creation and now, at most 30 days after creation.
        window = min(timedelta(days=rng.uniform(0.2, 30)), now - voucher.created_at)
        voucher.redeemed_at = voucher.created_at + window * rng.uniform(0.3, 0.95)
        voucher.redeemed_by_id = desk.id
        voucher.redeemed_library_id = desk.organisation_id
        tariff = _demo_tariff(voucher.redeemed_at)
        if voucher.redeemed_at < batch.created_at - timedelta(days=5) and tariff and rng.random() < 0.7:
            voucher.status = VoucherStatus.REIMBURSED
            voucher.reimbursed_handling_fee = tariff.handling_fee
            voucher.reimbursed_membership_cost = tariff.membership_cost
            voucher.reimbursed_at = batch.created_at
            voucher.reimbursed_by_id = batch.created_by_id
            voucher.reimbursement_batch_id = batch.id


def _demo_tariff(redeemed_at: datetime) -> Tariff | None:
    # With BIEBVOUCHER_TARIFFS starting after the demo's redemptions, those vouchers stay redeemed.
    try:
        return tariff_on(get_settings().tariffs, local_today(redeemed_at))
    except NoTariff:
        return None


def _add_history(session: Session, voucher: Voucher, issuer: User) -> None:
    # (when, who, action, status before, status after, reason)
    events: list[tuple[datetime, int | None, str, str | None, str, str | None]] = [
        (voucher.created_at, issuer.id, "voucher.issued", None, "issued", None)
    ]
    if voucher.redeemed_at:
        events.append((voucher.redeemed_at, voucher.redeemed_by_id, "voucher.redeemed", "issued", "redeemed", None))
    if voucher.reimbursed_at:
        events.append(
            (voucher.reimbursed_at, voucher.reimbursed_by_id, "voucher.reimbursed", "redeemed", "reimbursed", None)
        )
    if voucher.withdrawn_at:
        events.append(
            (
                voucher.withdrawn_at,
                voucher.withdrawn_by_id,
                "voucher.withdrawn",
                "issued",
                "withdrawn",
                voucher.withdrawal_reason,
            )
        )
    for occurred_at, actor_id, action, before, after, reason in events:
        session.add(
            AuditEvent(
                occurred_at=occurred_at,
                actor_id=actor_id,
                action=action,
                voucher_id=voucher.id,
                subject_type="voucher",
                subject_id=voucher.id,
                before={"status": before} if before else None,
                after={"status": after},
                reason=reason,
            )
        )


def _unused_code(used_codes: set[str]) -> str:
    while (code := codes.generate_code()) in used_codes:
        pass
    used_codes.add(code)
    return code
