"""Vouchers and the reimbursement batches they are paid in."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.text import holder_search_text
from models.types import MoneyCents, UTCDateTime, enum_column_type


class VoucherStatus(StrEnum):
    """Stored status; "expired" is derived from `expires_on` (see `Voucher.effective_status`)."""

    ISSUED = "issued"
    REDEEMED = "redeemed"
    REIMBURSED = "reimbursed"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


def format_batch_number(batch_id: int) -> str:
    """Return the number of a reimbursement batch as printed on statements: its id in 5 digits."""
    return f"{batch_id:05d}"


class BatchStatus(StrEnum):
    """Status of a reimbursement batch: open until the payment is confirmed, or reopened before that."""

    OPEN = "open"
    PAID = "paid"
    REOPENED = "reopened"


class ReimbursementBatch(SQLModel, table=True):
    """A set of redeemed vouchers marked reimbursed together, with the filter that chose them."""

    __tablename__ = "reimbursement_batch"

    id: int | None = Field(default=None, primary_key=True)
    status: BatchStatus = Field(default=BatchStatus.OPEN, sa_type=enum_column_type(BatchStatus))
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by_id: int = Field(foreign_key="user_account.id")

    # The filter: redemption dates from and through (Europe/Amsterdam), and one library or None for all.
    period_from: date
    period_to: date
    library_id: int | None = Field(default=None, foreign_key="organisation.id")

    # Totals when the batch was made; they stay after a reopening, which detaches the vouchers.
    voucher_count: int = 0
    total_amount: Decimal = Field(default=Decimal("0.00"), sa_type=MoneyCents)

    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paid_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reopened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reopened_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reopen_reason: str | None = Field(default=None, max_length=500)

    @property
    def number(self) -> str:
        return format_batch_number(self.id or 0)


class Voucher(SQLModel, table=True):
    """A personal voucher for one free library membership."""

    __table_args__ = (
        sa.Index("ix_voucher_org_created", "organisation_id", "created_at", "id"),
        sa.Index("ix_voucher_created", "created_at", "id"),
        sa.Index("ix_voucher_library_created", "redeemed_library_id", "created_at"),
        sa.Index("ix_voucher_status_created", "status", "created_at", "id"),
        sa.Index("ix_voucher_status_redeemed", "status", "redeemed_at"),
        # Counting an organisation's open vouchers on every issue request reads only this index.
        sa.Index("ix_voucher_org_status_expiry", "organisation_id", "status", "expires_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=6, unique=True)
    status: VoucherStatus = Field(default=VoucherStatus.ISSUED, sa_type=enum_column_type(VoucherStatus))

    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by_id: int = Field(foreign_key="user_account.id")
    organisation_id: int = Field(foreign_key="organisation.id")
    expires_on: date | None = None

    holder_first_name: str | None = Field(default=None, max_length=100)
    holder_last_name: str | None = Field(default=None, max_length=100)
    holder_birth_date: date | None = None
    # Folded copy of the name for searching (see models.text); kept in step by the listeners below.
    holder_search: str | None = Field(default=None, max_length=201)
    # When the retention job or an erasure request removed the holder's details and card number.
    personal_data_removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    redeemed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    redeemed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    redeemed_library_id: int | None = Field(default=None, foreign_key="organisation.id")
    library_card_number: str | None = Field(default=None, max_length=50)
    # The client's key for one "Innemen" press: a repeated press with the same key gets the first result.
    redeem_request_key: str | None = Field(default=None, max_length=64)

    reimbursed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reimbursed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reimbursement_batch_id: int | None = Field(default=None, foreign_key="reimbursement_batch.id", index=True)
    # The tariff in force on the redemption day, copied when the voucher is put in a batch.
    reimbursed_handling_fee: Decimal | None = Field(default=None, sa_type=MoneyCents)
    reimbursed_membership_cost: Decimal | None = Field(default=None, sa_type=MoneyCents)

    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    withdrawal_reason: str | None = Field(default=None, max_length=500)

    def effective_status(self, today: date) -> VoucherStatus:
        """Return the status as users see it: an issued voucher past its last day is expired."""
        if self.status == VoucherStatus.ISSUED and self.expires_on is not None and self.expires_on < today:
            return VoucherStatus.EXPIRED
        return self.status

    @property
    def holder_name(self) -> str:
        return " ".join(part for part in (self.holder_first_name, self.holder_last_name) if part)


@sa.event.listens_for(Voucher, "before_insert")
@sa.event.listens_for(Voucher, "before_update")
def _fold_holder_name(_mapper: object, _connection: object, voucher: Voucher) -> None:
    # NOTE: bulk inserts through SQLAlchemy Core bypass this; they must set holder_search themselves.
    voucher.holder_search = holder_search_text(voucher.holder_first_name, voucher.holder_last_name)
