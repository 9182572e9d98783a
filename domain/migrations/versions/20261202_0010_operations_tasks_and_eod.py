"""operations tasks and eod

The operations wing (every venture): Task (priority, status, due date, assignee; completed_at,
completed_on and completed_by stamped on the first DONE) and EodReport, one per (user, venture,
business date) by a unique constraint, with its review (status, note, reviewer).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 16:01:41.159480
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.columns

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "operations_eod_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("accomplishments", sa.Text(), nullable=True),
        sa.Column("blockers", sa.Text(), nullable=True),
        sa.Column("tomorrow_plan", sa.Text(), nullable=True),
        sa.Column("hours", domain.columns.MoneyType(precision=5, scale=2), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "SUBMITTED",
                "REVIEWED",
                "NEEDS_ATTENTION",
                name="eodstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("review_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "hours IS NULL OR (hours >= 0 AND hours <= 24)",
            name=op.f("ck_operations_eod_report_eod_hours"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["user_account.id"],
            name=op.f("fk_operations_eod_report_reviewed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_operations_eod_report_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_operations_eod_report_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_eod_report")),
        sa.UniqueConstraint(
            "user_id",
            "venture_id",
            "business_date",
            name=op.f("uq_operations_eod_report_user_id_venture_id_business_date"),
        ),
    )
    with op.batch_alter_table("operations_eod_report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_operations_eod_venture_date", ["venture_id", "business_date", "id"], unique=False
        )

    op.create_table(
        "operations_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venture_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "type",
            sa.Enum(
                "GENERAL",
                "FOLLOW_UP",
                "CALL",
                "REVIEW",
                "ADMIN",
                "OTHER",
                name="tasktype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum(
                "LOW",
                "MEDIUM",
                "HIGH",
                "CRITICAL",
                name="taskpriority",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN",
                "IN_PROGRESS",
                "BLOCKED",
                "DONE",
                "CANCELED",
                name="taskstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("completed_at", domain.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", domain.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["user_account.id"],
            name=op.f("fk_operations_task_assignee_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["user_account.id"],
            name=op.f("fk_operations_task_completed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_operations_task_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_operations_task_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["venture_id"], ["venture.id"], name=op.f("fk_operations_task_venture_id_venture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations_task")),
    )
    with op.batch_alter_table("operations_task", schema=None) as batch_op:
        batch_op.create_index(
            "ix_operations_task_assignee_created", ["assignee_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_operations_task_assignee_due", ["assignee_id", "status", "due_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_operations_task_office_id"), ["office_id"], unique=False
        )
        batch_op.create_index(
            "ix_operations_task_venture_completed",
            ["venture_id", "completed_on", "status", "assignee_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_operations_task_venture_created", ["venture_id", "created_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("operations_task", schema=None) as batch_op:
        batch_op.drop_index("ix_operations_task_venture_created")
        batch_op.drop_index("ix_operations_task_venture_completed")
        batch_op.drop_index(batch_op.f("ix_operations_task_office_id"))
        batch_op.drop_index("ix_operations_task_assignee_due")
        batch_op.drop_index("ix_operations_task_assignee_created")

    op.drop_table("operations_task")
    with op.batch_alter_table("operations_eod_report", schema=None) as batch_op:
        batch_op.drop_index("ix_operations_eod_venture_date")

    op.drop_table("operations_eod_report")
