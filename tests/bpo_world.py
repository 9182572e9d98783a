"""The small BPO world the interface tests (rx, API) work in, built through the real services on
the demo org: a campaign of PBP at Salt Lake and agent.pbp as its agent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from domain import clock
from domain.bpo import services
from domain.bpo.models import BpoAgent, BpoCampaign
from domain.db import unit_of_work
from tests.helpers import actor, office_id, user_id, venture_id

HEAD = "head.bpo@vcc.example"
AGENT = "agent.pbp@vcc.example"
LEAD = "lead.bpo@vcc.example"  # team lead of PBP, Salt Lake only


def campaign(name: str, office: str = "Salt Lake") -> int:
    pbp = venture_id("PBP")
    with unit_of_work() as uow:
        found = uow.session.execute(
            select(BpoCampaign).where(BpoCampaign.venture_id == pbp, BpoCampaign.name == name)
        ).scalar_one_or_none()
        if found is not None:
            return int(found.id)  # type: ignore[arg-type]
        return services.create_campaign(
            uow,
            actor(HEAD),
            {
                "venture_id": pbp,
                "office_id": office_id("PBP", office),
                "name": name,
                "client": f"{name} Client",
            },
        ).id


def agent_of(email: str, campaign_id: int) -> int:
    with unit_of_work() as uow:
        agent = uow.session.execute(
            select(BpoAgent).where(
                BpoAgent.user_id == user_id(email), BpoAgent.campaign_id == campaign_id
            )
        ).scalar_one_or_none()
        if agent is not None:
            return int(agent.id)  # type: ignore[arg-type]
        return services.create_agent(
            uow,
            actor(HEAD),
            {"user_id": user_id(email), "campaign_id": campaign_id},
        ).id


def world(name: str = "Rx Solar") -> tuple[int, int]:
    """(campaign id, agent id of agent.pbp)."""
    cid = campaign(name)
    return cid, agent_of(AGENT, cid)


def log_call(campaign_id: int, agent_id: int, *, minutes_ago: int = 60, **flags: object) -> int:
    start: datetime = clock.now() - timedelta(minutes=minutes_ago)
    with unit_of_work() as uow:
        return services.log_call(
            uow,
            actor(HEAD),
            {
                "campaign_id": campaign_id,
                "agent_id": agent_id,
                "started_at": start,
                "ended_at": start + timedelta(minutes=3),
                **flags,
            },
        ).id
