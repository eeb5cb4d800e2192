"""user locale: the language a user chose for pages and mails

Revision ID: english
Revises: open_index
Create Date: 2026-12-04 23:33:13.589936
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "english"
down_revision = "open_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("locale")
