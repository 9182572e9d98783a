"""The BPO dashboard: headline numbers of a period against the previous one and a point per day
for the trend charts, read from BpoKpiDaily (pre-aggregated per venture and day); the funnel
dials -> connects -> appointments -> deals per campaign and the agent leaderboard by deals, read
as SQL aggregates of the call logs in scope over the period's business dates.

Every ratio is a ratio of sums (connect rate = connects / dials, conversion = deals / connects,
average handle time = talk seconds / connected calls), ``None`` for a zero denominator.
The period follows the dashboards' rule (``domain.analytics.dashboards``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, false, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from domain import cache, clock
from domain.access.actor import Actor
from domain.access.wing_scope import venture_ids_of_types
from domain.analytics.dashboards import (
    Headline,
    dashboard_period,
    dashboard_timezone,
    headline,
    ratio,
    single_currency,
)
from domain.analytics.kpi_days import DaysRead, read_kpi_days
from domain.analytics.overview import OverviewPart, number
from domain.analytics.ranges import DateRange, Preset, check_range
from domain.bpo import kpi
from domain.bpo.access import call_clause
from domain.bpo.models import BPO_VENTURE_TYPES, BpoAgent, BpoCallLog, BpoCampaign, BpoKpiDaily
from domain.db import UnitOfWork, pk
from domain.errors import NotFound
from domain.org.models import User, Venture, VentureUser
from domain.org.schemas import VentureView
from domain.schemas import View

DASHBOARD_READ = "bpo.kpi.read"
# The cache entry; invalidated by the KPI day handlers and by campaign and agent changes.
DASHBOARD = "bpo.dashboard"
LEADERBOARD_SIZE = 20
ZERO = Decimal("0.00")


class BpoTotals(View):
    """A period's sums (or one day's) and the ratios of those sums."""

    dials: int = 0
    connects: int = 0
    talk_seconds: int = 0
    appointments: int = 0
    deals: int = 0
    revenue: Decimal = ZERO
    connect_rate: Decimal | None = None
    conversion: Decimal | None = None
    average_handle_seconds: Decimal | None = None
    average_qa: Decimal | None = None

    @property
    def talk_minutes(self) -> Decimal:
        return (Decimal(self.talk_seconds) / 60).quantize(Decimal("0.1"))


class BpoPoint(BpoTotals):
    day: date


class FunnelRow(View):
    """One campaign over the period: its funnel and the ratios between the steps."""

    campaign_id: int
    venture_id: int
    name: str
    client: str
    dials: int
    connects: int
    appointments: int
    deals: int
    revenue: Decimal
    connect_rate: Decimal | None
    appointment_rate: Decimal | None  # appointments / connects
    conversion: Decimal | None  # deals / connects


class LeaderRow(View):
    rank: int
    agent_id: int
    name: str
    campaign: str
    calls: int
    connects: int
    appointments: int
    deals: int
    revenue: Decimal
    conversion: Decimal | None


class BpoDashboard(View):
    start: date
    end: date
    previous_start: date
    previous_end: date
    venture_ids: list[int]
    currency: str | None
    current: BpoTotals
    previous: BpoTotals
    headlines: list[Headline]
    series: list[BpoPoint]
    funnel: list[FunnelRow]
    leaders: list[LeaderRow]
    computed_now: list[date] = []  # days that had no stored row: computed now and stored
    computed_note: str = ""  # what the page says about them (analytics.kpi_days)


# -- ventures and windows -------------------------------------------------------------------------


def bpo_venture_ids(uow: UnitOfWork, actor: Actor, *, active_only: bool = False) -> list[int]:
    return sorted(venture_ids_of_types(uow, actor, BPO_VENTURE_TYPES, active_only=active_only))


def _ventures(uow: UnitOfWork, actor: Actor, venture_id: int | None) -> list[Venture]:
    ids = bpo_venture_ids(uow, actor)
    if venture_id is not None:
        if venture_id not in ids:
            raise NotFound("venture", venture_id)
        ids = [venture_id]
    if not ids:
        return []
    return list(
        uow.session.execute(
            select(Venture).where(col(Venture.id).in_(ids)).order_by(col(Venture.id))
        ).scalars()
    )


def _window(ventures: list[Venture], start: date, end: date) -> Any:
    """Call logs started on a business date in [start, end] of their own venture."""
    parts = []
    for v in ventures:
        lo = clock.day_bounds_utc(start, v.timezone)[0]
        hi = clock.day_bounds_utc(end, v.timezone)[1]
        parts.append(
            and_(
                col(BpoCallLog.venture_id) == pk(v),
                col(BpoCallLog.started_at) >= lo,
                col(BpoCallLog.started_at) < hi,
            )
        )
    return or_(*parts) if parts else false()


def _flag(column: Any) -> Any:
    return func.coalesce(func.sum(case((col(column).is_(True), 1), else_=0)), 0)


def ventures_for(uow: UnitOfWork, actor: Actor, action: str) -> list[VentureView]:
    """The active BPO ventures in scope where the actor may do ``action``, by name (what a
    page offers to import into; the import checks again)."""
    from domain.org.queries import list_ventures

    ids = set(bpo_venture_ids(uow, actor, active_only=True))
    return [v for v in list_ventures(uow, actor) if v.id in ids and actor.can(action, v.id)]


class Candidate(View):
    id: int
    name: str
    venture_id: int


def agent_candidates(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> list[Candidate]:
    """Active people of the BPO ventures in scope (or one): whom the agent form offers (the
    service checks the choice again; one agent row per person and campaign)."""
    actor.require("bpo.agents.manage")
    ids = [v.id for v in ventures_for(uow, actor, "bpo.agents.manage")]
    if venture_id is not None:
        ids = [i for i in ids if i == venture_id]
    if not ids:
        return []
    rows = uow.session.execute(
        select(col(User.id), col(User.name), col(VentureUser.venture_id))
        .join(VentureUser, col(VentureUser.user_id) == col(User.id))
        .where(
            col(VentureUser.venture_id).in_(ids),
            col(User.is_active).is_(True),
            col(User.is_service_account).is_(False),
        )
        .order_by(col(User.name), col(User.id))
        .limit(500)
    ).all()
    return [Candidate(id=int(i), name=n, venture_id=int(v)) for i, n, v in rows]


class CallLabels(View):
    """What a page shows next to a call or an agent it already read through scope."""

    campaign: str = ""
    agent: str = ""
    email: str = ""
    currency: str = ""


def labels(
    uow: UnitOfWork, *, agent_ids: set[int], campaign_ids: set[int], venture_ids: set[int]
) -> tuple[dict[int, CallLabels], dict[int, str], dict[int, str]]:
    """Names of agents (their person), campaigns and venture currencies by id, for rows the
    caller already read through the domain's scope (display only)."""
    agents: dict[int, CallLabels] = {}
    if agent_ids:
        for aid, name, email in uow.session.execute(
            sa_select(col(BpoAgent.id), col(User.name), col(User.email))
            .join(User, col(User.id) == col(BpoAgent.user_id))
            .where(col(BpoAgent.id).in_(sorted(agent_ids)))
        ):
            agents[int(aid)] = CallLabels(agent=name, email=email)
    campaigns = (
        {
            int(i): str(n)
            for i, n in uow.session.execute(
                sa_select(col(BpoCampaign.id), col(BpoCampaign.name)).where(
                    col(BpoCampaign.id).in_(sorted(campaign_ids))
                )
            )
        }
        if campaign_ids
        else {}
    )
    currencies = (
        {
            int(i): str(c)
            for i, c in uow.session.execute(
                sa_select(col(Venture.id), col(Venture.currency)).where(
                    col(Venture.id).in_(sorted(venture_ids))
                )
            )
        }
        if venture_ids
        else {}
    )
    return agents, campaigns, currencies


