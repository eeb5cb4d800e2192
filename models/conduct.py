"""The code of conduct ("gedragscode"): published versions and who accepted which."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class ConductVersion(SQLModel, table=True):
    """One published version of the code of conduct, as Markdown; the highest version is current."""

    __tablename__ = "conduct_version"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    text: str = Field(sa_type=sa.Text)
    published_at: datetime = Field(sa_type=UTCDateTime)
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class ConductAcceptance(SQLModel, table=True):
    """A user's acceptance of one version of the code of conduct."""

    __tablename__ = "conduct_acceptance"
    __table_args__ = (sa.UniqueConstraint("user_id", "version_id", name="uq_conduct_acceptance_user_version"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    version_id: int = Field(foreign_key="conduct_version.id", index=True)
    accepted_at: datetime = Field(sa_type=UTCDateTime)
