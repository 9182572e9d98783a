"""kpi-aggregate covers SaaS and holdings through their manifests' KpiSource: the job writes the
day's SaasMrrDaily and HoldingsBalanceDaily with its run id, the same numbers the dashboards'
read stored (one KPI write), and verifies by a dry re-execution."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain import clock
from domain.db import get_engine
from domain.holdings.models import HoldingsBalanceDaily
from domain.jobs.models import RunStatus, VerificationStatus
from domain.jobs.runner import run_job
from domain.jobs.verify import verify_run
from domain.saas.models import SaasMrrDaily
from tests.helpers import venture_id


def _rows(model, vid: int, day) -> list[tuple]:
    t = model.__table__
    cols = [c for c in t.c if c.name not in {"id", "computed_at", "run_id"}]
    with get_engine().connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(*cols).where(t.c.venture_id == vid, t.c.day == day).order_by(*cols)
            )
        ]


def _run_ids(model, vid: int, day) -> set:
    t = model.__table__
    with get_engine().connect() as conn:
        return set(
            conn.execute(select(t.c.run_id).where(t.c.venture_id == vid, t.c.day == day)).scalars()
        )


def test_kpi_aggregate_writes_saas_and_holdings_days(demo) -> None:
    day = clock.today("America/New_York") - timedelta(days=2)
    lgy, ksh = venture_id("LGY"), venture_id("KSH")
    before = {SaasMrrDaily: _rows(SaasMrrDaily, lgy, day), HoldingsBalanceDaily: []}
    before[HoldingsBalanceDaily] = _rows(HoldingsBalanceDaily, ksh, day)
    run = run_job("kpi-aggregate", business_date=day, params={"verticals": "saas,holdings"})
    assert run.status == RunStatus.SUCCEEDED, (run.error, run.error_cell)
    for model, vid in ((SaasMrrDaily, lgy), (HoldingsBalanceDaily, ksh)):
        assert _run_ids(model, vid, day) == {run.run_id}
        after = _rows(model, vid, day)
        assert after and (not before[model] or after == before[model])
    assert verify_run(run.run_id).status == VerificationStatus.VERIFIED
