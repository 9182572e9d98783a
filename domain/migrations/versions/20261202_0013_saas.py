"""saas

The SaaS wing: customers (unique per venture and domain) and their subscriptions (MRR never
negative, never cancelled before they started), with the venture-wide MRR read index.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 21:11:31.911383
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saas_customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("domain", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_saas_customer_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saas_customer")),
        sa.UniqueConstraint(
            "venture_id", "domain", name=op.f("uq_saas_customer_venture_id_domain")
        ),
    )
    with op.batch_alter_table("saas_customer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saas_customer_venture_id"), ["venture_id"], unique=False
        )

    op.create_table(
        "saas_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("plan", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("mrr", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("started_at", sa.Date(), nullable=False),
        sa.Column("cancelled_at", sa.Date(), nullable=True),
        sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "cancelled_at IS NULL OR cancelled_at >= started_at",
            name=op.f("ck_saas_subscription_cancelled_after_start"),
        ),
        sa.CheckConstraint("mrr >= 0", name=op.f("ck_saas_subscription_mrr_not_negative")),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["user_account.id"],
            name=op.f("fk_saas_subscription_cancelled_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["saas_customer.id"],
            name=op.f("fk_saas_subscription_customer_id_saas_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_saas_subscription_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saas_subscription")),
    )
    with op.batch_alter_table("saas_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saas_subscription_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_saas_subscription_venture_started",
            ["venture_id", "started_at", "cancelled_at", "customer_id", "mrr"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("saas_subscription", schema=None) as batch_op:
        batch_op.drop_index("ix_saas_subscription_venture_started")
        batch_op.drop_index(batch_op.f("ix_saas_subscription_customer_id"))

    op.drop_table("saas_subscription")
    with op.batch_alter_table("saas_customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saas_customer_venture_id"))

    op.drop_table("saas_customer")
