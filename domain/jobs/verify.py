"""``vcc jobs verify RUN_ID``: re-execute a run as a dry run with the same parameters, compare.

- same input fingerprint and same output hash: VERIFIED;
- input fingerprint changed: INPUTS_CHANGED, with per table the counts before and after and the
  rows added, removed and changed (from the per-row hashes both manifests keep);
- same inputs, different output: MISMATCH, a defect (non-deterministic code, or code changed
  since the run): alert;
- the re-execution did not succeed: ERROR (its own run says why).
The verification is recorded on the run (latest) and in job_verification (history).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from domain import clock
from domain.access.audit import audit
from domain.db import get_engine, read_only, unit_of_work
from domain.errors import Invalid, NotFound
from domain.jobs.alerts import raise_alert
from domain.jobs.hashing import input_changes
from domain.jobs.manifest import read_manifest
from domain.jobs.models import (
    AlertKind,
    JobVerification,
    RunStatus,
    TriggeredBy,
    VerificationStatus,
)
from domain.jobs.queries import VerificationView, find_run, verification_view
from domain.jobs.registry import all_jobs, get_job
from domain.jobs.runner import reports_root, run_job

if TYPE_CHECKING:
    from domain.access.actor import Actor


def _tables(manifest_path: str | None, fallback: dict[str, Any]) -> dict[str, Any]:
    """Per-table inputs with per-row hashes from the manifest, else the summary on the row."""
    if manifest_path:
        doc = read_manifest(reports_root() / manifest_path)
        tables = (doc or {}).get("inputs", {}).get("tables")
        if isinstance(tables, dict):
            return tables
    return dict(fallback)


def verify_run(
    run_id: str,
    *,
    actor: Actor | None = None,
    engine: Engine | None = None,
    cancel: threading.Event | None = None,
) -> VerificationView:
    engine = engine or get_engine()
    # The role first: whether a run exists (and its status) is not for those who may not verify
    # (the job admins, or those who may run some job by hand: finance its own jobs); the
    # venture's scope and the job's own permission are checked once the run is found.
    if (
        actor is not None
        and not actor.can("admin.jobs.run")
        and not any(actor.can(j.run_permission) for j in all_jobs())
    ):
        actor.require("admin.jobs.run")
    with read_only(engine) as uow:
        original = find_run(uow.session, run_id)
        if original is None:
            raise NotFound("run", run_id)
        if original.status != RunStatus.SUCCEEDED:
            raise Invalid.field(
                "run_id", f"run {run_id} is {original.status.value}: only succeeded runs verify"
            )
        if actor is not None:
            actor.require(get_job(original.job).run_permission, original.venture_id)
        extra = {
            k: v
            for k, v in (original.parameters or {}).items()
            if k not in ("business_date", "venture", "dry_run")
        }
    job, business_date, venture = original.job, original.business_date, original.venture
    rerun = run_job(
        job,
        business_date=business_date,
        venture=venture,
        dry_run=True,
        params=extra,  # the same notebook parameters as the original run
        triggered_by=TriggeredBy.VERIFY,
        actor=actor,
        verifies_run_id=run_id,
        engine=engine,
        cancel=cancel,
    )

    detail: dict[str, Any] = {
        "original": {
            "input_fingerprint": original.input_fingerprint,
            "output_hash": original.output_hash,
        },
        "rerun": {"input_fingerprint": rerun.input_fingerprint, "output_hash": rerun.output_hash},
    }
    if rerun.status != RunStatus.SUCCEEDED:
        status = VerificationStatus.ERROR
        message = (
            f"the dry-run re-execution {rerun.run_id} ended {rerun.status.value}: {rerun.error}"
        )
    elif rerun.input_fingerprint != original.input_fingerprint:
        status = VerificationStatus.INPUTS_CHANGED
        changes = input_changes(
            _tables(original.manifest_path, original.inputs),
            _tables(rerun.manifest_path, rerun.inputs),
        )
        detail["changes"] = changes
        message = "inputs changed since the run: " + "; ".join(
            f"{t}: {c['before']} -> {c['after']} rows"
            + (
                f" ({c['added']} added, {c['removed']} removed, {c['changed']} changed)"
                if "added" in c
                else ""
            )
            for t, c in changes.items()
        )
    elif rerun.output_hash != original.output_hash:
        status = VerificationStatus.MISMATCH
        message = (
            "same inputs, different output: the job is not reproducible "
            f"(output hash {str(original.output_hash)[:12]} then, "
            f"{str(rerun.output_hash)[:12]} now)"
        )
    else:
        status = VerificationStatus.VERIFIED
        message = "same inputs, same output"

    with unit_of_work(engine) as uow:
        row = find_run(uow.session, run_id)
        assert row is not None
        row.verification = status
        row.verified_at = clock.now()
        check = JobVerification(
            run_id=run_id,
            verify_run_id=rerun.run_id,
            status=status,
            detail=detail,
            message=message[:1000],
            created_at=row.verified_at,
            user_id=actor.real_user_id if actor else None,
        )
        uow.session.add(check)
        if status == VerificationStatus.MISMATCH:
            raise_alert(
                uow,
                AlertKind.VERIFY_MISMATCH,
                job=job,
                title=f"{job} run {run_id} does not reproduce",
                message=f"Verification of run {run_id} ({business_date}, venture {venture}): "
                f"{message}. Re-execution: run {rerun.run_id}.",
                run_id=run_id,
                venture_id=row.venture_id,
                business_date=business_date,
            )
        if actor is None:
            from domain.access.scope import system_actor

            who = system_actor(uow.session)
        else:
            who = actor
        audit(
            uow,
            who,
            "job.verified",
            entity_type="job_run",
            entity_id=run_id,
            venture_id=row.venture_id,
            detail={"status": status.value, "verify_run_id": rerun.run_id},
        )
        uow.flush()
        return verification_view(check)
