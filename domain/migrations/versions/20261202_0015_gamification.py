"""gamification

Points on the outbox: gamification_event (unique venture, type, idempotency key: the constraint
decides a duplicate delivery), gamification_balance per (user, venture), gamification_config per
venture.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import domain.columns

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gamification_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_gamification_event_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_gamification_event_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_gamification_event_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_event")),
        sa.UniqueConstraint(
            "venture_id",
            "type",
            "idempotency_key",
            name=op.f("uq_gamification_event_venture_id_type_idempotency_key"),
        ),
    )
    with op.batch_alter_table("gamification_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gamification_event_venture_day", ["venture_id", "business_date"], unique=False
        )
        batch_op.create_index(
            "ix_gamification_event_user_venture",
            ["user_id", "venture_id", "type", "business_date"],
            unique=False,
        )
    op.create_table(
        "gamification_balance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_gamification_balance_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_gamification_balance_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_balance")),
        sa.UniqueConstraint(
            "user_id", "venture_id", name=op.f("uq_gamification_balance_user_id_venture_id")
        ),
    )
    with op.batch_alter_table("gamification_balance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gamification_balance_venture_id"), ["venture_id"], unique=False
        )
    op.create_table(
        "gamification_config",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column(
            "points",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "daily_caps",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_gamification_config_updated_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_gamification_config_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_config")),
        sa.UniqueConstraint("venture_id", name=op.f("uq_gamification_config_venture_id")),
    )


def downgrade() -> None:
    op.drop_table("gamification_config")
    with op.batch_alter_table("gamification_balance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gamification_balance_venture_id"))
    op.drop_table("gamification_balance")
    with op.batch_alter_table("gamification_event", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_event_user_venture")
        batch_op.drop_index("ix_gamification_event_venture_day")
    op.drop_table("gamification_event")
