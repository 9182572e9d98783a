"""hospitality

The hospitality wing: hotels, their daily KPIs (unique per hotel and business date, the CSV
upload's upsert key; rooms sold never above rooms available), reviews (unique per source and
external id), disputes, and the weighted HospitalityKpiDaily per (venture, business date).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 15:59:55.040381
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hospitality_kpi_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hotels_reporting", sa.Integer(), nullable=False),
        sa.Column("rooms_available", sa.Integer(), nullable=False),
        sa.Column("rooms_sold", sa.Integer(), nullable=False),
        sa.Column("room_revenue", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("other_revenue", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("total_revenue", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("occupancy", domain.columns.Rate(precision=12, scale=6), nullable=True),
        sa.Column("adr", domain.columns.Money(precision=14, scale=2), nullable=True),
        sa.Column("revpar", domain.columns.Money(precision=14, scale=2), nullable=True),
        sa.Column("reviews_received", sa.Integer(), nullable=False),
        sa.Column("reviews_responded", sa.Integer(), nullable=False),
        sa.Column("average_rating", domain.columns.Rate(precision=12, scale=6), nullable=True),
        sa.Column("disputes_opened", sa.Integer(), nullable=False),
        sa.Column("disputes_won", sa.Integer(), nullable=False),
        sa.Column("amount_recovered", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("computed_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_hospitality_kpi_daily_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hospitality_kpi_daily")),
        sa.UniqueConstraint(
            "venture_id", "day", name=op.f("uq_hospitality_kpi_daily_venture_id_day")
        ),
    )
    with op.batch_alter_table("hospitality_kpi_daily", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hospitality_kpi_daily_run_id"), ["run_id"], unique=False
        )

    op.create_table(
        "hotel_property",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "ACTIVE",
                "RENOVATION",
                "CLOSED",
                "SOLD",
                name="hotelstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_hotel_property_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_hotel_property_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotel_property")),
        sa.UniqueConstraint("code", name=op.f("uq_hotel_property_code")),
    )
    with op.batch_alter_table("hotel_property", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hotel_property_office_id"), ["office_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hotel_property_venture_id"), ["venture_id"], unique=False
        )

    op.create_table(
        "hotel_dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "CHARGEBACK",
                "OTA_DISPUTE",
                "RATE_DISCREPANCY",
                "GUEST_COMPLAINT",
                "NO_SHOW",
                "OTHER",
                name="disputetype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("amount", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("evidence_due_date", sa.Date(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN",
                "IN_PROGRESS",
                "WON",
                "LOST",
                "CLOSED_NO_ACTION",
                name="disputestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_hotel_dispute_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_hotel_dispute_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["hotel_id"],
            ["hotel_property.id"],
            name=op.f("fk_hotel_dispute_hotel_id_hotel_property"),
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_hotel_dispute_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_hotel_dispute_owner_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_account.id"],
            name=op.f("fk_hotel_dispute_resolved_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_hotel_dispute_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotel_dispute")),
    )
    with op.batch_alter_table("hotel_dispute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hotel_dispute_hotel_id"), ["hotel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hotel_dispute_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            "ix_hotel_dispute_venture_created", ["venture_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_hotel_dispute_venture_resolved", ["venture_id", "resolved_at"], unique=False
        )

    op.create_table(
        "hotel_kpi_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rooms_available", sa.Integer(), nullable=False),
        sa.Column("rooms_sold", sa.Integer(), nullable=False),
        sa.Column("room_revenue", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("other_revenue", domain.columns.Money(precision=14, scale=2), nullable=False),
        sa.Column("cancellations", sa.Integer(), nullable=False),
        sa.Column("no_shows", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rooms_available >= 0 AND rooms_sold >= 0 AND cancellations >= 0 AND no_shows >= 0",
            name=op.f("ck_hotel_kpi_daily_counts_not_negative"),
        ),
        sa.CheckConstraint(
            "rooms_sold <= rooms_available", name=op.f("ck_hotel_kpi_daily_sold_within_available")
        ),
        sa.ForeignKeyConstraint(
            ["hotel_id"],
            ["hotel_property.id"],
            name=op.f("fk_hotel_kpi_daily_hotel_id_hotel_property"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_hotel_kpi_daily_updated_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_hotel_kpi_daily_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotel_kpi_daily")),
        sa.UniqueConstraint("hotel_id", "day", name=op.f("uq_hotel_kpi_daily_hotel_id_day")),
    )
    with op.batch_alter_table("hotel_kpi_daily", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hotel_kpi_daily_venture_day",
            [
                "venture_id",
                "day",
                "hotel_id",
                "rooms_available",
                "rooms_sold",
                "room_revenue",
                "other_revenue",
            ],
            unique=False,
        )

    op.create_table(
        "hotel_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hotel_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "GOOGLE",
                "TRIPADVISOR",
                "BOOKING",
                "EXPEDIA",
                "OTHER",
                name="reviewsource",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("reviewer_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("response_text", sa.Text(), nullable=True),
        sa.Column("responded_by_id", sa.Integer(), nullable=True),
        sa.Column("responded_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("response_updated_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rating >= 1 AND rating <= 5", name=op.f("ck_hotel_review_rating_1_to_5")
        ),
        sa.ForeignKeyConstraint(
            ["hotel_id"],
            ["hotel_property.id"],
            name=op.f("fk_hotel_review_hotel_id_hotel_property"),
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_hotel_review_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["responded_by_id"],
            ["user_account.id"],
            name=op.f("fk_hotel_review_responded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_hotel_review_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotel_review")),
        sa.UniqueConstraint(
            "source", "external_id", name=op.f("uq_hotel_review_source_external_id")
        ),
    )
    with op.batch_alter_table("hotel_review", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hotel_review_hotel_date", ["hotel_id", "review_date", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hotel_review_responded_by_id"), ["responded_by_id"], unique=False
        )
        batch_op.create_index(
            "ix_hotel_review_venture_date", ["venture_id", "review_date", "id"], unique=False
        )
        batch_op.create_index(
            "ix_hotel_review_venture_responded", ["venture_id", "responded_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hotel_review", schema=None) as batch_op:
        batch_op.drop_index("ix_hotel_review_venture_responded")
        batch_op.drop_index("ix_hotel_review_venture_date")
        batch_op.drop_index(batch_op.f("ix_hotel_review_responded_by_id"))
        batch_op.drop_index("ix_hotel_review_hotel_date")

    op.drop_table("hotel_review")
    with op.batch_alter_table("hotel_kpi_daily", schema=None) as batch_op:
        batch_op.drop_index("ix_hotel_kpi_daily_venture_day")

    op.drop_table("hotel_kpi_daily")
    with op.batch_alter_table("hotel_dispute", schema=None) as batch_op:
        batch_op.drop_index("ix_hotel_dispute_venture_resolved")
        batch_op.drop_index("ix_hotel_dispute_venture_created")
        batch_op.drop_index(batch_op.f("ix_hotel_dispute_owner_id"))
        batch_op.drop_index(batch_op.f("ix_hotel_dispute_hotel_id"))

    op.drop_table("hotel_dispute")
    with op.batch_alter_table("hotel_property", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hotel_property_venture_id"))
        batch_op.drop_index(batch_op.f("ix_hotel_property_office_id"))

    op.drop_table("hotel_property")
    with op.batch_alter_table("hospitality_kpi_daily", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hospitality_kpi_daily_run_id"))

    op.drop_table("hospitality_kpi_daily")
