"""personal data removal: voucher.personal_data_removed_at, and no names in the audit trail

Revision ID: privacy
Revises: signup
Create Date: 2026-12-04 21:10:43.781144
"""

import sqlalchemy as sa
from alembic import op

import models.types

revision = "privacy"
down_revision = "signup"
branch_labels = None
depends_on = None

# Copied from services.audit at the time of writing, so this migration keeps working when that module changes.
PERSONAL_FIELDS = ("holder_first_name", "holder_last_name", "holder_birth_date", "holder_search", "library_card_number")
REDACTED = "redacted"


def upgrade() -> None:
    with op.batch_alter_table("voucher", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("personal_data_removed_at", models.types.UTCDateTime(timezone=True), nullable=True)
        )
    _redact_recorded_names()


def _redact_recorded_names() -> None:
    # Before this revision, "voucher.personalised" events stored the holder's name and date of
    # birth in `before` and `after`. From now on services.audit stores only REDACTED.
    audit_event = sa.table(
        "audit_event", sa.column("id", sa.Integer), sa.column("before", sa.JSON), sa.column("after", sa.JSON)
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(audit_event.c.id, audit_event.c.before, audit_event.c.after).where(
            sa.text("action = 'voucher.personalised'")
        )
    ).all()
    for event_id, before, after in rows:
        connection.execute(
            audit_event.update()
            .where(audit_event.c.id == event_id)
            .values(before=_redacted(before), after=_redacted(after))
        )


def _redacted(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {
        name: REDACTED if name in PERSONAL_FIELDS and value not in (None, "") else value
        for name, value in values.items()
    }


def downgrade() -> None:
    # The redacted names cannot be restored.
    with op.batch_alter_table("voucher", schema=None) as batch_op:
        batch_op.drop_column("personal_data_removed_at")
