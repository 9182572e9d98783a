"""briefing digest preference

A reader's choice about the morning email digest: briefing_digest_preference, one row per user
(no row: the digest is sent), so a leader can switch it off and on from the briefing page.


Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import domain.columns

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "briefing_digest_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("receive", sa.Boolean(), nullable=False),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_briefing_digest_preference_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_briefing_digest_preference")),
    )


def downgrade() -> None:
    op.drop_table("briefing_digest_preference")
