"""briefing digest

The morning email digest of the briefing: briefing_digest, one row per (reader, business date),
unique, so a reader gets one email a day whoever runs the job and however often.


Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "briefing_digest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("SENDING", "SENT", "FAILED", name="digeststatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "provider_message_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
        ),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_briefing_digest_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_digest")),
        sa.UniqueConstraint(
            "user_id", "business_date", name=op.f("uq_briefing_digest_user_id_business_date")
        ),
    )


def downgrade() -> None:
    op.drop_table("briefing_digest")
