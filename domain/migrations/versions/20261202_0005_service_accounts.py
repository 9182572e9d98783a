"""service accounts and sign-in throttles

``user_account.is_service_account`` gets a server default (false), so a row written outside the
ORM is a person unless it says otherwise; a service account never has a usable password, so any
password hash an older version let it keep is removed. ``login_throttle`` holds the per-address
and per-account attempt counters the sign-in use cases increment atomically.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:29:37.506027
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column(
            "is_service_account",
            existing_type=sa.Boolean(),
            existing_nullable=False,
            server_default=sa.false(),
        )
    op.execute(
        "UPDATE user_account SET password_hash = NULL "
        "WHERE is_service_account AND password_hash IS NOT NULL"
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("window_start", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_login_throttle")),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column(
            "is_service_account",
            existing_type=sa.Boolean(),
            existing_nullable=False,
            server_default=None,
        )
