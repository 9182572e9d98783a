"""Incentive reads: my incentives, a venture's incentives, the daily list (cursor), plans.

Scope is in the SQL: "mine" is the actor's own rows (in ventures still in scope); "venture"
needs ``incentives.venture.read`` in that venture, else NotFound for a venture outside scope and
Forbidden for a role that may not read it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select as columns
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid
from domain.incentives.metrics import all_metrics
from domain.incentives.models import IncentiveDaily, IncentivePlan, IncentiveRule
from domain.incentives.schemas import (
    DailyView,
    DayTotal,
    MetricView,
    MonthTotal,
    MyIncentives,
    PlanView,
    RunLine,
    UserTotal,
    VentureIncentives,
)
from domain.incentives.views import daily_view, plan_view
from domain.org.models import User, Venture
from domain.org.queries import load_venture
from domain.pagination import Page, SortKey, paginate

MAX_RANGE_DAYS = 731


def metrics() -> list[MetricView]:
    return [
        MetricView(key=m.key, label=m.label, vertical=m.vertical, is_money=m.is_money)
        for m in all_metrics()
    ]


def _check_range(start: date, end: date) -> None:
    if end < start:
        raise Invalid.field("to", "must be on or after from")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise Invalid.field("from", "the range is at most 2 years")


def _html_of_runs(uow: UnitOfWork, run_ids: set[str]) -> dict[str, str | None]:
    from domain.jobs.models import JobRun

    if not run_ids:
        return {}
    return {
        str(r): h
        for r, h in uow.session.execute(
            select(JobRun.run_id, JobRun.html_path).where(col(JobRun.run_id).in_(sorted(run_ids)))
        )
    }


def _views(uow: UnitOfWork, rows: list[IncentiveDaily]) -> list[DailyView]:
    users = {r.user_id for r in rows}
    ventures = {r.venture_id for r in rows}
    names = (
        dict(uow.session.execute(select(User.id, User.name).where(col(User.id).in_(users))).all())
        if users
        else {}
    )
    codes = (
        dict(
            uow.session.execute(
                select(Venture.id, Venture.code).where(col(Venture.id).in_(ventures))
            ).all()
        )
        if ventures
        else {}
    )
    html = _html_of_runs(uow, {r.run_id for r in rows})
    return [
        daily_view(r, names.get(r.user_id, ""), codes.get(r.venture_id, ""), html.get(r.run_id))
        for r in rows
    ]


def rows_of_run(uow: UnitOfWork, actor: Actor, run_id: str) -> list[DailyView]:
    """The rows a run wrote that the actor may read (the commit's answer)."""
    stmt = select(IncentiveDaily).where(
        IncentiveDaily.run_id == run_id, actor.scope.venture_clause(IncentiveDaily.venture_id)
    )
    rows = list(uow.session.execute(stmt.order_by(col(IncentiveDaily.user_id))).scalars())
    return _views(uow, rows)


def can_open_run_report(actor: Actor, venture_id: int) -> bool:
    """Whether the run reports (``/api/v1/admin/jobs/runs/<id>/html``) of this venture's
    incentive runs open for the actor: the job admins, and those who read the finance jobs' runs
    of the venture (FINANCE in scope). Anyone else sees the run id only."""
    return actor.can("admin.jobs.read") or actor.can("jobs.finance.read", venture_id)


def _mine(actor: Actor) -> Any:
    return (
        col(IncentiveDaily.user_id) == actor.user_id,
        actor.scope.venture_clause(IncentiveDaily.venture_id),
    )


def my_incentives(
    uow: UnitOfWork, actor: Actor, month: str | None = None, months: int = 12
) -> MyIncentives:
    """The actor's own rows: totals per month, venture and currency (the last ``months``), and
    each day of ``month`` ("YYYY-MM", default this month) with its breakdown explained."""
    actor.require("page.my_incentives")
    today = clock.today("UTC")
    if month:
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise Invalid.field("month", "must be a month (YYYY-MM)") from None
    else:
        first = today.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    oldest = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    stmt = columns(
        col(IncentiveDaily.venture_id),
        col(IncentiveDaily.currency),
        col(IncentiveDaily.business_date),
        col(IncentiveDaily.amount),
    ).where(*_mine(actor), col(IncentiveDaily.business_date) >= min(oldest, first))
    totals: dict[tuple[str, int, str], list[Decimal]] = defaultdict(list)
    for vid, cur, day, amount in uow.session.execute(stmt):
        totals[(day.strftime("%Y-%m"), int(vid), str(cur))].append(Decimal(str(amount)))
    codes = dict(uow.session.execute(select(Venture.id, Venture.code)).all())
    lines = [
        MonthTotal(
            month=m,
            venture_code=codes.get(v, ""),
            currency=c,
            amount=sum(a, Decimal("0.00")).quantize(Decimal("0.01")),
            days=len(a),
        )
        for (m, v, c), a in totals.items()
    ]
    lines.sort(key=lambda t: (t.month, t.venture_code, t.currency), reverse=True)
    days = list(
        uow.session.execute(
            select(IncentiveDaily)
            .where(
                *_mine(actor),
                col(IncentiveDaily.business_date) >= first,
                col(IncentiveDaily.business_date) < nxt,
            )
            .order_by(col(IncentiveDaily.business_date).desc(), col(IncentiveDaily.id))
        ).scalars()
    )
    return MyIncentives(months=lines, days=_views(uow, days), month=first.strftime("%Y-%m"))


def venture_incentives(
    uow: UnitOfWork, actor: Actor, venture_id: int, start: date, end: date
) -> VentureIncentives:
    """Per user totals for the period, the per-day series and the runs that wrote them."""
    venture = load_venture(uow, actor, venture_id)
    actor.require("incentives.venture.read", venture_id)
    _check_range(start, end)
    rows = uow.session.execute(
        columns(
            col(IncentiveDaily.user_id),
            col(IncentiveDaily.business_date),
            col(IncentiveDaily.currency),
            col(IncentiveDaily.amount),
            col(IncentiveDaily.run_id),
        ).where(
            col(IncentiveDaily.venture_id) == venture_id,
            col(IncentiveDaily.business_date) >= start,
            col(IncentiveDaily.business_date) <= end,
        )
    ).all()
    per_user: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    per_day: dict[tuple[date, str], list[Decimal]] = defaultdict(list)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    run_ids: set[str] = set()
    for user_id, day, cur, amount, run_id in rows:
        a = Decimal(str(amount)).quantize(Decimal("0.01"))
        per_user[(int(user_id), str(cur))].append(a)
        per_day[(day, str(cur))].append(a)
        totals[str(cur)] += a
        run_ids.add(str(run_id))
    names = (
        dict(
            uow.session.execute(
                select(User.id, User.name).where(col(User.id).in_({u for u, _ in per_user}))
            ).all()
        )
        if per_user
        else {}
    )
    users = sorted(
        (
            UserTotal(
                user_id=u,
                user_name=names.get(u, ""),
                currency=c,
                amount=sum(a, Decimal("0.00")),
                days=len(a),
            )
            for (u, c), a in per_user.items()
        ),
        key=lambda t: (t.currency, -t.amount, t.user_name),
    )
    days = [
        DayTotal(business_date=d, currency=c, amount=sum(a, Decimal("0.00")), users=len(a))
        for (d, c), a in sorted(per_day.items())
    ]
    return VentureIncentives(
        venture_id=venture_id,
        venture_code=venture.code,
        start=start,
        end=end,
        users=users,
        days=days,
        totals=dict(sorted(totals.items())),
        runs=_runs(uow, venture_id, start, end, run_ids),
    )


def _runs(
    uow: UnitOfWork, venture_id: int, start: date, end: date, run_ids: set[str]
) -> list[RunLine]:
    from domain.jobs.models import JobRun

    stmt = (
        select(JobRun)
        .where(
            col(JobRun.job).in_(["incentives-daily", "incentives-backfill"]),
            JobRun.venture_id == venture_id,
            col(JobRun.dry_run).is_(False),
            (col(JobRun.run_id).in_(sorted(run_ids)))
            | ((col(JobRun.business_date) >= start) & (col(JobRun.business_date) <= end)),
        )
        .order_by(col(JobRun.started_at).desc())
        .limit(50)
    )
    return [
        RunLine(
            run_id=r.run_id,
            job=r.job,
            business_date=r.business_date,
            status=r.status.value,
            triggered_by=r.triggered_by.value,
            started_at=r.started_at,
            html=r.html_path,
            verification=r.verification.value if r.verification else None,
        )
        for r in uow.session.execute(stmt).scalars()
    ]


def list_daily(
    uow: UnitOfWork,
    actor: Actor,
    *,
    scope: str = "mine",
    venture_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[DailyView]:
    """Daily rows newest first: the actor's own (``mine``) or a venture's (``venture``)."""
    stmt = select(IncentiveDaily)
    if scope == "mine":
        stmt = stmt.where(*_mine(actor))
        if venture_id is not None:
            stmt = stmt.where(IncentiveDaily.venture_id == venture_id)
    elif scope == "venture":
        if venture_id is None:
            raise Invalid.field("venture", "is required with scope=venture")
        load_venture(uow, actor, venture_id)
        actor.require("incentives.venture.read", venture_id)
        stmt = stmt.where(IncentiveDaily.venture_id == venture_id)
    else:
        raise Invalid.field("scope", "must be mine or venture")
    if start is not None and end is not None:
        _check_range(start, end)
    if start is not None:
        stmt = stmt.where(col(IncentiveDaily.business_date) >= start)
    if end is not None:
        stmt = stmt.where(col(IncentiveDaily.business_date) <= end)
    keys = [SortKey(IncentiveDaily.business_date), SortKey(IncentiveDaily.id)]
    page = paginate(
        uow.session, stmt, keys, lambda r: (r.business_date, r.id), cursor=cursor, limit=limit
    )
    return Page(_views(uow, page.items), page.next_cursor, page.has_more)


def list_plans(uow: UnitOfWork, actor: Actor, venture_id: int | None = None) -> list[PlanView]:
    """The plans of the ventures in scope the actor may read (``incentives.plans.read``)."""
    actor.require("incentives.plans.read")
    stmt = select(IncentivePlan).where(actor.scope.venture_clause(IncentivePlan.venture_id))
    if venture_id is not None:
        load_venture(uow, actor, venture_id)
        stmt = stmt.where(IncentivePlan.venture_id == venture_id)
    plans = list(
        uow.session.execute(
            stmt.order_by(col(IncentivePlan.venture_id), col(IncentivePlan.name))
        ).scalars()
    )
    ids = [p.id for p in plans]
    rules: dict[int, list[IncentiveRule]] = defaultdict(list)
    if ids:
        for r in uow.session.execute(
            select(IncentiveRule).where(col(IncentiveRule.plan_id).in_(ids))
        ).scalars():
            rules[r.plan_id].append(r)
    codes = dict(uow.session.execute(select(Venture.id, Venture.code)).all())
    return [
        plan_view(
            p,
            rules[p.id or 0],
            codes.get(p.venture_id, ""),
            actor.can("incentives.plans.manage", p.venture_id),
        )
        for p in plans
    ]


def commit_ventures(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    """(id, code) of the ventures in scope where the actor may commit incentives (forms)."""
    if not actor.can("incentives.commit"):
        return []
    stmt = (
        select(Venture.id, Venture.code)
        .where(actor.scope.venture_clause(Venture.id), col(Venture.is_active).is_(True))
        .order_by(Venture.code)
    )
    return [(int(i), str(c)) for i, c in uow.session.execute(stmt)]


def readable_ventures(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    """(id, code) of the ventures whose incentives the actor may read (the venture page)."""
    if not actor.can("incentives.venture.read"):
        return []
    stmt = (
        select(Venture.id, Venture.code)
        .where(actor.scope.venture_clause(Venture.id))
        .order_by(Venture.code)
    )
    return [(int(i), str(c)) for i, c in uow.session.execute(stmt)]
