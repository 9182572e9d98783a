"""Who sees which BPO rows: the wing's scope rules in one place, as SQL clauses.

- Only BPO ventures hold BPO data; every clause is limited to the BPO ventures in scope.
- Campaigns and agents are the venture's set-up: read by venture scope.
- Call logs: roles with ``bpo.calls.read_all`` (managers, the auditor) read those of their
  ventures (narrowed to the campaigns of their offices for roles with assigned offices); every
  other reader (an agent) only the calls of their own agents.

A row out of scope answers ``NotFound`` exactly like a missing row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.access.wing_scope import require_venture_of_types, typed_venture_clause
from domain.bpo.models import BPO_VENTURE_TYPES, BpoAgent, BpoCallLog, BpoCampaign
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.org.models import User, Venture


def bpo_clause(
    uow: UnitOfWork, actor: Actor, column: Any, venture_id: int | None = None
) -> ColumnElement[bool]:
    return typed_venture_clause(uow, actor, column, BPO_VENTURE_TYPES, venture_id)


def require_bpo_venture(
    uow: UnitOfWork, actor: Actor, venture_id: int, *, field: str = "venture_id"
) -> Venture:
    return require_venture_of_types(
        uow, actor, venture_id, BPO_VENTURE_TYPES, "call-centre campaigns", field=field
    )


def call_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    """The call logs the actor reads (see the module's rules)."""
    clause = bpo_clause(uow, actor, BpoCallLog.venture_id, venture_id)
    if not actor.can("bpo.calls.read_all"):
        own = select(BpoAgent.id).where(col(BpoAgent.user_id) == actor.user_id)
        return clause & col(BpoCallLog.agent_id).in_(own)
    if not actor.scope.all_offices:
        offices = select(BpoCampaign.id).where(actor.scope.office_clause(BpoCampaign.office_id))
        clause = clause & col(BpoCallLog.campaign_id).in_(offices)
    return clause


def get_campaign(uow: UnitOfWork, actor: Actor, campaign_id: int) -> BpoCampaign:
    actor.require("bpo.campaigns.read")
    row = uow.session.execute(
        select(BpoCampaign).where(
            col(BpoCampaign.id) == campaign_id, bpo_clause(uow, actor, BpoCampaign.venture_id)
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("campaign", campaign_id)
    return row


def get_agent(uow: UnitOfWork, actor: Actor, agent_id: int) -> BpoAgent:
    """An agent in scope: readers of agents see the venture's; anyone else only their own."""
    stmt = select(BpoAgent).where(
        col(BpoAgent.id) == agent_id, bpo_clause(uow, actor, BpoAgent.venture_id)
    )
    if not actor.can("bpo.agents.read"):
        stmt = stmt.where(col(BpoAgent.user_id) == actor.user_id)
    row = uow.session.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NotFound("agent", agent_id)
    return row


def get_call(uow: UnitOfWork, actor: Actor, call_id: int) -> BpoCallLog:
    actor.require("bpo.calls.read")
    row = uow.session.execute(
        select(BpoCallLog).where(col(BpoCallLog.id) == call_id, call_clause(uow, actor))
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("call", call_id)
    return row


def campaign_for_write(
    uow: UnitOfWork, actor: Actor, campaign_id: int, venture_id: int, *, field: str
) -> BpoCampaign:
    """The campaign an agent or call names: in scope, and of ``venture_id`` (Invalid on
    ``field`` otherwise, so a call never mixes two ventures)."""
    campaign = uow.session.get(BpoCampaign, campaign_id)
    if campaign is None or not actor.scope.allows_venture(campaign.venture_id):
        raise Invalid.field(field, f"campaign {campaign_id} does not exist")
    if campaign.venture_id != venture_id:
        raise Invalid.field(field, "is a campaign of another venture")
    return campaign


def require_office(actor: Actor, office_id: int, venture_id: int) -> None:
    if not actor.scope.allows_office(office_id, venture_id):
        raise Invalid.field("office_id", "is not one of your offices")


def import_targets(
    uow: UnitOfWork, actor: Actor, venture_id: int
) -> tuple[dict[str, int], dict[tuple[str, int], int]]:
    """What a CSV of the venture may name (the caller has checked the venture and the role):
    its campaigns in the actor's offices by lower-cased name, and their agents by (lower-cased
    e-mail, campaign id). Anything else in a file is an unknown campaign or agent."""
    office_ok = select(BpoCampaign.id).where(
        col(BpoCampaign.venture_id) == venture_id,
        actor.scope.office_clause(BpoCampaign.office_id),
    )
    campaigns = {
        name.lower(): int(cid)
        for cid, name in uow.session.execute(
            select(BpoCampaign.id, BpoCampaign.name).where(col(BpoCampaign.id).in_(office_ok))
        ).all()
    }
    agents = {
        (email.lower(), int(cid)): int(aid)
        for aid, cid, email in uow.session.execute(
            select(BpoAgent.id, BpoAgent.campaign_id, User.email)
            .join(User, col(User.id) == BpoAgent.user_id)
            .where(col(BpoAgent.campaign_id).in_(office_ok))
        ).all()
    }
    return campaigns, agents
