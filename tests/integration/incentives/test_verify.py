"""A live commit is a verifiable job run (spec/jobs-and-notebooks.md, verify): re-executed as a
dry run it answers VERIFIED; once a load counted on that day changes, INPUTS_CHANGED."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from domain.db import unit_of_work
from domain.freight.models import Load
from domain.incentives import services
from domain.jobs.models import VerificationStatus
from domain.jobs.verify import verify_run
from tests.helpers import actor, user_id
from tests.integration.incentives.conftest import busiest_day, delivered, rows_of

CSR = "csr.afl@vcc.example"


def test_a_commit_run_verifies_until_a_counted_load_changes(demo, reports) -> None:
    day = busiest_day("AFL", CSR)
    result = services.commit(actor("finance@vcc.example"), "AFL", day, dry_run=False)
    assert result.status == "SUCCEEDED", result.error
    assert result.run_id and result.rows
    stored = rows_of("AFL", day)
    assert {r["run_id"] for r in stored} == {result.run_id}
    assert sorted((r.user_id, r.amount) for r in result.rows) == sorted(
        (r["user_id"], r["amount"]) for r in stored
    )
    assert user_id(CSR) in {r.user_id for r in result.rows}

    check = verify_run(result.run_id)
    assert check.status is VerificationStatus.VERIFIED, check.message

    load = delivered("AFL", CSR, day)[0]
    with unit_of_work() as uow:
        uow.session.execute(
            update(Load)
            .where(Load.id == load.id)  # type: ignore[arg-type]
            .values(bill_amount=Decimal(str(load.bill_amount or 0)) + Decimal("100.00"))
        )
    check = verify_run(result.run_id)
    assert check.status is VerificationStatus.INPUTS_CHANGED, check.message
