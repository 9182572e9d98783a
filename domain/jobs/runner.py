"""The runner: the one entry point the CLI, the admin page, verify and the scheduler use.

A run, in order (docs/RUNBOOK.md has the operator's view):
1. validate the request and authorize the actor (``admin.jobs.run`` in the venture's scope);
2. take the lease lock of (job, venture, date); when someone else holds it, record a
   SKIPPED_LOCKED run and stop;
3. record the JobRun (RUNNING) and audit the trigger;
4. fingerprint the rows the job reads (per table: count, hash, per-row hashes);
5. execute the notebook with papermill into ``reports/{job}/{date}/{run_id}.ipynb`` with the
   run's timeout (the kernel is killed at the deadline: TIMED_OUT);
6. check the results contract: the result file and the cell tagged ``results`` agree, and for a
   live run the database rows carrying the run id hash to the notebook's output hash; for a job
   that archives its rows (``JobSpec.archive``), ``{run_id}.rows.parquet`` holds exactly them;
7. render ``{run_id}.html`` and write ``{run_id}.manifest.json`` (with the archive's hash);
8. record SUCCEEDED / FAILED / TIMED_OUT, alert (critical jobs), pause the job after consecutive
   failures, release the lock.

Blocking: call it from a worker thread (the scheduler's pool, ``asyncio.to_thread`` in the web
app), not on a running event loop.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, update
from sqlmodel import col, select

from domain import clock
from domain.access.audit import audit
from domain.db import get_engine, read_only, unit_of_work
from domain.errors import Invalid
from domain.jobs import locks
from domain.jobs.alerts import raise_alert
from domain.jobs.archive import ARCHIVE_SUFFIX, ArchiveInfo, check_archive
from domain.jobs.config import job_settings
from domain.jobs.execution import code_cell_count, execute, render_html, tagged_result
from domain.jobs.hashing import TableInputs, canonical_notebook_hash, fingerprint, rows_hash
from domain.jobs.manifest import code_version, read_manifest, write_manifest
from domain.jobs.models import (
    FAILURES,
    AlertKind,
    JobRun,
    JobState,
    RunStatus,
    TriggeredBy,
)
from domain.jobs.notebook import RESULT_SCHEMA
from domain.jobs.queries import RunView, consecutive_failures, find_run, run_view
from domain.jobs.registry import JobParams, JobSpec, get_job
from domain.jobs.services import locked_state
from domain.observability.errors import record_error
from domain.observability.logs import run_context
from domain.settings import get_settings

if TYPE_CHECKING:
    from domain.access.actor import Actor
    from domain.db import UnitOfWork

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]  # (run_id, cells done, cells total)
RESERVED_PARAMETERS = frozenset(
    {"job", "run_id", "business_date", "venture", "dry_run", "result_path", "archive_path"}
)


def new_run_id() -> str:
    """Sortable and unique: ``20261127T070000-3fa9c1d2``."""
    return f"{clock.now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"


def lock_key(job: str, venture: str, business_date: date, dry_run: bool = False) -> str:
    # Dry runs write nothing: they only keep two dry runs of the same key from duplicating work,
    # never block (or get blocked by) the live run.
    return f"{job}:{venture}:{business_date.isoformat()}" + (":dry" if dry_run else "")


def lock_keys(
    job: str,
    venture: str,
    covered: Iterable[str],
    business_date: date,
    dry_run: bool = False,
) -> list[str]:
    """Every key a run holds (its own first). A run over all ventures also holds the key of each
    venture it covers: a run of one of those ventures for the same job and date writes the same
    rows, so the two exclude each other whichever starts first (``locks.acquire_all`` takes a
    set whole or not at all). Runs of two different ventures still run side by side."""
    own = lock_key(job, venture, business_date, dry_run)
    if venture != "all":
        return [own]
    return [own, *(lock_key(job, c, business_date, dry_run) for c in sorted(set(covered)))]


def reports_root() -> Path:
    return get_settings().reports_dir


def run_paths(job: str, business_date: date, run_id: str) -> dict[str, Path]:
    folder = reports_root() / job / business_date.isoformat()
    return {
        "folder": folder,
        "notebook": folder / f"{run_id}.ipynb",
        "html": folder / f"{run_id}.html",
        "manifest": folder / f"{run_id}.manifest.json",
        "result": folder / f"{run_id}.result.json",
        "archive": folder / f"{run_id}{ARCHIVE_SUFFIX}",
        "kernel_log": folder / f"{run_id}.kernel.log",
    }


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(reports_root()))
    except ValueError:
        return str(path)


# -- request validation ---------------------------------------------------------------------------


def resolve_params(
    uow: UnitOfWork,
    actor: Actor,
    spec: JobSpec,
    *,
    business_date: date | None,
    venture: str | None,
    dry_run: bool,
    params: dict[str, Any] | None = None,
) -> JobParams:
    """Validate a run request (Invalid names the field) and authorize it."""
    from domain.org.models import Venture

    code = (venture or "all").strip()
    code = "all" if code.lower() == "all" else code.upper()
    if not spec.takes_venture and code != "all":
        raise Invalid.field("venture", f"{spec.name} always covers every venture: leave it out")
    if code == "all":
        actor.require("admin.jobs.run")  # every venture at once: the job admins only
        stmt = select(Venture.id).where(col(Venture.is_active).is_(True))
        if spec.venture_types is not None:
            stmt = stmt.where(col(Venture.type).in_(sorted(spec.venture_types)))
        ids = tuple(uow.session.execute(stmt.order_by(col(Venture.id))).scalars().all())
    else:
        row = uow.session.execute(select(Venture).where(Venture.code == code)).scalar_one_or_none()
        if row is None or not actor.scope.allows_venture(row.id):
            raise Invalid.field("venture", f"no venture with code {code!r}")
        if spec.venture_types is not None and row.type.value not in spec.venture_types:
            allowed = ", ".join(sorted(spec.venture_types))
            raise Invalid.field("venture", f"{spec.name} runs for {allowed} ventures only")
        assert row.id is not None
        actor.require(spec.run_permission, row.id)
        ids = (row.id,)
    if business_date is None:
        from datetime import timedelta

        business_date = clock.today(get_settings().group_timezone) + timedelta(
            days=spec.date_offset_days
        )
    extra = dict(
        spec.extra_parameters(JobParams(spec.name, business_date, code, ids, dry_run))
        if spec.extra_parameters
        else {}
    )
    for name, value in (params or {}).items():
        if name in RESERVED_PARAMETERS:
            raise Invalid.field(name, "is set by the runner; use the matching option")
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise Invalid.field(name, "must be a string, number or true/false")
        extra[name] = value
    return JobParams(spec.name, business_date, code, ids, dry_run, extra)


def system_actor_for(engine: Engine | None = None) -> Actor:
    """The system account's Actor (CLI, scheduler). Its user row is created on first use; two
    runs starting at once on a fresh database race to create it, and the loser reads it."""
    from sqlalchemy.exc import IntegrityError

    from domain.access.scope import system_actor

    for attempt in (1, 2):
        try:
            with unit_of_work(engine or get_engine()) as uow:
                return system_actor(uow.session)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# -- the run --------------------------------------------------------------------------------------


def run_job(
    job: str,
    *,
    business_date: date | None = None,
    venture: str | None = "all",
    dry_run: bool = False,
    params: dict[str, Any] | None = None,
    triggered_by: TriggeredBy = TriggeredBy.CLI,
    actor: Actor | None = None,
    run_id: str | None = None,
    verifies_run_id: str | None = None,
    engine: Engine | None = None,
    cancel: threading.Event | None = None,
    progress: ProgressFn | None = None,
) -> RunView:
    """Run ``job`` once and return its JobRun (SUCCEEDED, FAILED, TIMED_OUT or SKIPPED_LOCKED).

    ``actor`` defaults to the system account (CLI, scheduler). Pass ``run_id`` (``new_run_id()``)
    to know the id before the run starts (the web app polls ``get_run`` for progress); ``cancel``
    stops the run (the kernel is killed, the run is FAILED).
    """
    view = _run(
        job,
        business_date=business_date,
        venture=venture,
        dry_run=dry_run,
        params=params,
        triggered_by=triggered_by,
        actor=actor,
        run_id=run_id,
        verifies_run_id=verifies_run_id,
        engine=engine,
        cancel=cancel,
        progress=progress,
        skip_if_done=False,
    )
    assert view is not None
    return view


def check_run_request(
    uow: UnitOfWork,
    actor: Actor,
    job: str,
    *,
    business_date: date | None = None,
    venture: str | None = "all",
    dry_run: bool = False,
    params: dict[str, Any] | None = None,
) -> JobParams:
    """Validate and authorize a run request without running it (forms show ``Invalid`` field
    errors before starting a background run). Raises NotFound / Invalid / Forbidden."""
    return resolve_params(
        uow,
        actor,
        get_job(job),
        business_date=business_date,
        venture=venture,
        dry_run=dry_run,
        params=params,
    )


def start_run(
    job: str,
    *,
    actor: Actor,
    business_date: date | None = None,
    venture: str | None = "all",
    dry_run: bool = False,
    params: dict[str, Any] | None = None,
    triggered_by: TriggeredBy = TriggeredBy.USER,
    engine: Engine | None = None,
) -> str:
    """ "Run now" from the web app: validate here (errors raise at once), then run in a daemon
    thread and return the run id right away. Poll ``queries.get_run(uow, actor, run_id)``: it is
    NotFound for the moment before the run takes its lock, then RUNNING with ``cells_done`` /
    ``cells_total``, then final (SKIPPED_LOCKED when another run of the key was in progress)."""
    engine = engine or get_engine()
    with read_only(engine) as uow:
        check_run_request(
            uow,
            actor,
            job,
            business_date=business_date,
            venture=venture,
            dry_run=dry_run,
            params=params,
        )
    run_id = new_run_id()

    def work() -> None:
        try:
            run_job(
                job,
                business_date=business_date,
                venture=venture,
                dry_run=dry_run,
                params=params,
                triggered_by=triggered_by,
                actor=actor,
                run_id=run_id,
                engine=engine,
            )
        except Exception:  # recorded on the run when it got that far; logged either way
            log.exception("background run %s of %s failed", run_id, job)

    threading.Thread(target=work, name=f"run:{run_id}", daemon=True).start()
    return run_id


def run_slot(
    job: str,
    business_date: date,
    *,
    venture: str = "all",
    engine: Engine | None = None,
    cancel: threading.Event | None = None,
) -> RunView | None:
    """Run a scheduled slot unless a scheduled run of it already finished or is running
    (checked under the lock, so several schedulers never run a slot twice). None: already done."""
    return _run(
        job,
        business_date=business_date,
        venture=venture,
        dry_run=False,
        params=None,
        triggered_by=TriggeredBy.SCHEDULE,
        actor=None,
        run_id=None,
        verifies_run_id=None,
        engine=engine,
        cancel=cancel,
        progress=None,
        skip_if_done=True,
    )


def slot_done(uow: UnitOfWork, job: str, venture: str, business_date: date) -> bool:
    found = uow.session.execute(
        select(JobRun.id)
        .where(
            JobRun.job == job,
            JobRun.venture == venture,
            JobRun.business_date == business_date,
            col(JobRun.dry_run).is_(False),
            JobRun.triggered_by == TriggeredBy.SCHEDULE,
            JobRun.status != RunStatus.SKIPPED_LOCKED,
        )
        .limit(1)
    ).first()
    return found is not None


def _run(
    job: str,
    *,
    business_date: date | None,
    venture: str | None,
    dry_run: bool,
    params: dict[str, Any] | None,
    triggered_by: TriggeredBy,
    actor: Actor | None,
    run_id: str | None,
    verifies_run_id: str | None,
    engine: Engine | None,
    cancel: threading.Event | None,
    progress: ProgressFn | None,
    skip_if_done: bool,
) -> RunView | None:
    engine = engine or get_engine()
    spec = get_job(job)
    settings = job_settings()
    who = actor or system_actor_for(engine)
    with read_only(engine) as uow:
        p = resolve_params(
            uow,
            who,
            spec,
            business_date=business_date,
            venture=venture,
            dry_run=dry_run,
            params=params,
        )
        covered = _covered_codes(uow, spec, p)
    run_id = run_id or new_run_id()
    keys = lock_keys(spec.name, p.venture, covered, p.business_date, p.dry_run)
    key = keys[0]
    previous = [h for h in (locks.holder_of(k, engine=engine) for k in keys) if h is not None]
    stop = threading.Event()
    lease = locks.Lease(keys, run_id, settings.lease_seconds, engine=engine, on_lost=stop.set)
    if not lease.acquire():
        holder = locks.first_holder(keys, other_than=run_id, engine=engine)
        return _record_skipped(
            engine, spec, p, who, run_id, key, triggered_by, holder, verifies_run_id
        )
    try:
        # The keys were free or their leases had expired: an expired holder's process is gone.
        for gone in {h.holder: h for h in previous if h.holder != run_id}.values():
            _reap(
                engine,
                gone.holder,
                f"abandoned: its lock expired at "
                f"{gone.expires_at.isoformat(timespec='seconds')} (process gone)",
            )
        if spec.precheck is not None and not p.dry_run:
            spec.precheck(engine, p)
        if skip_if_done:
            with read_only(engine) as uow:
                state = uow.session.get(JobState, spec.name)
                if (state is not None and state.paused) or slot_done(
                    uow, spec.name, p.venture, p.business_date
                ):
                    return None
        with run_context(run_id):  # every log line of the run carries its id
            return _execute_locked(
                engine,
                spec,
                p,
                who,
                run_id,
                key,
                triggered_by,
                verifies_run_id,
                cancel=cancel,
                stop=stop,
                progress=progress,
            )
    finally:
        lease.release()


def _covered_codes(uow: UnitOfWork, spec: JobSpec, p: JobParams) -> list[str]:
    """Codes of the ventures a run over all ventures covers (their keys are locked too)."""
    from domain.org.models import Venture

    if p.venture != "all" or not spec.takes_venture or not p.venture_ids:
        return []
    return list(
        uow.session.execute(
            select(Venture.code).where(col(Venture.id).in_(p.venture_ids))
        ).scalars()
    )


def _record_skipped(
    engine: Engine,
    spec: JobSpec,
    p: JobParams,
    who: Actor,
    run_id: str,
    key: str,
    triggered_by: TriggeredBy,
    holder: locks.LockHolder | None,
    verifies_run_id: str | None,
) -> RunView:
    by = (
        f"{holder.key} is locked by run {holder.holder} (on {holder.host}, pid {holder.pid}, "
        f"lease until {holder.expires_at.isoformat(timespec='seconds')})"
        if holder
        else f"{key} is locked by another run"
    )
    with unit_of_work(engine) as uow:
        row = _new_row(spec, p, who, run_id, key, triggered_by, verifies_run_id)
        row.status = RunStatus.SKIPPED_LOCKED
        row.ended_at = row.started_at  # it never ran: no duration, never an end before its start
        row.error = by
        uow.session.add(row)
        _audit_trigger(uow, who, row)
        uow.flush()
        return run_view(row)


def _new_row(
    spec: JobSpec,
    p: JobParams,
    who: Actor,
    run_id: str,
    key: str,
    triggered_by: TriggeredBy,
    verifies_run_id: str | None,
) -> JobRun:
    return JobRun(
        run_id=run_id,
        job=spec.name,
        venture=p.venture,
        venture_id=p.venture_id,
        business_date=p.business_date,
        parameters={
            "business_date": p.business_date.isoformat(),
            "venture": p.venture,
            "dry_run": p.dry_run,
            **p.extra,
        },
        status=RunStatus.RUNNING,
        dry_run=p.dry_run,
        triggered_by=triggered_by,
        triggered_by_user_id=who.real_user_id,
        lock_key=key,
        timeout_seconds=spec.timeout_seconds,
        started_at=clock.now(),
        host=locks.HOST,
        pid=os.getpid(),
        verifies_run_id=verifies_run_id,
    )


def _audit_trigger(uow: UnitOfWork, who: Actor, row: JobRun) -> None:
    audit(
        uow,
        who,
        "job.run",
        entity_type="job_run",
        entity_id=row.run_id,
        venture_id=row.venture_id,
        detail={
            "job": row.job,
            "business_date": row.business_date,
            "venture": row.venture,
            "dry_run": row.dry_run,
            "triggered_by": row.triggered_by.value,
            "status": row.status.value,
            "verifies_run_id": row.verifies_run_id,
        },
    )


def _execute_locked(
    engine: Engine,
    spec: JobSpec,
    p: JobParams,
    who: Actor,
    run_id: str,
    key: str,
    triggered_by: TriggeredBy,
    verifies_run_id: str | None,
    *,
    cancel: threading.Event | None,
    stop: threading.Event,
    progress: ProgressFn | None,
) -> RunView:
    paths = run_paths(spec.name, p.business_date, run_id)
    total = code_cell_count(spec.notebook) + 1  # + the parameters papermill injects
    with unit_of_work(engine) as uow:
        attempt = 1 + len(
            uow.session.execute(
                select(JobRun.id).where(
                    JobRun.job == spec.name,
                    JobRun.venture == p.venture,
                    JobRun.business_date == p.business_date,
                    JobRun.dry_run == p.dry_run,
                    JobRun.status != RunStatus.SKIPPED_LOCKED,
                )
            ).all()
        )
        row = _new_row(spec, p, who, run_id, key, triggered_by, verifies_run_id)
        row.attempt = attempt
        row.cells_total = total
        row.code_version = code_version()
        uow.session.add(row)
        _audit_trigger(uow, who, row)
        started = row.started_at
    if progress is not None:
        progress(run_id, 0, total)

    outcome: dict[str, Any] = {"status": RunStatus.FAILED, "error": None, "error_cell": None}
    inputs: list[TableInputs] = []
    timings: dict[str, float] = {}
    document: dict[str, Any] | None = None
    archived: ArchiveInfo | None = None
    nb: Any = None
    try:
        paths["folder"].mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        inputs = spec.inputs(engine, p) if spec.inputs else []
        timings["inputs"] = time.perf_counter() - t0
        ran = execute(
            spec.notebook,
            paths["notebook"],
            _notebook_parameters(spec, p, run_id, paths),
            kernel_name=job_settings().kernel_name,
            timeout_seconds=spec.timeout_seconds,
            env=_kernel_env(engine, run_id),
            cwd=spec.notebook.parent,
            # The caller's cancel or a lost lease: either stops the kernel.
            cancel=(stop,) if cancel is None else (stop, cancel),
            on_cell=lambda done: _progress(engine, run_id, done, total, progress),
            kernel_log=paths["kernel_log"],
        )
        nb = ran.notebook
        timings["notebook"] = ran.seconds
        outcome["error"], outcome["error_cell"] = ran.error, ran.error_cell
        if ran.timed_out:
            outcome["status"] = RunStatus.TIMED_OUT
        elif ran.ok:
            t0 = time.perf_counter()
            document, problem = _check_results(engine, spec, p, run_id, paths["result"], nb)
            if not problem and spec.archive and document is not None:
                archived, problem = check_archive(
                    paths["archive"], document.get("output", {}), _rel(paths["archive"])
                )
            timings["check"] = time.perf_counter() - t0
            if problem:
                outcome["error"] = f"results check failed: {problem}"
            else:
                outcome["status"] = RunStatus.SUCCEEDED
        if ran.cancelled and stop.is_set():
            outcome["error"] = "the run lost its lock (lease expired): the kernel was killed"
    except Exception as exc:  # a runner bug or an unreachable database: record, never hide
        log.exception("job %s run %s failed in the runner", spec.name, run_id)
        outcome["error"] = f"runner error: {type(exc).__name__}: {exc}"[:4000]
        outcome["error_cell"] = None
        record_error(exc, kind="job", where=f"job {spec.name} (runner)", user_id=who.real_user_id)
    else:
        if outcome["status"] is RunStatus.FAILED and outcome["error"]:
            _record_notebook_error(spec.name, outcome["error"], outcome["error_cell"], who)

    html_rel = None
    if nb is not None:
        try:
            t0 = time.perf_counter()
            render_html(nb, paths["html"])
            timings["html"] = time.perf_counter() - t0
            html_rel = _rel(paths["html"])
        except Exception:  # the run's status stands; the notebook is still there
            log.exception("rendering %s failed", paths["html"])
    ended = clock.now()
    fp = fingerprint(inputs) if spec.inputs else None
    summary = dict((document or {}).get("summary", {}))
    output_hash = (document or {}).get("output", {}).get("sha256")
    manifest = {
        "run_id": run_id,
        "job": spec.name,
        "status": outcome["status"].value,
        "dry_run": p.dry_run,
        "triggered_by": triggered_by.value,
        "verifies_run_id": verifies_run_id,
        "parameters": {
            "business_date": p.business_date.isoformat(),
            "venture": p.venture,
            "dry_run": p.dry_run,
            **p.extra,
        },
        "code_version": {
            "git": code_version(),
            "notebook": _rel_project(spec.notebook),
            "notebook_sha256": _sha(spec.notebook),
        },
        "inputs": {
            "fingerprint": fp,
            "tables": {t.table: {**t.summary(), "rows": t.rows} for t in inputs},
        },
        "result": {"summary": summary, "output": (document or {}).get("output")},
        "output_hash": output_hash,
        # The result rows as Parquet (jobs that archive them): file hash and row count.
        "archive": archived.as_dict() if archived is not None else None,
        "notebook": {
            "path": _rel(paths["notebook"]) if nb is not None else None,
            "canonical_sha256": canonical_notebook_hash(nb) if nb is not None else None,
        },
        "html": html_rel,
        "started_at": started,
        "ended_at": ended,
        # Seconds per phase (not part of any hash): the notebook includes the kernel's start.
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "error": outcome["error"],
        "error_cell": outcome["error_cell"],
    }
    manifest_rel = None
    try:
        write_manifest(paths["manifest"], manifest)
        manifest_rel = _rel(paths["manifest"])
    except Exception:
        log.exception("writing %s failed", paths["manifest"])

    with unit_of_work(engine) as uow:
        found = find_run(uow.session, run_id)
        assert found is not None
        row = found
        row.status = outcome["status"]
        row.ended_at = ended
        row.error = outcome["error"]
        row.error_cell = outcome["error_cell"]
        row.input_fingerprint = fp
        row.inputs = {t.table: t.summary() for t in inputs}
        row.output_hash = output_hash
        row.result_summary = summary
        row.notebook_path = _rel(paths["notebook"]) if nb is not None else None
        row.html_path = html_rel
        row.manifest_path = manifest_rel
        if row.status == RunStatus.SUCCEEDED:
            row.cells_done = row.cells_total
        if not row.dry_run and row.status in FAILURES:
            after_failure(uow, spec, row)
        view = run_view(row)
    log.info("job %s run %s: %s", spec.name, run_id, view.status.value)
    return view


def _rel_project(path: Path) -> str:
    from domain.settings import PROJECT_ROOT

    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _sha(path: Path) -> str | None:
    from domain.jobs.hashing import file_sha256

    try:
        return file_sha256(path)
    except OSError:
        return None


def _notebook_parameters(
    spec: JobSpec, p: JobParams, run_id: str, paths: dict[str, Path]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "run_id": run_id,
        "business_date": p.business_date.isoformat(),
        "dry_run": p.dry_run,
        "result_path": str(paths["result"]),
        **p.extra,
    }
    if spec.takes_venture:
        values["venture"] = p.venture
    if spec.archive:
        values["archive_path"] = str(paths["archive"])
    return values


def _kernel_env(engine: Engine, run_id: str) -> dict[str, str]:
    """The kernel's environment: the runner's, pointed at the runner's database. The URL goes
    through the environment so no password ever lands in the executed notebook."""
    env = dict(os.environ)
    env.pop("VCC_DATABASE_URL", None)
    env["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    env["VCC_REPORTS_DIR"] = str(reports_root())
    env["VCC_JOB_RUN_ID"] = run_id
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def _progress(
    engine: Engine, run_id: str, done: int, total: int, progress: ProgressFn | None
) -> None:
    with locks.write_engine(engine).begin() as conn:
        conn.execute(
            update(JobRun).where(col(JobRun.run_id) == run_id).values(cells_done=min(done, total))
        )
    if progress is not None:
        progress(run_id, done, total)


def _check_results(
    engine: Engine, spec: JobSpec, p: JobParams, run_id: str, result_file: Path, nb: Any
) -> tuple[dict[str, Any] | None, str | None]:
    """The results contract: (document, problem). The file and the ``results`` cell must agree,
    name this run, and (live runs) match the database rows carrying the run id."""
    doc = read_manifest(result_file)  # any JSON object
    if doc is None:
        return None, "the notebook wrote no result file (did its last cell run?)"
    cell = tagged_result(nb)
    if cell is None:
        return doc, "no cell tagged 'results' with a JSON output"
    if cell != doc:
        return doc, "the result file and the 'results' cell disagree"
    if doc.get("schema") != RESULT_SCHEMA:
        return doc, f"unknown result schema {doc.get('schema')!r}"
    if doc.get("run_id") != run_id:
        return doc, f"the result names run {doc.get('run_id')!r}, not {run_id}"
    if bool(doc.get("dry_run")) != p.dry_run:
        return doc, "the result's dry_run flag is not the run's"
    if not p.dry_run and spec.stored_output is not None:
        count, digest = rows_hash(spec.stored_output(engine, run_id))
        claimed = doc.get("output", {})
        if (count, digest) != (claimed.get("rows"), claimed.get("sha256")):
            return doc, (
                f"the database holds {count} rows for this run (hash {digest[:12]}), the notebook "
                f"reported {claimed.get('rows')} (hash {str(claimed.get('sha256'))[:12]})"
            )
    return doc, None


# -- failures, pause, reaping ---------------------------------------------------------------------


class NotebookFailed(Exception):
    """A job notebook's cell raised (the exception itself lived in the kernel)."""


