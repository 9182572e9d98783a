"""holdings

The holdings wing: assets, bank accounts (only the last 4 digits of a number, a CHECK as the
backstop) and their balance snapshots, unique per (account, date).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 21:13:48.106839
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bank_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("bank", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("last4", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column(
            "currency",
            sa.Enum("USD", "INR", name="currency", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(last4) = 4", name=op.f("ck_bank_account_last4")),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_bank_account_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_account")),
    )
    with op.batch_alter_table("bank_account", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bank_account_venture_name", ["venture_id", "name", "id"], unique=False
        )

    op.create_table(
        "holding_asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "REAL_ESTATE",
                "VEHICLE",
                "EQUIPMENT",
                "INVESTMENT",
                "OTHER",
                name="assettype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True),
        sa.Column("value_estimate", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column(
            "currency",
            sa.Enum("USD", "INR", name="currency", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("acquired_on", sa.Date(), nullable=True),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_holding_asset_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holding_asset")),
    )
    with op.batch_alter_table("holding_asset", schema=None) as batch_op:
        batch_op.create_index(
            "ix_holding_asset_venture_name", ["venture_id", "name", "id"], unique=False
        )

    op.create_table(
        "bank_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("balance", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column(
            "currency",
            sa.Enum("USD", "INR", name="currency", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["bank_account.id"],
            name=op.f("fk_bank_snapshot_account_id_bank_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_bank_snapshot_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_snapshot")),
        sa.UniqueConstraint("account_id", "day", name=op.f("uq_bank_snapshot_account_id_day")),
    )
    with op.batch_alter_table("bank_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bank_snapshot_venture_day", ["venture_id", "day", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("bank_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_bank_snapshot_venture_day")

    op.drop_table("bank_snapshot")
    with op.batch_alter_table("holding_asset", schema=None) as batch_op:
        batch_op.drop_index("ix_holding_asset_venture_name")

    op.drop_table("holding_asset")
    with op.batch_alter_table("bank_account", schema=None) as batch_op:
        batch_op.drop_index("ix_bank_account_venture_name")

    op.drop_table("bank_account")
