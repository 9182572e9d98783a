"""BPO's checks of the daily briefing (thresholds: ``domain.briefing.signals``), from the
pre-aggregated BpoKpiDaily of the venture:

- conversion (deals / connects) of D against the 7 days before, as a ratio of sums, in points;
- D's average QA score (below 75 a storm, below 65 a fire).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Connection, select
from sqlmodel import col

from domain.bpo.models import BPO_VENTURE_TYPES, BpoKpiDaily
from domain.briefing import signals as s
from domain.briefing.models import Section
from domain.verticals import BriefingSignal

DASHBOARD_LINK = "/bpo/dashboard"


def kpi(conn: Connection, v: s.SignalVenture) -> list[s.Draft]:
    start = v.day - timedelta(days=s.BASELINE_DAYS)
    rows = conn.execute(
        select(
            col(BpoKpiDaily.day),
            col(BpoKpiDaily.connects),
            col(BpoKpiDaily.deals),
            col(BpoKpiDaily.avg_qa),
        )
        .where(col(BpoKpiDaily.venture_id) == v.id)
        .where(col(BpoKpiDaily.day) >= start, col(BpoKpiDaily.day) <= v.day)
    ).all()
    connects = sum(int(r.connects) for r in rows if r.day == v.day)
    deals = sum(int(r.deals) for r in rows if r.day == v.day)
    base_connects = sum(int(r.connects) for r in rows if r.day < v.day)
    base_deals = sum(int(r.deals) for r in rows if r.day < v.day)
    now, before = s.ratio(deals, connects), s.ratio(base_deals, base_connects)
    fell = s.drop(before, now)
    fell_points = fell * 100 if fell is not None else None
    out = []
    severity = s.level("bpo.conversion_drop", fell_points)
    if severity is not None:
        out.append(
            s.Draft(
                signal="bpo.conversion_drop",
                section=Section.BPO,
                severity=severity,
                title=f"Conversion fell {s.points(fell)}",
                detail=(
                    f"{deals} deals from {connects} connects ({s.percent(now)}) against "
                    f"{base_deals} from {base_connects} in the 7 days before ({s.percent(before)})"
                ),
                link=DASHBOARD_LINK,
                evidence={
                    "connects": connects,
                    "deals": deals,
                    "baseline_connects": base_connects,
                    "baseline_deals": base_deals,
                },
            )
        )
    found = next((r.avg_qa for r in rows if r.day == v.day and r.avg_qa is not None), None)
    qa = Decimal(found) if found is not None else None
    severity = s.qa_level(qa)
    if severity is not None and qa is not None:
        out.append(
            s.Draft(
                signal="bpo.low_qa",
                section=Section.BPO,
                severity=severity,
                title=f"Average QA score {qa.quantize(Decimal('0.1'))}",
                detail="The day's average QA score of the scored calls is below the bar of 75",
                link=DASHBOARD_LINK,
                evidence={"avg_qa": str(qa)},
            )
        )
    return out


SIGNALS = (
    BriefingSignal(
        key="bpo.kpi",
        title="BPO conversion and QA",
        venture_types=BPO_VENTURE_TYPES,
        evaluate=kpi,
    ),
)
