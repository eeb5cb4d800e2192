"""login codes, login throttles and the code of conduct

Login attempts in progress are deleted: they belong to the login without a code, and the
new required columns have no value for them.

Revision ID: login
Revises: privacy
Create Date: 2026-12-04 21:12:22.172190
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.types


revision = "login"
down_revision = "privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scope", "key_hash", name="uq_login_throttle_scope_key"),
    )
    op.create_table(
        "conduct_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version"),
    )
    op.create_table(
        "conduct_acceptance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("accepted_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["conduct_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "version_id", name="uq_conduct_acceptance_user_version"),
    )
    with op.batch_alter_table("conduct_acceptance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conduct_acceptance_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conduct_acceptance_version_id"), ["version_id"], unique=False)

    op.create_table(
        "sent_login_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["login_attempt.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sent_login_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sent_login_code_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index("ix_sent_login_code_user_sent", ["user_id", "sent_at"], unique=False)

    op.execute("DELETE FROM login_attempt")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False))
        batch_op.add_column(sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column("code_sent_at", models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("code_failures", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("handoff_expires_at", models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("handoff_hash", existing_type=sa.VARCHAR(length=64), nullable=True)
        batch_op.create_unique_constraint("uq_login_attempt_attempt_hash", ["attempt_hash"])


def downgrade() -> None:
    op.execute("DELETE FROM sent_login_code")
    op.execute("DELETE FROM login_attempt")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_constraint("uq_login_attempt_attempt_hash", type_="unique")
        batch_op.alter_column("handoff_hash", existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.alter_column("user_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("handoff_expires_at")
        batch_op.drop_column("code_failures")
        batch_op.drop_column("code_sent_at")
        batch_op.drop_column("code_hash")
        batch_op.drop_column("attempt_hash")

    with op.batch_alter_table("sent_login_code", schema=None) as batch_op:
        batch_op.drop_index("ix_sent_login_code_user_sent")
        batch_op.drop_index(batch_op.f("ix_sent_login_code_attempt_id"))

    op.drop_table("sent_login_code")
    with op.batch_alter_table("conduct_acceptance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conduct_acceptance_version_id"))
        batch_op.drop_index(batch_op.f("ix_conduct_acceptance_user_id"))

    op.drop_table("conduct_acceptance")
    op.drop_table("conduct_version")
    op.drop_table("login_throttle")