def my_agents(uow: UnitOfWork, actor: Actor) -> list[tuple[int, int, str]]:
    """The actor's own active agent rows in the BPO ventures in scope, as (agent id, campaign
    id, campaign name): what the log-a-call form offers (the service checks again)."""
    ids = bpo_venture_ids(uow, actor, active_only=True)
    if not ids:
        return []
    rows = uow.session.execute(
        sa_select(col(BpoAgent.id), col(BpoCampaign.id), col(BpoCampaign.name))
        .join(BpoCampaign, col(BpoCampaign.id) == col(BpoAgent.campaign_id))
        .where(
            col(BpoAgent.user_id) == actor.user_id,
            col(BpoAgent.active).is_(True),
            col(BpoCampaign.active).is_(True),
            col(BpoAgent.venture_id).in_(ids),
        )
        .order_by(col(BpoCampaign.name))
    ).all()
    return [(int(a), int(c), str(n)) for a, c, n in rows]


# -- the daily table ------------------------------------------------------------------------------


def _stored_days(
    uow: UnitOfWork, ventures: list[Venture], start: date, end: date
) -> list[BpoKpiDaily]:
    return list(
        uow.session.execute(
            select(BpoKpiDaily).where(
                col(BpoKpiDaily.venture_id).in_([pk(v) for v in ventures]),
                col(BpoKpiDaily.day) >= start,
                col(BpoKpiDaily.day) <= end,
            )
        ).scalars()
    )


