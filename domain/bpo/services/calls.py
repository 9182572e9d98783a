"""Call logs: an agent logs their own calls; managers log for the agents of their campaigns.

Every check runs before the write, so a bad call writes nothing. A call with an end records
BpoCallCompleted through the outbox (its handler recomputes the venture's day).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.bpo.access import campaign_for_write, import_targets, require_bpo_venture
from domain.bpo.audit import BpoAudit
from domain.bpo.csv_import import parse_calls_csv
from domain.bpo.events import BpoCallCompleted, BpoCallsImported
from domain.bpo.models import BpoAgent, BpoCallLog, BpoCampaign
from domain.bpo.rules import call_problems
from domain.bpo.schemas import CallInput, CallView, ImportResult
from domain.bpo.views import call_view
from domain.db import UnitOfWork, pk
from domain.errors import Invalid
from domain.events.outbox import record
from domain.org.models import Venture
from domain.schemas import parse


def agent_for_call(uow: UnitOfWork, actor: Actor, agent_id: int) -> BpoAgent:
    """The agent a call is credited to: one of the actor's own, or (for readers of every call)
    any agent of their ventures. Another venture's or someone else's agent: Invalid naming the
    field, exactly as a missing one."""
    agent = uow.session.get(BpoAgent, agent_id)
    visible = agent is not None and actor.scope.allows_venture(agent.venture_id)
    if visible and agent is not None and not actor.can("bpo.calls.read_all"):
        visible = agent.user_id == actor.user_id
    if agent is None or not visible:
        raise Invalid.field("agent_id", f"agent {agent_id} is not one you may log calls for")
    return agent


def check_call(
    uow: UnitOfWork, actor: Actor, inp: CallInput
) -> tuple[Venture, BpoAgent, BpoCampaign]:
    """Every rule of a call, the field errors gathered; nothing is written."""
    actor.require("bpo.calls.log")
    agent = agent_for_call(uow, actor, inp.agent_id)
    venture = require_bpo_venture(uow, actor, agent.venture_id, field="agent_id")
    actor.require("bpo.calls.log", pk(venture))
    errors = call_problems(inp.started_at, inp.ended_at, inp.dial_count)
    campaign: BpoCampaign | None = None
    try:
        campaign = campaign_for_write(uow, actor, inp.campaign_id, pk(venture), field="campaign_id")
    except Invalid as exc:
        errors.update(exc.fields)
    if campaign is not None and agent.campaign_id != campaign.id:
        errors["agent_id"] = "is not an agent of this campaign"
    if errors or campaign is None:
        raise Invalid(errors)
    return venture, agent, campaign


def log_call(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | CallInput) -> CallView:
    inp = parse(CallInput, data)
    venture, agent, campaign = check_call(uow, actor, inp)
    call = BpoCallLog(
        venture_id=pk(venture),
        agent_id=pk(agent),
        campaign_id=pk(campaign),
        created_by_id=actor.user_id,
        **inp.model_dump(exclude={"agent_id", "campaign_id"}),
    )
    uow.session.add(call)
    uow.session.flush()
    if call.ended_at is not None:
        record(uow, completed_event(call, agent, venture.timezone))
    return call_view(call)


def completed_event(call: BpoCallLog, agent: BpoAgent, tz: str) -> BpoCallCompleted:
    """The event of a call with an end (``user_id``: the agent's user, who is credited)."""
    return BpoCallCompleted(
        venture_id=call.venture_id,
        call_id=pk(call),
        agent_id=call.agent_id,
        campaign_id=call.campaign_id,
        business_date=clock.business_date(call.started_at, tz),
        connected=call.connected,
        deal_won=call.deal_won,
        user_id=agent.user_id,
    )


def import_calls_csv(
    uow: UnitOfWork, actor: Actor, venture_id: int, data: bytes, *, filename: str | None = None
) -> ImportResult:
    """The dialer's CSV: every line checked first; any bad line writes nothing (``Invalid``
    lists each by line number and field); otherwise every call is inserted in one transaction
    and the days touched are recomputed once (BpoCallsImported)."""
    venture = require_bpo_venture(uow, actor, venture_id)
    actor.require("bpo.calls.import", pk(venture))
    campaigns, agents = import_targets(uow, actor, pk(venture))
    lines = parse_calls_csv(data, campaigns, agents)
    now = clock.now()
    rows = [
        {
            "venture_id": pk(venture),
            "agent_id": ln.agent_id,
            "campaign_id": ln.campaign_id,
            "started_at": ln.started_at,
            "ended_at": ln.ended_at,
            "dial_count": ln.dial_count,
            "connected": ln.connected,
            "appointment_set": ln.appointment_set,
            "deal_won": ln.deal_won,
            "revenue": ln.revenue,
            "notes": ln.notes,
            "created_by_id": actor.user_id,
            "created_at": now,
        }
        for ln in lines
    ]
    conn = uow.session.connection()
    table = BpoCallLog.__table__  # type: ignore[attr-defined]
    for i in range(0, len(rows), 1_000):
        conn.execute(insert(table), rows[i : i + 1_000])
    days = sorted({clock.business_date(ln.started_at, venture.timezone) for ln in lines})
    record(
        uow,
        BpoCallsImported(venture_id=pk(venture), days=days, rows=len(rows), user_id=actor.user_id),
    )
    result = ImportResult(
        venture_id=pk(venture),
        rows_written=len(rows),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        days=len(days),
    )
    audit(
        uow,
        actor,
        BpoAudit.CALLS_IMPORTED,
        entity_type="venture",
        entity_id=venture.id,
        venture_id=pk(venture),
        detail={"file": (filename or "")[:120], "rows": len(rows), "days": len(days)},
    )
    return result
