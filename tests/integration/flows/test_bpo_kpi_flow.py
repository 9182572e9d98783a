"""One user action followed to every place it must reach (issue 16, "Cross-vertical flow tests";
spec/events-and-gamification.md, BpoKpiUpserted): the BPO head writes yesterday's KPI record of
an agent (QA 70) on a day whose calls converted 10 points worse than the 7 days before. Through
the real upsert service and the outbox dispatch after commit it reaches

- the BPO KPI day of that date: the record's QA score is the day's average QA, next to the
  calls' connects and deals (BpoKpiDaily takes dials to revenue from the call logs and the
  average QA from the KPI records: docs/ARCHITECTURE.md, 2026-12-02);
- the briefing's next run for that day: the conversion signal (10 points lower: a fire) and the
  QA storm (70 < 75), shown to the COO and linking to the BPO dashboard.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import col, select

from domain import clock
from domain.bpo import services
from domain.bpo.csv_import import COLUMNS
from domain.bpo.models import BpoKpiDaily
from domain.briefing.models import Section, Severity
from domain.briefing.queries import briefing_day
from domain.db import read_only, unit_of_work
from domain.jobs.tasks import briefing
from tests.helpers import actor
from tests.integration.bpo.conftest import AGENT, HEAD, KOLKATA, build_world


def calls_csv(day: date) -> bytes:
    """Ten connected calls a day over D-7..D: two deals a day before D (20 %), one on D (10 %)."""
    lines = [",".join(COLUMNS)]
    for back in range(8):
        on = day - timedelta(days=back)
        start, _ = clock.day_bounds_utc(on, KOLKATA)
        deals = 1 if back == 0 else 2
        for i in range(10):
            t = start + timedelta(hours=10, minutes=10 * i)
            won = "yes" if i < deals else "no"
            lines.append(
                f"{AGENT},Solar leads,{t.isoformat()},{(t + timedelta(minutes=4)).isoformat()},"
                f"1,yes,no,{won},{'500.00' if won == 'yes' else '0'},"
            )
    return ("\n".join(lines) + "\n").encode()


def kpi_day(venture: int, day: date) -> BpoKpiDaily | None:
    with read_only() as uow:
        return uow.session.execute(
            select(BpoKpiDaily).where(
                col(BpoKpiDaily.venture_id) == venture, col(BpoKpiDaily.day) == day
            )
        ).scalar_one_or_none()


def test_a_bpo_kpi_upsert_reaches_the_kpi_day_and_the_conversion_signal(demo) -> None:
    w = build_world()
    d = clock.today(KOLKATA) - timedelta(days=1)
    with unit_of_work() as uow:  # the dialer's file of the 8 days (its own flow: the calls)
        services.import_calls_csv(uow, actor(HEAD), w.pbp, calls_csv(d))
    before = kpi_day(w.pbp, d)
    assert before is not None and before.avg_qa is None

    with unit_of_work() as uow:  # the user's one action
        services.upsert_kpi_record(
            uow,
            actor(HEAD),
            {
                "campaign_id": w.campaign,
                "agent_id": w.agent,
                "day": d.isoformat(),
                "calls": 10,
                "qa_score": "70",
                "deals": 1,
            },
        )

    row = kpi_day(w.pbp, d)
    assert row is not None and Decimal(row.avg_qa) == Decimal(70)
    assert (row.connects, row.deals) == (10, 1)
    assert Decimal(row.conversion) == Decimal("0.1")

    briefing.build(d, "PBP", dry_run=False)  # the next run for that day
    with read_only() as uow:
        shown = briefing_day(uow, actor("coo@vcc.example"), d)
    bpo = {i.title.split(" ")[0]: i for i in shown.items if i.section == Section.BPO}
    assert set(bpo) == {"Conversion", "Average"}
    conversion, qa = bpo["Conversion"], bpo["Average"]
    assert conversion.severity == Severity.CRITICAL and conversion.venture_code == "PBP"
    assert "1 deals from 10 connects" in conversion.detail
    assert "14 from 70" in conversion.detail
    assert qa.severity == Severity.WARN and qa.link == conversion.link == "/bpo/dashboard"