def _compute_days(conn: Connection, venture_id: int, days: list[date]) -> None:
    kpi.recompute_days_in(conn, venture_id, days, keep_empty=True)


def _read_days(uow: UnitOfWork, ventures: list[Venture], start: date, end: date) -> DaysRead:
    """The stored days of [start, end]; a day up to today without a row is computed from the
    call logs and KPI records by the KPI write (the job's) and stored once
    (``analytics.kpi_days``)."""
    table = BpoKpiDaily.__table__  # type: ignore[attr-defined]
    read = read_kpi_days(uow, table, ventures, start, end, _compute_days)
    read.rows = [BpoKpiDaily(**dict(r._mapping)) for r in read.rows]
    return read


def totals(rows: list[BpoKpiDaily]) -> BpoTotals:
    """Sums of days (of one or several ventures) and the ratios of the sums."""
    dials = sum(int(r.dials) for r in rows)
    connects = sum(int(r.connects) for r in rows)
    # Talk seconds of a day: its average handle time times its connects (exact: both stored
    # from the same sums), else its minutes.
    talk = sum(
        int((Decimal(r.avg_handle_seconds) * r.connects).to_integral_value())
        if r.avg_handle_seconds is not None
        else int(Decimal(r.talk_minutes) * 60)
        for r in rows
    )
    deals = sum(int(r.deals) for r in rows)
    # BpoKpiDaily keeps no count of QA scores: the mean of the days' averages (a known limit).
    qa_days = [Decimal(r.avg_qa) for r in rows if r.avg_qa is not None]
    qa = ratio(sum(qa_days, start=Decimal(0)), len(qa_days))
    return BpoTotals(
        dials=dials,
        connects=connects,
        talk_seconds=talk,
        appointments=sum(int(r.appointments) for r in rows),
        deals=deals,
        revenue=sum((Decimal(r.revenue) for r in rows), start=ZERO),
        connect_rate=ratio(connects, dials),
        conversion=ratio(deals, connects),
        average_handle_seconds=ratio(talk, connects),
        average_qa=None if qa is None else qa.quantize(Decimal("0.01")),
    )


HEADLINES = (
    ("dials", "Dials", "count"),
    ("connects", "Connects", "count"),
    ("connect_rate", "Connect rate", "ratio"),
    ("appointments", "Appointments", "count"),
    ("deals", "Deals", "count"),
    ("conversion", "Conversion", "ratio"),
    ("revenue", "Revenue", "money"),
    ("average_qa", "Average QA", "count"),
)


# -- funnel and leaderboard -----------------------------------------------------------------------


