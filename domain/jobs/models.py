"""Job tables: runs, lease locks, per-job state (pause), verifications and alerts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import JSONType, UTCDateTime, enum_type


class RunStatus(StrEnum):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    SKIPPED_LOCKED = "SKIPPED_LOCKED"


TERMINAL = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.TIMED_OUT})
FAILURES = frozenset({RunStatus.FAILED, RunStatus.TIMED_OUT})


class TriggeredBy(StrEnum):
    SCHEDULE = "SCHEDULE"  # the scheduler, and `vcc jobs run-today` (the same slots)
    USER = "USER"  # a person on the admin jobs page or the API
    CLI = "CLI"  # `vcc jobs run`
    VERIFY = "VERIFY"  # the dry-run re-execution of `vcc jobs verify`


class VerificationStatus(StrEnum):
    VERIFIED = "VERIFIED"
    INPUTS_CHANGED = "INPUTS_CHANGED"
    MISMATCH = "MISMATCH"
    ERROR = "ERROR"  # the re-execution itself did not succeed


class AlertKind(StrEnum):
    RUN_FAILED = "RUN_FAILED"
    RUN_TIMED_OUT = "RUN_TIMED_OUT"
    JOB_PAUSED = "JOB_PAUSED"
    VERIFY_MISMATCH = "VERIFY_MISMATCH"
    # An approved or paid payouts run whose inputs changed since (the nightly re-verification).
    APPROVED_INPUTS_CHANGED = "APPROVED_INPUTS_CHANGED"
    # A gamification balance that differs from the sum of its events (housekeeping).
    POINTS_BALANCE_MISMATCH = "POINTS_BALANCE_MISMATCH"


def _user_fk() -> Any:
    return Column(Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)


class JobRun(SQLModel, table=True):
    """One run of a job notebook (dry runs and skipped runs included): one row per run."""

    __tablename__ = "job_run"
    __table_args__ = (
        Index("ix_job_run_started_at_id", "started_at", "id"),
        Index("ix_job_run_job_started_at", "job", "started_at"),
        Index("ix_job_run_key", "job", "venture", "business_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(max_length=40, unique=True)
    job: str = Field(max_length=64)
    # "all" or a venture code; venture_id is set when it names one venture (scope filters use it).
    venture: str = Field(max_length=16, default="all")
    venture_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("venture.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    business_date: date
    parameters: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    status: RunStatus = Field(sa_type=enum_type(RunStatus))
    dry_run: bool = Field(default=False)
    attempt: int = Field(default=1)
    triggered_by: TriggeredBy = Field(sa_type=enum_type(TriggeredBy))
    triggered_by_user_id: int | None = Field(default=None, sa_column=_user_fk())
    lock_key: str = Field(max_length=200)
    timeout_seconds: int
    started_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Progress for the admin page: code cells executed out of the notebook's code cells.
    cells_total: int = Field(default=0)
    cells_done: int = Field(default=0)
    host: str = Field(default="", max_length=120)
    pid: int | None = Field(default=None)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    error_cell: str | None = Field(default=None, max_length=255)
    code_version: str | None = Field(default=None, max_length=80)
    input_fingerprint: str | None = Field(default=None, max_length=64)
    inputs: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)  # table -> count, hash
    output_hash: str | None = Field(default=None, max_length=64)
    result_summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    notebook_path: str | None = Field(default=None, max_length=400)  # relative to reports dir
    html_path: str | None = Field(default=None, max_length=400)
    manifest_path: str | None = Field(default=None, max_length=400)
    # Set on a VERIFY run: the run it re-executes.
    verifies_run_id: str | None = Field(default=None, max_length=40, index=True)
    # The latest verification of this run (history in job_verification).
    verification: VerificationStatus | None = Field(
        default=None, sa_type=enum_type(VerificationStatus)
    )
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class JobLock(SQLModel, table=True):
    """A lease on a (job, venture, date) key: renewed by its holder, expiring when it dies."""

    __tablename__ = "job_lock"

    key: str = Field(sa_column=Column(String(200), primary_key=True))
    holder: str = Field(max_length=40)  # the run_id holding it
    acquired_at: datetime = Field(sa_type=UTCDateTime)
    renewed_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    host: str = Field(default="", max_length=120)
    pid: int | None = Field(default=None)


class JobState(SQLModel, table=True):
    """Per-job switches: paused (by an operator, or by the runner after 3 consecutive failures)."""

    __tablename__ = "job_state"

    job: str = Field(sa_column=Column(String(64), primary_key=True))
    paused: bool = Field(default=False)
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paused_reason: str | None = Field(default=None, max_length=500)
    paused_by_user_id: int | None = Field(default=None, sa_column=_user_fk())
    # Consecutive failures count from the later of the last success and the last resume.
    resumed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resumed_by_user_id: int | None = Field(default=None, sa_column=_user_fk())


class JobVerification(SQLModel, table=True):
    """The outcome of `vcc jobs verify RUN_ID`: the run re-executed as a dry run, compared."""

    __tablename__ = "job_verification"

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(max_length=40, index=True)  # the run verified
    verify_run_id: str | None = Field(default=None, max_length=40)  # the dry-run re-execution
    status: VerificationStatus = Field(sa_type=enum_type(VerificationStatus))
    # INPUTS_CHANGED: table -> {before, after, added, removed, changed}; MISMATCH: both hashes.
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    message: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, sa_column=_user_fk())


class Alert(SQLModel, table=True):
    """Something an operator must look at: shown on the admin jobs page and emailed."""

    __tablename__ = "job_alert"
    __table_args__ = (Index("ix_job_alert_created_at_id", "created_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: AlertKind = Field(sa_type=enum_type(AlertKind))
    job: str = Field(max_length=64, index=True)
    run_id: str | None = Field(default=None, max_length=40)
    venture_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("venture.id", ondelete="SET NULL"), nullable=True),
    )
    business_date: date | None = None
    title: str = Field(max_length=200)
    message: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    emailed_to: list[str] = Field(default_factory=list, sa_type=JSONType)
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    email_error: str | None = Field(default=None, max_length=500)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by_user_id: int | None = Field(default=None, sa_column=_user_fk())
