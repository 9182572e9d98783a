"""KPI records: one per (campaign, agent, business date), written by
``INSERT ... ON CONFLICT (campaign_id, agent_id, day) DO UPDATE``: the same record sent twice, or
from many connections at once, leaves one row with the last numbers, never a duplicate or an
error. Each write records BpoKpiUpserted, whose handler recomputes the venture's day."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.bpo.access import campaign_for_write, get_agent, require_bpo_venture, require_office
from domain.bpo.audit import BpoAudit
from domain.bpo.events import BpoKpiUpserted
from domain.bpo.models import BpoKpiRecord
from domain.bpo.rules import qa_problem
from domain.bpo.schemas import KpiRecordInput, KpiRecordView
from domain.db import UnitOfWork, pk
from domain.errors import Invalid
from domain.events.outbox import record
from domain.schemas import parse

_UPDATED = (
    "calls",
    "talk_seconds",
    "qa_score",
    "appointments",
    "deals",
    "revenue",
    "updated_by_id",
    "updated_at",
)


def upsert_kpi_record(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | KpiRecordInput
) -> KpiRecordView:
    inp = parse(KpiRecordInput, data)
    actor.require("bpo.kpi.write")
    agent = get_agent(uow, actor, inp.agent_id)
    venture = require_bpo_venture(uow, actor, agent.venture_id, field="agent_id")
    actor.require("bpo.kpi.write", pk(venture))
    errors: dict[str, str] = {}
    if problem := qa_problem(inp.qa_score):
        errors["qa_score"] = problem
    try:
        campaign = campaign_for_write(uow, actor, inp.campaign_id, pk(venture), field="campaign_id")
        require_office(actor, campaign.office_id, campaign.venture_id)
        if agent.campaign_id != campaign.id:
            errors["agent_id"] = "is not an agent of this campaign"
    except Invalid as exc:
        errors.update(exc.fields)
    today = clock.today(venture.timezone)
    if inp.day > today:
        errors["day"] = f"is in the future (today is {today.isoformat()} for {venture.code})"
    if errors:
        raise Invalid(errors)
    row = inp.model_dump() | {
        "venture_id": pk(venture),
        "updated_by_id": actor.user_id,
        "updated_at": clock.now(),
    }
    conn = uow.session.connection()
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    table = BpoKpiRecord.__table__  # type: ignore[attr-defined]
    stmt = dialect.insert(table).values([row])
    stmt = stmt.on_conflict_do_update(
        index_elements=["campaign_id", "agent_id", "day"],
        set_={name: stmt.excluded[name] for name in _UPDATED},
    )
    conn.execute(stmt)
    record(
        uow,
        BpoKpiUpserted(
            venture_id=pk(venture),
            campaign_id=inp.campaign_id,
            agent_id=inp.agent_id,
            business_date=inp.day,
            user_id=actor.user_id,
        ),
    )
    audit(
        uow,
        actor,
        BpoAudit.KPI_WRITTEN,
        entity_type="bpo_agent",
        entity_id=inp.agent_id,
        venture_id=pk(venture),
        detail={"day": inp.day, "campaign_id": inp.campaign_id, "qa_score": inp.qa_score},
    )
    stored = uow.session.execute(
        select(BpoKpiRecord).where(
            col(BpoKpiRecord.campaign_id) == inp.campaign_id,
            col(BpoKpiRecord.agent_id) == inp.agent_id,
            col(BpoKpiRecord.day) == inp.day,
        )
    ).scalar_one()
    uow.session.refresh(stored)
    return KpiRecordView.model_validate(stored)
