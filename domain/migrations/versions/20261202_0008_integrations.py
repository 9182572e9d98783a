"""integrations: outreach recipients are QUEUED in the transaction and delivered after commit

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import domain.columns

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("freight_outreach_recipient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"))
        batch_op.alter_column(
            "sent_at", existing_type=domain.columns.UTCDateTime(timezone=True), nullable=True
        )
    # Rows written before: each had its one delivery in the transaction. New rows start at 0.
    with op.batch_alter_table("freight_outreach_recipient", schema=None) as batch_op:
        batch_op.alter_column("attempts", server_default=None)


def downgrade() -> None:
    op.execute(
        "UPDATE freight_outreach_recipient SET status = 'FAILED', "
        "error = 'not delivered before the downgrade', sent_at = CURRENT_TIMESTAMP "
        "WHERE sent_at IS NULL"
    )
    with op.batch_alter_table("freight_outreach_recipient", schema=None) as batch_op:
        batch_op.alter_column(
            "sent_at", existing_type=domain.columns.UTCDateTime(timezone=True), nullable=False
        )
        batch_op.drop_column("attempts")
