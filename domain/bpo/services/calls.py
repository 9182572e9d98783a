"""Call logs: an agent logs their own calls; managers log for the agents of their campaigns.

Every check runs before the write, so a bad call writes nothing. A call with an end records
BpoCallCompleted through the outbox (its handler recomputes the venture's day).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import clock
from domain.access.actor import Actor
from domain.bpo.access import campaign_for_write, require_bpo_venture
from domain.bpo.events import BpoCallCompleted
from domain.bpo.models import BpoAgent, BpoCallLog, BpoCampaign
from domain.bpo.rules import call_problems
from domain.bpo.schemas import CallInput, CallView
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
