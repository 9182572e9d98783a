"""Scope: finance.india (PBP only) cannot create, approve, list, pay or void an AFL payout, nor open
its run's files, by any path: out of scope answers exactly like not found. ACCOUNTING reads."""

from __future__ import annotations

import pytest

from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, NotFound
from domain.incentives import payout_services as svc
from domain.jobs.queries import run_file
from tests.helpers import actor
from tests.integration.payouts.conftest import period

INDIA = "finance.india@vcc.example"


def test_finance_of_another_venture_reaches_no_afl_payout(demo, reports) -> None:
    start, end = period(days=3)
    created = svc.create_payouts(actor("finance@vcc.example"), "AFL", start, end)
    assert created.status == "SUCCEEDED", created.error
    india = actor(INDIA)
    some = created.payouts[0].id

    with pytest.raises(NotFound):
        svc.create_payouts(india, "AFL", start, end, replace=True)
    with pytest.raises(NotFound):
        svc.approve_run(india, created.run_id)
    with read_only() as uow, pytest.raises(NotFound):
        svc.list_payouts(uow, india, venture="AFL")
    with read_only() as uow:
        assert svc.list_payouts(uow, india).items == []
    with read_only() as uow, pytest.raises(NotFound):
        svc.get_payout(uow, india, some)
    with unit_of_work() as uow, pytest.raises(NotFound):
        svc.mark_paid(uow, india, some)
    with unit_of_work() as uow, pytest.raises(NotFound):
        svc.void_payout(uow, india, some, "not mine")
    for kind in ("html", "notebook", "manifest"):
        with read_only() as uow, pytest.raises(NotFound):
            run_file(uow, india, created.run_id, kind)
    with pytest.raises(NotFound):
        svc.reopen(india, "AFL", start, end, "not mine")

    accounting = actor("accounting@vcc.example")
    with read_only() as uow:
        seen = svc.list_payouts(uow, accounting, venture="AFL").items
    assert {p.id for p in seen} == {p.id for p in created.payouts}
    with pytest.raises(Forbidden):
        svc.approve_run(accounting, created.run_id)
    with pytest.raises(Forbidden):
        svc.create_payouts(accounting, "AFL", start, end, replace=True)
    with unit_of_work() as uow, pytest.raises(Forbidden):
        svc.void_payout(uow, accounting, some, "no")
    # A CSR reads no payouts list at all.
    with read_only() as uow, pytest.raises(Forbidden):
        svc.list_payouts(uow, actor("csr.afl@vcc.example"))
