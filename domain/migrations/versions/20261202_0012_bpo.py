"""bpo

The BPO wing: campaigns (unique name per venture), agents (unique per user and campaign), call
logs (dial_count >= 1, ended_at never before started_at), KPI records (the upsert key campaign,
agent, business date; QA score 0-100) and BpoKpiDaily per (venture, business date).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 21:11:16.287183
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bpo_kpi_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dials", sa.Integer(), nullable=False),
        sa.Column("connects", sa.Integer(), nullable=False),
        sa.Column("connect_rate", domain.columns.Rate(precision=12, scale=6), nullable=True),
        sa.Column("talk_minutes", domain.columns.Rate(precision=12, scale=6), nullable=False),
        sa.Column("avg_handle_seconds", domain.columns.Rate(precision=12, scale=6), nullable=True),
        sa.Column("appointments", sa.Integer(), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("conversion", domain.columns.Rate(precision=12, scale=6), nullable=True),
        sa.Column("revenue", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("avg_qa", domain.columns.Rate(precision=12, scale=6), nullable=True),
        sa.Column("computed_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_bpo_kpi_daily_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bpo_kpi_daily")),
        sa.UniqueConstraint("venture_id", "day", name=op.f("uq_bpo_kpi_daily_venture_id_day")),
    )
    with op.batch_alter_table("bpo_kpi_daily", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bpo_kpi_daily_run_id"), ["run_id"], unique=False)

    op.create_table(
        "bpo_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_bpo_campaign_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_bpo_campaign_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bpo_campaign")),
        sa.UniqueConstraint("venture_id", "name", name=op.f("uq_bpo_campaign_venture_id_name")),
    )
    with op.batch_alter_table("bpo_campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bpo_campaign_office_id"), ["office_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bpo_campaign_venture_id"), ["venture_id"], unique=False
        )

    op.create_table(
        "bpo_agent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["bpo_campaign.id"], name=op.f("fk_bpo_agent_campaign_id_bpo_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_bpo_agent_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_bpo_agent_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bpo_agent")),
        sa.UniqueConstraint(
            "user_id", "campaign_id", name=op.f("uq_bpo_agent_user_id_campaign_id")
        ),
    )
    with op.batch_alter_table("bpo_agent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bpo_agent_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bpo_agent_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bpo_agent_venture_id"), ["venture_id"], unique=False)

    op.create_table(
        "bpo_call_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("started_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("dial_count", sa.Integer(), nullable=False),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.Column("appointment_set", sa.Boolean(), nullable=False),
        sa.Column("deal_won", sa.Boolean(), nullable=False),
        sa.Column("revenue", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("dial_count >= 1", name=op.f("ck_bpo_call_log_dial_count_positive")),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= started_at",
            name=op.f("ck_bpo_call_log_ends_after_start"),
        ),
        sa.CheckConstraint("revenue >= 0", name=op.f("ck_bpo_call_log_revenue_not_negative")),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["bpo_agent.id"], name=op.f("fk_bpo_call_log_agent_id_bpo_agent")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["bpo_campaign.id"],
            name=op.f("fk_bpo_call_log_campaign_id_bpo_campaign"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_bpo_call_log_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_bpo_call_log_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bpo_call_log")),
    )
    with op.batch_alter_table("bpo_call_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bpo_call_log_agent_started", ["agent_id", "started_at"], unique=False
        )
        batch_op.create_index(
            "ix_bpo_call_log_campaign_started", ["campaign_id", "started_at"], unique=False
        )
        batch_op.create_index(
            "ix_bpo_call_log_venture_started", ["venture_id", "started_at", "id"], unique=False
        )

    op.create_table(
        "bpo_kpi_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("talk_seconds", sa.Integer(), nullable=False),
        sa.Column("qa_score", domain.columns.Rate(precision=12, scale=6), nullable=True),
        sa.Column("appointments", sa.Integer(), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("revenue", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "calls >= 0 AND talk_seconds >= 0 AND appointments >= 0 AND deals >= 0",
            name=op.f("ck_bpo_kpi_record_counts_not_negative"),
        ),
        sa.CheckConstraint(
            "qa_score IS NULL OR (qa_score >= 0 AND qa_score <= 100)",
            name=op.f("ck_bpo_kpi_record_qa_0_100"),
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["bpo_agent.id"], name=op.f("fk_bpo_kpi_record_agent_id_bpo_agent")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["bpo_campaign.id"],
            name=op.f("fk_bpo_kpi_record_campaign_id_bpo_campaign"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_bpo_kpi_record_updated_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_bpo_kpi_record_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bpo_kpi_record")),
        sa.UniqueConstraint(
            "campaign_id",
            "agent_id",
            "day",
            name=op.f("uq_bpo_kpi_record_campaign_id_agent_id_day"),
        ),
    )
    with op.batch_alter_table("bpo_kpi_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bpo_kpi_record_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index("ix_bpo_kpi_record_venture_day", ["venture_id", "day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bpo_kpi_record", schema=None) as batch_op:
        batch_op.drop_index("ix_bpo_kpi_record_venture_day")
        batch_op.drop_index(batch_op.f("ix_bpo_kpi_record_agent_id"))

    op.drop_table("bpo_kpi_record")
    with op.batch_alter_table("bpo_call_log", schema=None) as batch_op:
        batch_op.drop_index("ix_bpo_call_log_venture_started")
        batch_op.drop_index("ix_bpo_call_log_campaign_started")
        batch_op.drop_index("ix_bpo_call_log_agent_started")

    op.drop_table("bpo_call_log")
    with op.batch_alter_table("bpo_agent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bpo_agent_venture_id"))
        batch_op.drop_index(batch_op.f("ix_bpo_agent_user_id"))
        batch_op.drop_index(batch_op.f("ix_bpo_agent_campaign_id"))

    op.drop_table("bpo_agent")
    with op.batch_alter_table("bpo_campaign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bpo_campaign_venture_id"))
        batch_op.drop_index(batch_op.f("ix_bpo_campaign_office_id"))

    op.drop_table("bpo_campaign")
    with op.batch_alter_table("bpo_kpi_daily", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bpo_kpi_daily_run_id"))

    op.drop_table("bpo_kpi_daily")
