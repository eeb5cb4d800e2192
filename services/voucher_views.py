"""Read models of vouchers: what pages show, built in one query with the names joined in."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from models import Organisation, User, Voucher, VoucherStatus

IssuingOrganisation = aliased(Organisation, name="issuing_organisation")
RedeemingLibrary = aliased(Organisation, name="redeeming_library")
Creator = aliased(User, name="creator")
Redeemer = aliased(User, name="redeemer")


@dataclass(frozen=True)
class VoucherView:
    """One voucher as a page shows it, with its effective status."""

    id: int
    code: str
    status: VoucherStatus
    created_at: datetime
    created_by_name: str
    organisation_id: int
    organisation_name: str
    holder_first_name: str | None
    holder_last_name: str | None
    holder_birth_date: date | None
    expires_on: date | None
    redeemed_at: datetime | None
    redeemed_by_name: str | None
    redeemed_library_id: int | None
    redeemed_library_name: str | None
    library_card_number: str | None
    reimbursed_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    personal_data_removed_at: datetime | None = None

    @property
    def holder_name(self) -> str:
        return " ".join(part for part in (self.holder_first_name, self.holder_last_name) if part)


def voucher_view_query() -> Select[Voucher, str, str, str, str]:
    """Return a SELECT of every voucher with the names a view needs; add WHERE and ORDER BY."""
    return (
        select(
            Voucher,
            col(IssuingOrganisation.name),
            col(RedeemingLibrary.name),
            col(Creator.name),
            col(Redeemer.name),
        )
        .join(IssuingOrganisation, col(IssuingOrganisation.id) == Voucher.organisation_id)
        .join(Creator, col(Creator.id) == Voucher.created_by_id)
        .outerjoin(RedeemingLibrary, col(RedeemingLibrary.id) == Voucher.redeemed_library_id)
        .outerjoin(Redeemer, col(Redeemer.id) == Voucher.redeemed_by_id)
    )


def to_view(row: Any, *, today: date) -> VoucherView:
    """Build a VoucherView from one row of `voucher_view_query`."""
    voucher, organisation_name, library_name, creator_name, redeemer_name = row
    return VoucherView(
        id=voucher.id,
        code=voucher.code,
        status=voucher.effective_status(today),
        created_at=voucher.created_at,
        created_by_name=creator_name,
        organisation_id=voucher.organisation_id,
        organisation_name=organisation_name,
        holder_first_name=voucher.holder_first_name,
        holder_last_name=voucher.holder_last_name,
        holder_birth_date=voucher.holder_birth_date,
        expires_on=voucher.expires_on,
        redeemed_at=voucher.redeemed_at,
        redeemed_by_name=redeemer_name,
        redeemed_library_id=voucher.redeemed_library_id,
        redeemed_library_name=library_name,
        library_card_number=voucher.library_card_number,
        reimbursed_at=voucher.reimbursed_at,
        withdrawn_at=voucher.withdrawn_at,
        withdrawal_reason=voucher.withdrawal_reason,
        personal_data_removed_at=voucher.personal_data_removed_at,
    )
