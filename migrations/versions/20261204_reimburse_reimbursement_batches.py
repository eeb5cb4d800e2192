"""reimbursement batches: filter, status, totals, and the tariff copied onto each voucher

Revision ID: reimburse
Revises: 0002
Create Date: 2026-12-04 21:08:43.694566
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.types


revision = 'reimburse'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batches made before this version (only the demo data made any) count as paid, with their
    # creation day as period and no amounts, because no tariff was recorded for them.
    with op.batch_alter_table('reimbursement_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('open', 'paid', 'reopened', name='batchstatus', native_enum=False, length=20), nullable=False, server_default='paid'))
        batch_op.add_column(sa.Column('period_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('library_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('voucher_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('total_amount', models.types.MoneyCents(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('paid_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paid_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reopened_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reopened_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reopen_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.create_foreign_key('fk_reimbursement_batch_paid_by_id', 'user_account', ['paid_by_id'], ['id'])
        batch_op.create_foreign_key('fk_reimbursement_batch_library_id', 'organisation', ['library_id'], ['id'])
        batch_op.create_foreign_key('fk_reimbursement_batch_reopened_by_id', 'user_account', ['reopened_by_id'], ['id'])

    creation_day = "date(created_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(created_at AS DATE)"
    op.execute(
        f"UPDATE reimbursement_batch SET period_from = {creation_day}, period_to = {creation_day}, "
        "voucher_count = (SELECT count(*) FROM voucher WHERE voucher.reimbursement_batch_id = reimbursement_batch.id)"
    )

    with op.batch_alter_table('reimbursement_batch', schema=None) as batch_op:
        batch_op.alter_column('period_from', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('period_to', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('status', existing_type=sa.String(length=20), server_default=None)
        batch_op.alter_column('voucher_count', existing_type=sa.Integer(), server_default=None)
        batch_op.alter_column('total_amount', existing_type=sa.BigInteger(), server_default=None)

    with op.batch_alter_table('voucher', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reimbursed_handling_fee', models.types.MoneyCents(), nullable=True))
        batch_op.add_column(sa.Column('reimbursed_membership_cost', models.types.MoneyCents(), nullable=True))
        batch_op.create_index(batch_op.f('ix_voucher_reimbursement_batch_id'), ['reimbursement_batch_id'], unique=False)
        batch_op.create_index('ix_voucher_status_redeemed', ['status', 'redeemed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('voucher', schema=None) as batch_op:
        batch_op.drop_index('ix_voucher_status_redeemed')
        batch_op.drop_index(batch_op.f('ix_voucher_reimbursement_batch_id'))
        batch_op.drop_column('reimbursed_membership_cost')
        batch_op.drop_column('reimbursed_handling_fee')

    with op.batch_alter_table('reimbursement_batch', schema=None) as batch_op:
        batch_op.drop_constraint('fk_reimbursement_batch_reopened_by_id', type_='foreignkey')
        batch_op.drop_constraint('fk_reimbursement_batch_library_id', type_='foreignkey')
        batch_op.drop_constraint('fk_reimbursement_batch_paid_by_id', type_='foreignkey')
        batch_op.drop_column('reopen_reason')
        batch_op.drop_column('reopened_by_id')
        batch_op.drop_column('reopened_at')
        batch_op.drop_column('paid_by_id')
        batch_op.drop_column('paid_at')
        batch_op.drop_column('total_amount')
        batch_op.drop_column('voucher_count')
        batch_op.drop_column('library_id')
        batch_op.drop_column('period_to')
        batch_op.drop_column('period_from')
        batch_op.drop_column('status')
