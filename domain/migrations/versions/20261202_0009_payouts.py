"""payouts

IncentivePayout: what one user is paid in one venture for a period, per currency, with its
approval (approver, time, the run's output hash), payment and void. One live payout per (user,
venture, period, currency): a unique index over the rows that are not VOID, so a replaced or
reopened period keeps its history.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 13:02:21.338422
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incentive_payout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("amount", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "CALCULATED",
                "APPROVED",
                "PAID",
                "VOID",
                name="payoutstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "approved_output_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        ),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.Column("paid_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("voided_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_incentive_payout_payout_amount_positive")),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_incentive_payout_payout_period")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["user_account.id"],
            name=op.f("fk_incentive_payout_approved_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_id"],
            ["user_account.id"],
            name=op.f("fk_incentive_payout_paid_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_incentive_payout_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_incentive_payout_venture_id_venture")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"],
            ["user_account.id"],
            name=op.f("fk_incentive_payout_voided_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incentive_payout")),
    )
    with op.batch_alter_table("incentive_payout", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incentive_payout_run_id"), ["run_id"], unique=False)
        batch_op.create_index("ix_incentive_payout_user", ["user_id", "period_start"], unique=False)
        batch_op.create_index(
            "ix_incentive_payout_venture_period",
            ["venture_id", "period_start", "period_end"],
            unique=False,
        )
        batch_op.create_index(
            "uq_incentive_payout_key",
            ["user_id", "venture_id", "period_start", "period_end", "currency"],
            unique=True,
            sqlite_where=sa.text("status <> 'VOID'"),
            postgresql_where=sa.text("status <> 'VOID'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("incentive_payout", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_incentive_payout_key",
            sqlite_where=sa.text("status <> 'VOID'"),
            postgresql_where=sa.text("status <> 'VOID'"),
        )
        batch_op.drop_index("ix_incentive_payout_venture_period")
        batch_op.drop_index("ix_incentive_payout_user")
        batch_op.drop_index(batch_op.f("ix_incentive_payout_run_id"))

    op.drop_table("incentive_payout")