def _record_notebook_error(job: str, error: str, cell: str | None, who: Actor) -> None:
    """One ErrorEvent row per job and exception type of the kernel ("ZeroDivisionError")."""
    ename = error.split(":", 1)[0].strip()[:80] or "error"
    message = error + (f"\nFailing {cell}" if cell else "")
    record_error(
        NotebookFailed(message), kind="job", where=f"job {job}: {ename}", user_id=who.real_user_id
    )


def after_failure(uow: UnitOfWork, spec: JobSpec, row: JobRun) -> None:
    """Alert for a critical job; pause the job after N consecutive failures (and alert)."""
    when = f"{row.business_date.isoformat()}, venture {row.venture}"
    if spec.critical:
        kind = (
            AlertKind.RUN_TIMED_OUT if row.status == RunStatus.TIMED_OUT else AlertKind.RUN_FAILED
        )
        verb = "timed out" if row.status == RunStatus.TIMED_OUT else "failed"
        raise_alert(
            uow,
            kind,
            job=spec.name,
            title=f"{spec.name} {verb} ({when})",
            message=(
                f"Run {row.run_id} of {spec.name} for {when} {verb}: {row.error or 'no detail'}"
                + (f"\nFailing cell: {row.error_cell}" if row.error_cell else "")
            ),
            run_id=row.run_id,
            venture_id=row.venture_id,
            business_date=row.business_date,
        )
    uow.flush()
    threshold = job_settings().pause_after_failures
    if consecutive_failures(uow.session, spec.name) < threshold:
        return
    # Runs failing at once may all reach the threshold: decide under the job's row lock, so
    # the job is paused (and alerted) once.
    state = locked_state(uow, spec.name)
    failures = consecutive_failures(uow.session, spec.name)
    if failures < threshold or state.paused:
        return
    state.paused = True
    state.paused_at = clock.now()
    state.paused_reason = f"paused after {failures} consecutive failures (last: {row.run_id})"
    state.paused_by_user_id = None
    raise_alert(
        uow,
        AlertKind.JOB_PAUSED,
        job=spec.name,
        title=f"{spec.name} paused after {failures} consecutive failures",
        message=(
            f"The scheduler will not run {spec.name} until it is resumed "
            f"(`vcc jobs resume {spec.name}`). Last failure: run {row.run_id}: {row.error}"
        ),
        run_id=row.run_id,
        venture_id=row.venture_id,
        business_date=row.business_date,
    )
    audit(
        uow,
        None,
        "job.paused",
        entity_type="job",
        entity_id=spec.name,
        detail={"reason": state.paused_reason, "run_id": row.run_id},
    )


