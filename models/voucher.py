"""Vouchers and the reimbursement batches they are paid in."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.text import holder_search_text
from models.types import UTCDateTime, enum_column_type


class VoucherStatus(StrEnum):
    """Stored status; "expired" is derived from `expires_on` (see `Voucher.effective_status`)."""

    ISSUED = "issued"
    REDEEMED = "redeemed"
    REIMBURSED = "reimbursed"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class ReimbursementBatch(SQLModel, table=True):
    """A set of redeemed vouchers marked reimbursed together."""

    __tablename__ = "reimbursement_batch"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by_id: int = Field(foreign_key="user_account.id")


class Voucher(SQLModel, table=True):
    """A personal voucher for one free library membership."""

    __table_args__ = (
        sa.Index("ix_voucher_org_created", "organisation_id", "created_at", "id"),
        sa.Index("ix_voucher_created", "created_at", "id"),
        sa.Index("ix_voucher_library_created", "redeemed_library_id", "created_at"),
        sa.Index("ix_voucher_status_created", "status", "created_at", "id"),
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
    reimbursement_batch_id: int | None = Field(default=None, foreign_key="reimbursement_batch.id")

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
