"""own load indexes: a non-manager's loads, newest first, one seek per way of owning one

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("freight_load", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_freight_load_sales_user_id"))
        batch_op.drop_index(batch_op.f("ix_freight_load_dispatcher_user_id"))
        batch_op.create_index(
            "ix_freight_load_sales_created", ["sales_user_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_freight_load_dispatcher_created",
            ["dispatcher_user_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_freight_load_creator_created", ["created_by_id", "created_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("freight_load", schema=None) as batch_op:
        batch_op.drop_index("ix_freight_load_creator_created")
        batch_op.drop_index("ix_freight_load_dispatcher_created")
        batch_op.drop_index("ix_freight_load_sales_created")
        batch_op.create_index(
            batch_op.f("ix_freight_load_dispatcher_user_id"), ["dispatcher_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_freight_load_sales_user_id"), ["sales_user_id"], unique=False
        )
