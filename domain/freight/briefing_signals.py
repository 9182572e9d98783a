"""Freight's checks of the daily briefing (thresholds: ``domain.briefing.signals``).

- Coverage: FreightKpiDaily's created and covered loads of D against the 7 days before (the
  pre-aggregated table, which kpi-aggregate and the load events keep current; a day without a
  row counts as no loads).
- Losses: the loads whose ``lost_at`` falls on D in the venture's timezone, by reason.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, func, select
from sqlmodel import col

from domain import clock
from domain.briefing import signals as s
from domain.briefing.models import Section
from domain.freight.models import FREIGHT_VENTURE_TYPES, FreightKpiDaily, Load
from domain.verticals import BriefingSignal

LOADS_LINK = "/freight/loads"


def coverage(conn: Connection, v: s.SignalVenture) -> list[s.Draft]:
    start = v.day - timedelta(days=s.BASELINE_DAYS)
    rows = conn.execute(
        select(
            col(FreightKpiDaily.day),
            col(FreightKpiDaily.loads_created),
            col(FreightKpiDaily.loads_covered),
        )
        .where(col(FreightKpiDaily.venture_id) == v.id)
        .where(col(FreightKpiDaily.day) >= start, col(FreightKpiDaily.day) <= v.day)
    ).all()
    created = sum(int(r.loads_created) for r in rows if r.day == v.day)
    covered = sum(int(r.loads_covered) for r in rows if r.day == v.day)
    base_created = sum(int(r.loads_created) for r in rows if r.day < v.day)
    base_covered = sum(int(r.loads_covered) for r in rows if r.day < v.day)
    severity, fell = s.coverage_drop(created, covered, base_created, base_covered)
    if severity is None:
        return []
    now, before = s.ratio(covered, created), s.ratio(base_covered, base_created)
    return [
        s.Draft(
            signal="freight.coverage_drop",
            section=Section.FREIGHT,
            severity=severity,
            title=f"Coverage fell {s.points(fell)}",
            detail=(
                f"{covered} of {created} loads created covered ({s.percent(now)}) against "
                f"{base_covered} of {base_created} in the 7 days before ({s.percent(before)})"
            ),
            link=LOADS_LINK,
            evidence={
                "created": created,
                "covered": covered,
                "baseline_created": base_created,
                "baseline_covered": base_covered,
                "drop": str(fell),
            },
        )
    ]


def losses(conn: Connection, v: s.SignalVenture) -> list[s.Draft]:
    start, end = clock.day_bounds_utc(v.day, v.timezone)
    by_reason = {
        str(reason): int(n)
        for reason, n in conn.execute(
            select(col(Load.lost_reason), func.count())
            .where(col(Load.venture_id) == v.id)
            .where(col(Load.lost_at) >= start, col(Load.lost_at) < end)
            .group_by(col(Load.lost_reason))
        )
    }
    lost = sum(by_reason.values())
    on_rate = by_reason.get("RATE", 0)
    internal = by_reason.get("INTERNAL_ERROR", 0)
    out = []
    severity, share = s.lost_to_rate(lost, on_rate)
    if severity is not None:
        out.append(
            s.Draft(
                signal="freight.lost_to_rate",
                section=Section.FREIGHT,
                severity=severity,
                title=f"{on_rate} of {lost} lost loads lost on rate",
                detail=f"{s.percent(share)} of the day's losses had the reason rate",
                link=f"{LOADS_LINK}?status=LOST",
                evidence={"lost": lost, "lost_on_rate": on_rate, "share": str(share)},
            )
        )
    severity = s.internal_error(lost, internal)
    if severity is not None:
        out.append(
            s.Draft(
                signal="freight.internal_error",
                section=Section.FREIGHT,
                severity=severity,
                title=f"{internal} load{'s' if internal != 1 else ''} lost to internal error",
                detail=f"{internal} of the day's {lost} losses had the reason internal error",
                link=f"{LOADS_LINK}?status=LOST",
                evidence={"lost": lost, "internal_error": internal},
            )
        )
    return out


SIGNALS = (
    BriefingSignal(
        key="freight.coverage_drop",
        title="Freight coverage dropped",
        venture_types=FREIGHT_VENTURE_TYPES,
        evaluate=coverage,
    ),
    BriefingSignal(
        key="freight.losses",
        title="Freight losses on rate and internal error",
        venture_types=FREIGHT_VENTURE_TYPES,
        evaluate=losses,
    ),
)
