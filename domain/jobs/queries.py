"""Read side of jobs: run listings and details, job state, consecutive failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from domain.errors import NotFound
from domain.jobs.models import (
    FAILURES,
    TERMINAL,
    JobRun,
    JobState,
    JobVerification,
    RunStatus,
    TriggeredBy,
    VerificationStatus,
)
from domain.pagination import Page, SortKey, paginate
from domain.schemas import View

if TYPE_CHECKING:
    from domain.access.actor import Actor
    from domain.db import UnitOfWork


class RunView(View):
    run_id: str
    job: str
    venture: str
    venture_id: int | None
    business_date: date
    status: RunStatus
    dry_run: bool
    attempt: int
    triggered_by: TriggeredBy
    triggered_by_user_id: int | None
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: float | None
    timeout_seconds: int
    cells_total: int
    cells_done: int
    error: str | None
    error_cell: str | None
    input_fingerprint: str | None
    inputs: dict[str, Any]
    output_hash: str | None
    result_summary: dict[str, Any]
    code_version: str | None
    # Paths relative to the reports folder (``run_file`` resolves them).
    notebook_path: str | None
    html_path: str | None
    manifest_path: str | None
    verifies_run_id: str | None
    verification: VerificationStatus | None
    verified_at: datetime | None
    parameters: dict[str, Any]

    @property
    def finished(self) -> bool:
        return self.status != RunStatus.RUNNING


def run_view(row: JobRun) -> RunView:
    duration = (row.ended_at - row.started_at).total_seconds() if row.ended_at else None
    return RunView(
        run_id=row.run_id,
        job=row.job,
        venture=row.venture,
        venture_id=row.venture_id,
        business_date=row.business_date,
        status=row.status,
        dry_run=row.dry_run,
        attempt=row.attempt,
        triggered_by=row.triggered_by,
        triggered_by_user_id=row.triggered_by_user_id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        duration_seconds=duration,
        timeout_seconds=row.timeout_seconds,
        cells_total=row.cells_total,
        cells_done=row.cells_done,
        error=row.error,
        error_cell=row.error_cell,
        input_fingerprint=row.input_fingerprint,
        inputs=dict(row.inputs or {}),
        output_hash=row.output_hash,
        result_summary=dict(row.result_summary or {}),
        code_version=row.code_version,
        notebook_path=row.notebook_path,
        html_path=row.html_path,
        manifest_path=row.manifest_path,
        verifies_run_id=row.verifies_run_id,
        verification=row.verification,
        verified_at=row.verified_at,
        parameters=dict(row.parameters or {}),
    )


class VerificationView(View):
    id: int
    run_id: str
    verify_run_id: str | None
    status: VerificationStatus
    detail: dict[str, Any]
    message: str
    created_at: datetime
    user_id: int | None


def verification_view(row: JobVerification) -> VerificationView:
    assert row.id is not None
    return VerificationView(
        id=row.id,
        run_id=row.run_id,
        verify_run_id=row.verify_run_id,
        status=row.status,
        detail=dict(row.detail or {}),
        message=row.message,
        created_at=row.created_at,
        user_id=row.user_id,
    )


class RunDetailView(View):
    run: RunView
    verifications: list[VerificationView]


# -- access -------------------------------------------------------------------------------------


def _finance_jobs() -> list[str]:
    from domain.jobs.registry import all_jobs

    return [j.name for j in all_jobs() if j.finance_visible]


def _scoped(stmt: Any, actor: Actor) -> Any:
    """The job admins (admin.jobs.read: CEO, ADMIN) see every run; the readers of finance runs
    (jobs.finance.read: the COO, FINANCE, ACCOUNTING) the finance jobs' runs of the ventures in
    their scope. A run over all ventures names no venture: among those readers, only one whose
    scope is every venture (the COO) sees it. Every read of a run and of its files goes through
    here."""
    if actor.can("admin.jobs.read"):
        return stmt
    actor.require("jobs.finance.read")
    stmt = stmt.where(col(JobRun.job).in_(_finance_jobs()))
    if actor.scope.all_ventures:
        return stmt
    return stmt.where(
        col(JobRun.venture_id).is_not(None), actor.scope.venture_clause(JobRun.venture_id)
    )


# -- queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunFilter:
    job: str | None = None
    status: RunStatus | None = None
    venture_id: int | None = None
    date_from: date | None = None  # business date, inclusive
    date_to: date | None = None
    include_dry_runs: bool = True
    include_skipped: bool = True


def list_runs(
    uow: UnitOfWork,
    actor: Actor,
    filters: RunFilter | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[RunView]:
    """Runs newest first (keyset-paginated)."""
    f = filters or RunFilter()
    stmt = _scoped(select(JobRun), actor)
    if f.job:
        stmt = stmt.where(JobRun.job == f.job)
    if f.status:
        stmt = stmt.where(JobRun.status == f.status)
    if f.venture_id is not None:
        stmt = stmt.where(JobRun.venture_id == f.venture_id)
    if f.date_from:
        stmt = stmt.where(col(JobRun.business_date) >= f.date_from)
    if f.date_to:
        stmt = stmt.where(col(JobRun.business_date) <= f.date_to)
    if not f.include_dry_runs:
        stmt = stmt.where(col(JobRun.dry_run).is_(False))
    if not f.include_skipped:
        stmt = stmt.where(JobRun.status != RunStatus.SKIPPED_LOCKED)
    keys = [SortKey(JobRun.started_at), SortKey(JobRun.id)]
    page = paginate(
        uow.session, stmt, keys, lambda r: (r.started_at, r.id), cursor=cursor, limit=limit
    )
    return page.map(run_view)


def get_run(uow: UnitOfWork, actor: Actor, run_id: str) -> RunDetailView:
    row = uow.session.execute(
        _scoped(select(JobRun), actor).where(JobRun.run_id == run_id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("run", run_id)
    checks = (
        uow.session.execute(
            select(JobVerification)
            .where(JobVerification.run_id == run_id)
            .order_by(col(JobVerification.created_at).desc(), col(JobVerification.id).desc())
        )
        .scalars()
        .all()
    )
    return RunDetailView(run=run_view(row), verifications=[verification_view(v) for v in checks])


RUN_FILE_KINDS = ("html", "notebook", "manifest", "parquet")


def run_file(uow: UnitOfWork, actor: Actor, run_id: str, kind: str = "html") -> Path:
    """The absolute path of a run's ``html`` / ``notebook`` / ``manifest`` / ``parquet`` (the
    result rows, ``domain.jobs.archive``) file, for the web app to serve. NotFound when the run
    is out of scope (``_scoped``: the role and the run's venture) or the file is missing."""
    from domain.settings import get_settings

    run = get_run(uow, actor, run_id).run
    rel = {"html": run.html_path, "notebook": run.notebook_path, "manifest": run.manifest_path}.get(
        kind
    )
    if kind == "parquet":
        rel = archive_path(run)
    if not rel:
        raise NotFound(f"{kind} of run", run_id)
    root = get_settings().reports_dir.resolve()
    path = (root / rel).resolve()
    if root not in path.parents or not path.is_file():
        raise NotFound(f"{kind} of run", run_id)
    return path


def archive_path(run: RunView) -> str | None:
    """The run's result archive (relative to the reports folder), as its manifest records it."""
    from domain.jobs.archive import archive_of
    from domain.jobs.manifest import read_manifest
    from domain.settings import get_settings

    if not run.manifest_path:
        return None
    found = archive_of(read_manifest(get_settings().reports_dir / run.manifest_path))
    return found.path if found else None


def find_run(session: Session, run_id: str) -> JobRun | None:
    return session.execute(select(JobRun).where(JobRun.run_id == run_id)).scalar_one_or_none()


def job_state(session: Session, job: str) -> JobState | None:
    return session.get(JobState, job)


def consecutive_failures(session: Session, job: str) -> int:
    """FAILED/TIMED_OUT runs in a row (newest first), dry and skipped runs ignored, counted since
    the later of the last success and the last resume."""
    state = session.get(JobState, job)
    stmt = (
        select(JobRun.status)
        .where(
            JobRun.job == job,
            col(JobRun.dry_run).is_(False),
            col(JobRun.status).in_(list(TERMINAL)),
        )
        .order_by(col(JobRun.started_at).desc(), col(JobRun.id).desc())
        .limit(100)
    )
    if state is not None and state.resumed_at is not None:
        stmt = stmt.where(col(JobRun.started_at) > state.resumed_at)
    count = 0
    for status in uow_scalars(session, stmt):
        if status not in FAILURES:
            break
        count += 1
    return count


def uow_scalars(session: Session, stmt: Any) -> list[Any]:
    return list(session.execute(stmt).scalars().all())
