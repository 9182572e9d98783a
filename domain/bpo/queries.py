"""BPO reads: campaigns, agents, call logs (cursor lists, in scope), "my calls today"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import and_, or_
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.bpo.access import (
    bpo_clause,
    call_clause,
    get_agent,
    get_call,
    get_campaign,
    require_bpo_venture,
)
from domain.bpo.models import BpoAgent, BpoCallLog, BpoCampaign, BpoKpiDaily
from domain.bpo.schemas import AgentView, CallView, CampaignView, KpiDailyView
from domain.bpo.views import call_view
from domain.db import UnitOfWork
from domain.errors import Invalid
from domain.org.models import Venture
from domain.pagination import Page, SortKey, paginate


class CallOutcome(StrEnum):
    """The call list's outcome filter: the furthest a call got."""

    NOT_CONNECTED = "NOT_CONNECTED"
    CONNECTED = "CONNECTED"
    APPOINTMENT = "APPOINTMENT"
    DEAL = "DEAL"


def list_campaigns(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    active: bool | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CampaignView]:
    actor.require("bpo.campaigns.read")
    stmt = select(BpoCampaign).where(bpo_clause(uow, actor, BpoCampaign.venture_id, venture_id))
    if active is not None:
        stmt = stmt.where(col(BpoCampaign.active).is_(active))
    keys = [SortKey(BpoCampaign.name, descending=False), SortKey(BpoCampaign.id, False)]
    page = paginate(uow.session, stmt, keys, lambda c: (c.name, c.id), cursor=cursor, limit=limit)
    return page.map(CampaignView.model_validate)


def get_campaign_view(uow: UnitOfWork, actor: Actor, campaign_id: int) -> CampaignView:
    return CampaignView.model_validate(get_campaign(uow, actor, campaign_id))


def list_agents(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    campaign_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[AgentView]:
    actor.require("bpo.agents.read")
    stmt = select(BpoAgent).where(bpo_clause(uow, actor, BpoAgent.venture_id, venture_id))
    if campaign_id is not None:
        stmt = stmt.where(col(BpoAgent.campaign_id) == campaign_id)
    keys = [SortKey(BpoAgent.id, descending=False)]
    page = paginate(uow.session, stmt, keys, lambda a: (a.id,), cursor=cursor, limit=limit)
    return page.map(AgentView.model_validate)


def get_agent_view(uow: UnitOfWork, actor: Actor, agent_id: int) -> AgentView:
    return AgentView.model_validate(get_agent(uow, actor, agent_id))


@dataclass(frozen=True)
class CallFilter:
    venture_id: int | None = None
    campaign_id: int | None = None
    agent_id: int | None = None
    outcome: CallOutcome | None = None
    start: date | None = None  # business dates (the venture's timezone), both included
    end: date | None = None


def list_calls(
    uow: UnitOfWork,
    actor: Actor,
    filters: CallFilter | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CallView]:
    """Call logs the actor reads, newest first. A date range needs one venture (its timezone
    decides the business date); without ``venture_id`` the actor's single BPO venture is used."""
    actor.require("bpo.calls.read")
    f = filters or CallFilter()
    stmt = select(BpoCallLog).where(call_clause(uow, actor, f.venture_id))
    if f.campaign_id is not None:
        stmt = stmt.where(col(BpoCallLog.campaign_id) == f.campaign_id)
    if f.agent_id is not None:
        stmt = stmt.where(col(BpoCallLog.agent_id) == f.agent_id)
    if f.outcome is CallOutcome.NOT_CONNECTED:
        stmt = stmt.where(col(BpoCallLog.connected).is_(False))
    elif f.outcome is CallOutcome.CONNECTED:
        stmt = stmt.where(col(BpoCallLog.connected).is_(True))
    elif f.outcome is CallOutcome.APPOINTMENT:
        stmt = stmt.where(col(BpoCallLog.appointment_set).is_(True))
    elif f.outcome is CallOutcome.DEAL:
        stmt = stmt.where(col(BpoCallLog.deal_won).is_(True))
    if f.start is not None or f.end is not None:
        if f.venture_id is None:
            raise Invalid.field("venture_id", "is needed with a date range (its timezone)")
        if f.start is not None and f.end is not None and f.end < f.start:
            raise Invalid.field("end", "is before start")
        venture = uow.session.get(Venture, f.venture_id)
        tz = venture.timezone if venture is not None else "UTC"
        if f.start is not None:
            stmt = stmt.where(col(BpoCallLog.started_at) >= clock.day_bounds_utc(f.start, tz)[0])
        if f.end is not None:
            stmt = stmt.where(col(BpoCallLog.started_at) < clock.day_bounds_utc(f.end, tz)[1])
    keys = [SortKey(BpoCallLog.started_at), SortKey(BpoCallLog.id)]
    page = paginate(
        uow.session, stmt, keys, lambda c: (c.started_at, c.id), cursor=cursor, limit=limit
    )
    return page.map(call_view)


def get_call_view(uow: UnitOfWork, actor: Actor, call_id: int) -> CallView:
    return call_view(get_call(uow, actor, call_id))


def my_calls_today(uow: UnitOfWork, actor: Actor) -> list[CallView]:
    """The actor's own calls (through their agents) started today in their venture's timezone,
    newest first (one index-served range per venture)."""
    actor.require("bpo.calls.read")
    ventures = uow.session.execute(
        select(Venture.id, Venture.timezone)
        .where(
            col(Venture.id).in_(
                select(BpoAgent.venture_id).where(col(BpoAgent.user_id) == actor.user_id)
            )
        )
        .where(bpo_clause(uow, actor, Venture.id))
    ).all()
    if not ventures:
        return []
    ranges = []
    for venture_id, tz in ventures:
        start, end = clock.day_bounds_utc(clock.today(tz), tz)
        ranges.append(
            and_(
                col(BpoCallLog.venture_id) == venture_id,
                col(BpoCallLog.started_at) >= start,
                col(BpoCallLog.started_at) < end,
            )
        )
    own = select(BpoAgent.id).where(col(BpoAgent.user_id) == actor.user_id)
    rows = uow.session.execute(
        select(BpoCallLog)
        .where(or_(*ranges), col(BpoCallLog.agent_id).in_(own))
        .order_by(col(BpoCallLog.started_at).desc(), col(BpoCallLog.id).desc())
    ).scalars()
    return [call_view(c) for c in rows]


def kpi_days(
    uow: UnitOfWork, actor: Actor, venture_id: int, start: date, end: date
) -> list[KpiDailyView]:
    """BpoKpiDaily of one BPO venture in scope over [start, end] (at most 366 days), by day."""
    actor.require("bpo.kpi.read")
    venture = require_bpo_venture(uow, actor, venture_id, field="venture")
    actor.require("bpo.kpi.read", venture.id)
    if end < start:
        raise Invalid.field("to", "is before from")
    if (end - start).days > 366:
        raise Invalid.field("to", "the range is at most 366 days")
    rows = uow.session.execute(
        select(BpoKpiDaily)
        .where(
            col(BpoKpiDaily.venture_id) == venture_id,
            col(BpoKpiDaily.day) >= start,
            col(BpoKpiDaily.day) <= end,
        )
        .order_by(col(BpoKpiDaily.day))
    ).scalars()
    return [KpiDailyView.model_validate(r) for r in rows]