def _reap(engine: Engine, run_id: str, reason: str) -> bool:
    """Mark a RUNNING run whose process is gone as FAILED (and count it as a failure)."""
    with unit_of_work(engine) as uow:
        row = find_run(uow.session, run_id)
        if row is None or row.status != RunStatus.RUNNING:
            return False
        row.status = RunStatus.FAILED
        row.ended_at = clock.now()
        row.error = reason[:4000]
        log.warning("job run %s reaped: %s", run_id, reason)
        if not row.dry_run:
            try:
                spec = get_job(row.job)
            except Exception:
                return True
            after_failure(uow, spec, row)
        return True


def reap_abandoned(engine: Engine | None = None) -> list[str]:
    """RUNNING runs whose lock is gone or expired: their process died. The scheduler calls this
    each tick; a takeover of an expired lock reaps its previous holder as well."""
    from domain.jobs.models import JobLock

    engine = engine or get_engine()
    now = clock.now()
    with read_only(engine) as uow:
        rows = uow.session.execute(
            select(JobRun.run_id, JobRun.lock_key, JobLock.holder, JobLock.expires_at)
            .outerjoin(JobLock, col(JobLock.key) == JobRun.lock_key)
            .where(JobRun.status == RunStatus.RUNNING)
        ).all()
    reaped = []
    for run_id, _key, holder, expires_at in rows:
        if holder == run_id and expires_at is not None and expires_at >= now:
            continue
        if _reap(engine, run_id, "abandoned: its process stopped holding the run's lock"):
            reaped.append(run_id)
    return reaped
