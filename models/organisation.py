"""Organisation: a library or an intermediary organisation."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, enum_column_type


class OrganisationKind(StrEnum):
    """Kind of organisation. Only staff of a library may redeem vouchers."""

    LIBRARY = "library"
    INTERMEDIARY = "intermediary"


class Organisation(SQLModel, table=True):
    """A library or intermediary organisation; every user belongs to exactly one."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: OrganisationKind = Field(sa_type=enum_column_type(OrganisationKind))
    active: bool = True
    # None means the programme-wide setting applies.
    max_open_vouchers: int | None = Field(default=None, ge=0)
    created_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def is_library(self) -> bool:
        return self.kind == OrganisationKind.LIBRARY