def funnel(
    uow: UnitOfWork, actor: Actor, ventures: list[Venture], start: date, end: date
) -> list[FunnelRow]:
    """Each campaign with calls in the period: dials -> connects -> appointments -> deals."""
    L = BpoCallLog
    rows = uow.session.execute(
        sa_select(
            col(L.campaign_id),
            func.coalesce(func.sum(col(L.dial_count)), 0),
            _flag(L.connected),
            _flag(L.appointment_set),
            _flag(L.deal_won),
            func.coalesce(func.sum(col(L.revenue)), 0),
        )
        .where(call_clause(uow, actor), _window(ventures, start, end))
        .group_by(col(L.campaign_id))
    ).all()
    if not rows:
        return []
    campaigns = {
        pk(c): c
        for c in uow.session.execute(
            select(BpoCampaign).where(col(BpoCampaign.id).in_([r[0] for r in rows]))
        ).scalars()
    }
    out = []
    for cid, dials, connects, appts, deals, revenue in rows:
        c = campaigns[cid]
        dials, connects, appts, deals = int(dials), int(connects), int(appts), int(deals)
        out.append(
            FunnelRow(
                campaign_id=cid,
                venture_id=c.venture_id,
                name=c.name,
                client=c.client or "",
                dials=dials,
                connects=connects,
                appointments=appts,
                deals=deals,
                revenue=Decimal(revenue).quantize(Decimal("0.01")),
                connect_rate=ratio(connects, dials),
                appointment_rate=ratio(appts, connects),
                conversion=ratio(deals, connects),
            )
        )
    return sorted(out, key=lambda r: (-r.dials, r.name))


def leaderboard(
    uow: UnitOfWork,
    actor: Actor,
    ventures: list[Venture],
    start: date,
    end: date,
    *,
    size: int = LEADERBOARD_SIZE,
) -> list[LeaderRow]:
    """Agents by deals won in the period (then revenue, then fewer calls), at most ``size``."""
    L = BpoCallLog
    deals = _flag(L.deal_won)
    revenue = func.coalesce(func.sum(col(L.revenue)), 0)
    calls = func.count(col(L.id))
    rows = uow.session.execute(
        sa_select(
            col(L.agent_id),
            calls,
            _flag(L.connected),
            _flag(L.appointment_set),
            deals,
            revenue,
        )
        .where(call_clause(uow, actor), _window(ventures, start, end))
        .group_by(col(L.agent_id))
        .order_by(deals.desc(), revenue.desc(), calls.asc(), col(L.agent_id))
        .limit(size)
    ).all()
    if not rows:
        return []
    agents = {
        pk(a): a
        for a in uow.session.execute(
            select(BpoAgent).where(col(BpoAgent.id).in_([r[0] for r in rows]))
        ).scalars()
    }
    names = {
        int(i): n
        for i, n in uow.session.execute(
            select(col(User.id), col(User.name)).where(
                col(User.id).in_(sorted({a.user_id for a in agents.values()}))
            )
        )
    }
    campaign_ids = {a.campaign_id for a in agents.values() if a.campaign_id}
    campaigns = {
        pk(c): c.name
        for c in uow.session.execute(
            select(BpoCampaign).where(col(BpoCampaign.id).in_(sorted(campaign_ids)))
        ).scalars()
    }
    out = []
    for rank, (aid, n, connects, appts, won, rev) in enumerate(rows, start=1):
        a = agents[aid]
        out.append(
            LeaderRow(
                rank=rank,
                agent_id=aid,
                name=names.get(a.user_id, f"Agent {aid}"),
                campaign=campaigns.get(a.campaign_id, "") if a.campaign_id else "",
                calls=int(n),
                connects=int(connects),
                appointments=int(appts),
                deals=int(won),
                revenue=Decimal(rev).quantize(Decimal("0.01")),
                conversion=ratio(int(won), int(connects)),
            )
        )
    return out


# -- the dashboard --------------------------------------------------------------------------------


def kpi_days(
    uow: UnitOfWork,
    actor: Actor,
    start: date,
    end: date,
    *,
    venture_id: int | None = None,
) -> list[BpoKpiDaily]:
    """BpoKpiDaily rows of the BPO ventures in scope (or one), by venture and day."""
    actor.require(DASHBOARD_READ)
    check_range(start, end)
    ventures = _ventures(uow, actor, venture_id)
    rows = _stored_days(uow, ventures, start, end) if ventures else []
    return sorted(rows, key=lambda r: (r.venture_id, r.day))


