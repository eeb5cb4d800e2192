"""User accounts and their roles."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, enum_column_type


class Role(StrEnum):
    """Role of a user. The permission table is in services.permissions."""

    INTERMEDIARY = "intermediary"
    LIBRARY_STAFF = "library_staff"
    ADMINISTRATOR = "administrator"


class User(SQLModel, table=True):
    """A person who logs in; belongs to one organisation."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=200)
    role: Role = Field(sa_type=enum_column_type(Role))
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    active: bool = True
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The language the user chose ("nl" or "en"), or None until they choose. Until then pages follow
    # the browser's language cookie, and mails use the language of the page that caused them.
    locale: str | None = Field(default=None, max_length=8)
