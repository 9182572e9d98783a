"""Verify: an untouched run verifies; changed inputs say what changed; the same inputs with a
different output are a MISMATCH (alert)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, Invalid
from domain.jobs.models import Alert, AlertKind, RunStatus, TriggeredBy, VerificationStatus
from domain.jobs.queries import find_run, get_run
from domain.jobs.runner import run_job
from domain.jobs.verify import verify_run
from domain.org.models import Venture
from tests.integration.jobs.conftest import make_ventures

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

DAY = date(2026, 11, 26)


def test_an_untouched_run_verifies(db: TestDatabase) -> None:
    make_ventures("AFL", "MBR")
    run = run_job("test-echo", business_date=DAY)
    check = verify_run(run.run_id)
    assert check.status == VerificationStatus.VERIFIED, check.message
    with read_only() as uow:
        original = find_run(uow.session, run.run_id)
        rerun = find_run(uow.session, check.verify_run_id or "")
    assert original is not None and original.verification == VerificationStatus.VERIFIED
    assert rerun is not None and rerun.dry_run and rerun.triggered_by == TriggeredBy.VERIFY
    assert rerun.verifies_run_id == run.run_id
    # Same rows, another run at another time: the same output hash.
    assert rerun.output_hash == run.output_hash and rerun.run_id != run.run_id


def test_changed_inputs_say_what_changed(db: TestDatabase) -> None:
    ids = make_ventures("AFL", "MBR")
    run = run_job("test-echo", business_date=DAY)
    with unit_of_work() as uow:
        uow.session.get(Venture, ids["MBR"]).name = "Mountain Brokerage"  # type: ignore[union-attr]
    make_ventures("RTR")
    check = verify_run(run.run_id)
    assert check.status == VerificationStatus.INPUTS_CHANGED
    assert check.detail["changes"] == {
        "venture": {"before": 2, "after": 3, "added": 1, "removed": 0, "changed": 1}
    }
    assert "venture: 2 -> 3 rows (1 added, 0 removed, 1 changed)" in check.message


def test_same_inputs_different_output_is_a_mismatch(
    db: TestDatabase, monkeypatch: pytest.MonkeyPatch, mailbox
) -> None:
    make_ventures("AFL")
    run = run_job("test-echo", business_date=DAY)
    monkeypatch.setenv("VCC_TEST_ECHO_SALT", "not reproducible")  # the kernel inherits it
    check = verify_run(run.run_id)
    assert check.status == VerificationStatus.MISMATCH
    with read_only() as uow:
        alert = uow.session.execute(select(Alert)).scalar_one()
        detail = get_run(uow, _system(), run.run_id)
    assert alert.kind == AlertKind.VERIFY_MISMATCH and alert.run_id == run.run_id
    assert detail.run.verification == VerificationStatus.MISMATCH
    assert [v.status for v in detail.verifications] == [VerificationStatus.MISMATCH]


def test_only_succeeded_runs_verify(db: TestDatabase) -> None:
    run = run_job("test-echo", business_date=DAY, params={"fail": True})
    assert run.status == RunStatus.FAILED
    with pytest.raises(Invalid):
        verify_run(run.run_id)


def test_a_role_that_may_not_verify_learns_nothing_about_runs(db: TestDatabase) -> None:
    from tests.integration.jobs.conftest import actor_with_role

    csr = actor_with_role("CSR")
    failed = run_job("test-echo", business_date=DAY, params={"fail": True})
    for run_id in (failed.run_id, "20990101T000000-00000000"):  # a failed run, no run at all
        with pytest.raises(Forbidden):  # not Invalid ("is FAILED") nor NotFound
            verify_run(run_id, actor=csr)  # type: ignore[arg-type]


def _system():  # type: ignore[no-untyped-def]
    from domain.access.scope import system_actor

    with unit_of_work() as uow:
        return system_actor(uow.session)
