"""Reconciliation (spec: "a job proves balance = sum of events"): a housekeeping chore that
compares every (user, venture) balance with the sum of its events and raises one alert per
difference (not again while an unacknowledged alert says the same). It changes no balance: the
fix is ``vcc gamification rebuild`` after looking (docs/RUNBOOK.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, literal, select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.gamification.models import GamificationBalance, GamificationEvent
from domain.jobs.hashing import TableInputs, table_inputs
from domain.jobs.models import Alert, AlertKind
from domain.verticals import HousekeepingStep

ACTION = "points_balance_mismatch"
_EVENT = GamificationEvent.__table__  # type: ignore[attr-defined]
_BALANCE = GamificationBalance.__table__  # type: ignore[attr-defined]


def mismatches(
    engine: Engine | None = None, cutoff: datetime | None = None
) -> list[dict[str, Any]]:
    """Every (user, venture) whose balance differs from the sum of its events (a pair with events
    and no balance row counts, balance 0)."""
    sums = (
        select(
            _EVENT.c.user_id,
            _EVENT.c.venture_id,
            func.sum(_EVENT.c.points).label("events"),
        )
        .group_by(_EVENT.c.user_id, _EVENT.c.venture_id)
        .subquery()
    )
    with_balance = select(
        _BALANCE.c.user_id,
        _BALANCE.c.venture_id,
        _BALANCE.c.points.label("balance"),
        func.coalesce(sums.c.events, 0).label("events"),
    ).outerjoin(
        sums,
        (sums.c.user_id == _BALANCE.c.user_id) & (sums.c.venture_id == _BALANCE.c.venture_id),
    )
    without_balance = (
        select(sums.c.user_id, sums.c.venture_id, literal(0).label("balance"), sums.c.events)
        .outerjoin(
            _BALANCE,
            (sums.c.user_id == _BALANCE.c.user_id) & (sums.c.venture_id == _BALANCE.c.venture_id),
        )
        .where(_BALANCE.c.id.is_(None))
    )
    with read_only(engine) as uow:
        rows = [
            dict(r) for r in uow.session.execute(with_balance.union_all(without_balance)).mappings()
        ]
    out = [
        {
            "user_id": int(r["user_id"]),
            "venture_id": int(r["venture_id"]),
            "balance": int(r["balance"]),
            "events": int(r["events"]),
        }
        for r in rows
        if int(r["balance"]) != int(r["events"])
    ]
    return sorted(out, key=lambda r: (r["venture_id"], r["user_id"]))


def reconcile(
    engine: Engine | None, cutoff: datetime, candidates: list[dict[str, Any]]
) -> tuple[int, list[dict[str, Any]]]:
    """Alert on each difference (once while unacknowledged); returns (alerts raised, the rows)."""
    from domain.jobs.alerts import raise_alert

    raised = 0
    with unit_of_work(engine) as uow:
        for c in candidates:
            message = (
                f"User {c['user_id']} in venture {c['venture_id']}: balance {c['balance']} "
                f"but the events sum to {c['events']}. Nothing was changed; see docs/RUNBOOK.md "
                "(points balance mismatch): look, then `vcc gamification rebuild`."
            )
            said = uow.session.execute(
                select(Alert.id).where(  # type: ignore[call-overload]
                    Alert.kind == AlertKind.POINTS_BALANCE_MISMATCH,
                    Alert.acknowledged_at.is_(None),  # type: ignore[union-attr]
                    Alert.message == message,
                )
            ).first()
            if said is not None:
                continue
            raise_alert(
                uow,
                AlertKind.POINTS_BALANCE_MISMATCH,
                job="housekeeping",
                title=f"Points balance differs from its events (user {c['user_id']})",
                message=message,
                venture_id=c["venture_id"],
                business_date=clock.business_date(cutoff, "UTC"),
            )
            raised += 1
    return raised, candidates


def reconcile_inputs(engine: Engine, cutoff: datetime) -> list[TableInputs]:
    with read_only(engine) as uow:
        rows = [dict(r) for r in uow.session.execute(select(_BALANCE)).mappings()]
    return [table_inputs("gamification_balance", rows)]


RECONCILE_BALANCES = HousekeepingStep(
    action=ACTION,
    counted_as="points_balance_mismatches",
    title="Points balances that differ from the sum of their events (alerted)",
    candidates=mismatches,
    run=reconcile,
    inputs=reconcile_inputs,
)
