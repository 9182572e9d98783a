"""saas mrr and holdings balances daily

The pre-aggregates the SaaS and holdings dashboards read: saas_mrr_daily (MRR, paying customers
and active subscriptions per venture and business date, unique per venture and day) and
holdings_balance_daily (balances per venture, business date and currency, unique on the three;
never added across currencies). Filled by the wings' KPI writes (the services' writes, a
dashboard's missing day).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saas_mrr_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("mrr", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("active_subscriptions", sa.Integer(), nullable=False),
        sa.Column("computed_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_saas_mrr_daily_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saas_mrr_daily")),
        sa.UniqueConstraint("venture_id", "day", name=op.f("uq_saas_mrr_daily_venture_id_day")),
    )
    with op.batch_alter_table("saas_mrr_daily", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saas_mrr_daily_run_id"), ["run_id"], unique=False)

    op.create_table(
        "holdings_balance_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "currency",
            sa.Enum("USD", "INR", name="currency", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("balance", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("accounts", sa.Integer(), nullable=False),
        sa.Column("computed_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["venture_id"],
            ["venture.id"],
            name=op.f("fk_holdings_balance_daily_venture_id_venture"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holdings_balance_daily")),
        sa.UniqueConstraint(
            "venture_id",
            "day",
            "currency",
            name=op.f("uq_holdings_balance_daily_venture_id_day_currency"),
        ),
    )
    with op.batch_alter_table("holdings_balance_daily", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_holdings_balance_daily_run_id"), ["run_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("holdings_balance_daily", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holdings_balance_daily_run_id"))
    op.drop_table("holdings_balance_daily")
    with op.batch_alter_table("saas_mrr_daily", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saas_mrr_daily_run_id"))
    op.drop_table("saas_mrr_daily")
