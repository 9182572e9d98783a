"""Campaigns and agents: the venture's set-up (manager-like roles, within their offices)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import col, select

from domain import cache
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.bpo.access import (
    campaign_for_write,
    get_agent,
    get_campaign,
    require_bpo_venture,
    require_office,
)
from domain.bpo.audit import BpoAudit
from domain.bpo.dashboard import DASHBOARD
from domain.bpo.models import BpoAgent, BpoCampaign
from domain.bpo.schemas import (
    AgentInput,
    AgentPatch,
    AgentView,
    CampaignInput,
    CampaignPatch,
    CampaignView,
)
from domain.db import UnitOfWork, pk
from domain.errors import Invalid, Unique, duplicates_as_conflict
from domain.org.models import Office, VentureUser
from domain.schemas import apply_patch, parse, patch_values

CAMPAIGN_NAME = Unique("bpo_campaign", ("venture_id", "name"), "name", "is already a campaign")
AGENT_KEY = Unique(
    "bpo_agent", ("user_id", "campaign_id"), "user_id", "is already an agent of this campaign"
)


def create_campaign(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | CampaignInput
) -> CampaignView:
    inp = parse(CampaignInput, data)
    venture = require_bpo_venture(uow, actor, inp.venture_id)
    actor.require("bpo.campaigns.manage", pk(venture))
    office = uow.session.get(Office, inp.office_id)
    if office is None or office.venture_id != venture.id:
        raise Invalid.field("office_id", f"is not an office of {venture.code}")
    require_office(actor, pk(office), pk(venture))
    campaign = BpoCampaign(**inp.model_dump())
    with duplicates_as_conflict(uow.session, CAMPAIGN_NAME):
        uow.session.add(campaign)
    audit(
        uow,
        actor,
        BpoAudit.CAMPAIGN_CREATED,
        entity_type="bpo_campaign",
        entity_id=campaign.id,
        venture_id=campaign.venture_id,
        detail={"name": campaign.name, "client": campaign.client},
    )
    # Names and links on the dashboard's funnel and leaderboard.
    cache.invalidate_after_commit(uow, DASHBOARD, campaign.venture_id)
    return CampaignView.model_validate(campaign)


def update_campaign(
    uow: UnitOfWork, actor: Actor, campaign_id: int, data: Mapping[str, Any] | CampaignPatch
) -> CampaignView:
    campaign = get_campaign(uow, actor, campaign_id)
    actor.require("bpo.campaigns.manage", campaign.venture_id)
    require_office(actor, campaign.office_id, campaign.venture_id)
    changes = patch_values(parse(CampaignPatch, data))
    with duplicates_as_conflict(uow.session, CAMPAIGN_NAME):
        before = apply_patch(campaign, changes)
    audit(
        uow,
        actor,
        BpoAudit.CAMPAIGN_UPDATED,
        entity_type="bpo_campaign",
        entity_id=campaign.id,
        venture_id=campaign.venture_id,
        detail={"before": before, "after": changes},
    )
    # Names and links on the dashboard's funnel and leaderboard.
    cache.invalidate_after_commit(uow, DASHBOARD, campaign.venture_id)
    return CampaignView.model_validate(campaign)


def create_agent(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | AgentInput) -> AgentView:
    """Link a user (a member of the campaign's venture) to a campaign."""
    inp = parse(AgentInput, data)
    campaign = get_campaign(uow, actor, inp.campaign_id)
    actor.require("bpo.agents.manage", campaign.venture_id)
    require_office(actor, campaign.office_id, campaign.venture_id)
    member = uow.session.execute(
        select(VentureUser.id).where(
            col(VentureUser.user_id) == inp.user_id,
            col(VentureUser.venture_id) == campaign.venture_id,
        )
    ).first()
    if member is None:
        raise Invalid.field("user_id", "is not a member of the campaign's venture")
    agent = BpoAgent(
        user_id=inp.user_id,
        venture_id=campaign.venture_id,
        campaign_id=pk(campaign),
        active=inp.active,
    )
    with duplicates_as_conflict(uow.session, AGENT_KEY):
        uow.session.add(agent)
    audit(
        uow,
        actor,
        BpoAudit.AGENT_CREATED,
        entity_type="bpo_agent",
        entity_id=agent.id,
        venture_id=agent.venture_id,
        detail={"user_id": agent.user_id, "campaign_id": agent.campaign_id},
    )
    cache.invalidate_after_commit(uow, DASHBOARD, agent.venture_id)
    return AgentView.model_validate(agent)


def update_agent(
    uow: UnitOfWork, actor: Actor, agent_id: int, data: Mapping[str, Any] | AgentPatch
) -> AgentView:
    actor.require("bpo.agents.manage")
    agent = get_agent(uow, actor, agent_id)
    actor.require("bpo.agents.manage", agent.venture_id)
    campaign = campaign_for_write(
        uow, actor, agent.campaign_id, agent.venture_id, field="campaign_id"
    )
    require_office(actor, campaign.office_id, campaign.venture_id)
    changes = patch_values(parse(AgentPatch, data))
    before = apply_patch(agent, changes)
    uow.session.flush()
    audit(
        uow,
        actor,
        BpoAudit.AGENT_UPDATED,
        entity_type="bpo_agent",
        entity_id=agent.id,
        venture_id=agent.venture_id,
        detail={"before": before, "after": changes},
    )
    cache.invalidate_after_commit(uow, DASHBOARD, agent.venture_id)
    return AgentView.model_validate(agent)
