"""The nightly re-verification of approved payouts (a housekeeping chore of the incentives wing).

Every payouts run with APPROVED or PAID payouts is checked again each night: the rows it read
(the period's dailies, plans, rules, memberships and the metric source rows, with their per-row
hashes) are fingerprinted now, exactly as the run fingerprinted them, and compared with the
fingerprint its manifest keeps. When they differ, an alert (APPROVED_INPUTS_CHANGED) names the
rows that changed, by table and for a person ("load AFL-0001234 changed"). Nothing is recomputed
and nothing is voided: a person decides whether to reopen the period (docs/RUNBOOK.md).

An alert is raised once per run and change: while an unacknowledged alert of the run says the
same thing, the next nights add none.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import select as columns
from sqlmodel import col, select

from domain.db import read_only, unit_of_work
from domain.incentives.models import IncentivePayout, PayoutStatus
from domain.jobs.hashing import TableInputs, fingerprint, table_inputs
from domain.jobs.manifest import read_manifest
from domain.jobs.models import Alert, AlertKind, JobRun, RunStatus
from domain.jobs.registry import JobParams, get_job
from domain.settings import get_settings
from domain.verticals import HousekeepingStep

ACTION = "payout_reverify"
SHOWN_ROWS = 20


def approved_runs(engine: Engine, cutoff: datetime | None = None) -> list[dict[str, Any]]:
    """The payouts runs whose payouts are APPROVED or PAID (the chore's candidates)."""
    stmt = (
        columns(
            col(IncentivePayout.run_id),
            col(IncentivePayout.venture_id),
            col(IncentivePayout.period_start),
            col(IncentivePayout.period_end),
        )
        .where(
            col(IncentivePayout.status).in_([PayoutStatus.APPROVED, PayoutStatus.PAID]),
            col(IncentivePayout.run_id).is_not(None),
        )
        .distinct()
    )
    with engine.connect() as conn:
        found = conn.execute(stmt).all()
    return [
        {
            "run_id": str(run_id),
            "venture_id": int(vid),
            "period": f"{start.isoformat()} to {end.isoformat()}",
        }
        for run_id, vid, start, end in sorted(found, key=lambda r: (r[2], r[1], str(r[0])))
    ]


def _run_params(run: JobRun) -> JobParams:
    extra = {
        k: v
        for k, v in (run.parameters or {}).items()
        if k not in ("business_date", "venture", "dry_run")
    }
    assert run.venture_id is not None
    return JobParams(run.job, run.business_date, run.venture, (run.venture_id,), False, extra)


def _tables(inputs: list[TableInputs]) -> dict[str, Any]:
    return {t.table: {**t.summary(), "rows": t.rows} for t in inputs}


def recheck(engine: Engine, run_id: str) -> list[tuple[str, str, str]] | None:
    """The input rows of ``run_id`` that changed since it ran ((table, key, change); empty: none);
    None when the run cannot be checked (no manifest)."""
    from domain.incentives.explain import changed_rows

    with read_only(engine) as uow:
        run = uow.session.execute(
            select(JobRun).where(JobRun.run_id == run_id)
        ).scalar_one_or_none()
        if run is None or run.status != RunStatus.SUCCEEDED or run.venture_id is None:
            return None
        uow.session.expunge(run)
    doc = (
        read_manifest(get_settings().reports_dir / run.manifest_path) if run.manifest_path else None
    )
    then = (doc or {}).get("inputs", {}).get("tables")
    if not isinstance(then, dict):
        return None
    spec = get_job(run.job)
    assert spec.inputs is not None
    now = spec.inputs(engine, _run_params(run))
    if fingerprint(now) == run.input_fingerprint:
        return []
    return changed_rows(then, _tables(now)) or [("(inputs)", "", "changed")]


def reverify(
    engine: Engine, cutoff: datetime, candidates: list[dict[str, Any]]
) -> tuple[int, list[dict[str, Any]]]:
    """Check each candidate run; alert for each whose inputs changed. Returns (runs whose inputs
    changed, one row per run checked)."""
    from domain.incentives.explain import label_rows

    done: list[dict[str, Any]] = []
    changed_runs = 0
    for c in candidates:
        rows = recheck(engine, c["run_id"])
        if rows is None:
            done.append({**c, "status": "not checked (no manifest)", "changed": ""})
            continue
        if not rows:
            done.append({**c, "status": "unchanged", "changed": ""})
            continue
        changed_runs += 1
        with unit_of_work(engine) as uow:
            labelled = label_rows(uow.session, rows, engine=engine)
            message = _message(c, labelled)
            done.append({**c, "status": "inputs changed", "changed": _names(labelled)})
            _alert(uow, c, message)
    return changed_runs, done


def _names(labelled: list[Any]) -> str:
    shown = [f"{i.label} {i.change}" for i in labelled[:SHOWN_ROWS]]
    more = len(labelled) - SHOWN_ROWS
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _message(c: dict[str, Any], labelled: list[Any]) -> str:
    per_table: dict[str, list[Any]] = defaultdict(list)
    for i in labelled:
        per_table[i.table].append(i)
    lines = [
        f"- {table}: "
        + ", ".join(f"{i.label} {i.change}" for i in items[:SHOWN_ROWS])
        + (f" and {len(items) - SHOWN_ROWS} more" if len(items) > SHOWN_ROWS else "")
        for table, items in sorted(per_table.items())
    ]
    return (
        f"Payouts run {c['run_id']} ({c['period']}) was approved, and rows it read have changed "
        "since it ran:\n" + "\n".join(lines) + "\nNothing was recomputed. Explain the change with "
        "`vcc jobs verify` and `vcc incentives explain`, then decide whether to reopen the period "
        "(`vcc payouts reopen`, docs/RUNBOOK.md, monthly close)."
    )


def _alert(uow: Any, c: dict[str, Any], message: str) -> None:
    from domain.jobs.alerts import raise_alert

    said = uow.session.execute(
        select(Alert.id).where(
            Alert.kind == AlertKind.APPROVED_INPUTS_CHANGED,
            Alert.run_id == c["run_id"],
            col(Alert.acknowledged_at).is_(None),
            Alert.message == message,
        )
    ).first()
    if said is not None:
        return
    end = date.fromisoformat(c["period"].split(" to ")[1])
    raise_alert(
        uow,
        AlertKind.APPROVED_INPUTS_CHANGED,
        job="payouts",
        title=f"Approved payouts run {c['run_id']} ({c['period']}): its inputs changed",
        message=message,
        run_id=c["run_id"],
        venture_id=c["venture_id"],
        business_date=end,
    )


def reverify_inputs(engine: Engine, cutoff: datetime) -> list[TableInputs]:
    """What the chore acts on: the approved and paid payouts runs."""
    return [table_inputs("payout_run_approved", approved_runs(engine, cutoff), key="run_id")]


PAYOUT_REVERIFY = HousekeepingStep(
    action=ACTION,
    counted_as="approved_payout_runs_changed",
    title="Approved and paid payouts runs re-verified (inputs changed since approval: alerted)",
    candidates=approved_runs,
    run=reverify,
    inputs=reverify_inputs,
)