def bpo_dashboard(
    uow: UnitOfWork,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
    *,
    venture_id: int | None = None,
    preset: Preset | str | None = None,
) -> BpoDashboard:
    """Headlines of [start, end] against the previous period of the same length, a point per
    day, the funnel per campaign and the leaderboard by deals. ``end`` defaults to today (the
    venture's business date), ``start`` to 30 days before it; a ``preset`` is the quick range
    ending on ``end``."""
    actor.require(DASHBOARD_READ)
    ventures = _ventures(uow, actor, venture_id)
    period = dashboard_period(dashboard_timezone(ventures), start, end, preset)
    ids = [pk(v) for v in ventures]
    return cache.cached(
        DASHBOARD,
        actor,
        {"start": period.start, "end": period.end, "ventures": ids},
        ids,
        lambda: _dashboard(uow, actor, ventures, period),
        BpoDashboard,
        # An agent's funnel and leaderboard are of their own calls: their entry is theirs.
        personal=not actor.can("bpo.calls.read_all"),
        on_hit=_nothing_computed_now,
    )


def _nothing_computed_now(dash: BpoDashboard) -> BpoDashboard:
    """A cached dashboard computed nothing now (the days it computed are stored since)."""
    return dash.model_copy(update={"computed_now": [], "computed_note": ""})


def _dashboard(
    uow: UnitOfWork, actor: Actor, ventures: list[Venture], period: DateRange
) -> BpoDashboard:
    before = period.previous()
    currency = single_currency(ventures)
    read = _read_days(uow, ventures, before.start, period.end)
    rows: list[BpoKpiDaily] = read.rows
    current_rows = [r for r in rows if r.day >= period.start]
    current = totals(current_rows)
    previous = totals([r for r in rows if r.day < period.start])
    by_day: dict[date, list[BpoKpiDaily]] = defaultdict(list)
    for r in current_rows:
        by_day[r.day].append(r)
    series = []
    d = period.start
    while d <= period.end:
        series.append(BpoPoint(**totals(by_day.get(d, [])).model_dump(), day=d))
        d += timedelta(days=1)
    return BpoDashboard(
        start=period.start,
        end=period.end,
        previous_start=before.start,
        previous_end=before.end,
        venture_ids=[pk(v) for v in ventures],
        currency=currency,
        current=current,
        previous=previous,
        headlines=[
            headline(m, label, kind, getattr(current, m), getattr(previous, m))
            for m, label, kind in HEADLINES
        ],
        series=series,
        funnel=funnel(uow, actor, ventures, period.start, period.end) if ventures else [],
        leaders=leaderboard(uow, actor, ventures, period.start, period.end) if ventures else [],
        computed_now=read.computed,
        computed_note=read.note,
    )


__all__ = [
    "BpoDashboard",
    "BpoPoint",
    "BpoTotals",
    "CallLabels",
    "Candidate",
    "FunnelRow",
    "LeaderRow",
    "agent_candidates",
    "bpo_dashboard",
    "funnel",
    "kpi_days",
    "labels",
    "leaderboard",
    "my_agents",
    "totals",
    "ventures_for",
]


def overview_numbers(
    uow: UnitOfWork, ventures: list[Venture], period: DateRange
) -> dict[int, OverviewPart]:
    """Each BPO venture's row on the leadership overview: deals, conversion (deals / connects)
    and revenue of the period against the previous one, from BpoKpiDaily."""
    before = period.previous()
    read = _read_days(uow, ventures, before.start, period.end)
    out = {}
    for v in ventures:
        mine = [r for r in read.rows if r.venture_id == pk(v)]
        cur = totals([r for r in mine if r.day >= period.start])
        prev = totals([r for r in mine if r.day < period.start])
        out[pk(v)] = OverviewPart(
            [
                number("deals", "Deals", "count", cur.deals, prev.deals),
                number("conversion", "Conversion", "ratio", cur.conversion, prev.conversion),
                number("revenue", "Revenue", "money", cur.revenue, prev.revenue, v.currency),
            ],
            read.computed,
        )
    return out
