"""KPI records: one per (campaign, agent, business date), written by
``INSERT ... ON CONFLICT (campaign_id, agent_id, day) DO UPDATE``: the same record sent twice, or
from many connections at once, leaves one row with the last numbers, never a duplicate or an
error. The one-record upsert and the CSV import write through the same ``write_records``; the
first records BpoKpiUpserted, an import one BpoKpiImported with the days it touched (not one
event per line); both handlers recompute the venture's days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.bpo.access import (
    campaign_for_write,
    get_agent,
    import_targets,
    require_bpo_venture,
    require_office,
)
from domain.bpo.audit import BpoAudit
from domain.bpo.csv_import import parse_kpi_csv
from domain.bpo.events import BpoKpiImported, BpoKpiUpserted
from domain.bpo.models import BpoKpiRecord
from domain.bpo.rules import qa_problem
from domain.bpo.schemas import KpiImportResult, KpiRecordInput, KpiRecordView
from domain.db import UnitOfWork, dialect_insert, pk
from domain.errors import Invalid
from domain.events.outbox import record
from domain.org.models import Venture
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
CHUNK = 1_000  # rows per INSERT ... ON CONFLICT statement (9 values each: far under the limits)


def write_records(uow: UnitOfWork, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert checked KPI rows (each with venture, campaign, agent, day, the numbers and who
    wrote them) by their (campaign, agent, day): created, or the numbers replaced. The rows
    must not repeat a key (one statement cannot change a row twice)."""
    conn = uow.session.connection()
    insert = dialect_insert(conn)
    table = BpoKpiRecord.__table__  # type: ignore[attr-defined]
    for i in range(0, len(rows), CHUNK):
        stmt = insert(table).values(list(rows[i : i + CHUNK]))
        stmt = stmt.on_conflict_do_update(
            index_elements=["campaign_id", "agent_id", "day"],
            set_={name: stmt.excluded[name] for name in _UPDATED},
        )
        conn.execute(stmt)


def _future_problem(day: date, venture: Venture) -> str | None:
    today = clock.today(venture.timezone)
    if day > today:
        return f"is in the future (today is {today.isoformat()} for {venture.code})"
    return None


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
    if problem := _future_problem(inp.day, venture):
        errors["day"] = problem
    if errors:
        raise Invalid(errors)
    row = inp.model_dump() | {
        "venture_id": pk(venture),
        "updated_by_id": actor.user_id,
        "updated_at": clock.now(),
    }
    write_records(uow, [row])
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


def import_kpi_csv(
    uow: UnitOfWork, actor: Actor, venture_id: int, data: bytes, *, filename: str | None = None
) -> KpiImportResult:
    """A CSV of KPI records (``csv_import.KPI_COLUMNS``): every line checked first, with the
    one-record upsert's rules (the venture's campaigns in the importer's offices, their agents,
    QA 0-100, counts and revenue not negative, no date after the venture's today); any bad line
    writes nothing (``Invalid`` lists each by line number and field). Otherwise every line is
    upserted by ``write_records`` in one transaction, so importing the same file again leaves
    the same records; the days touched are recomputed once (BpoKpiImported)."""
    venture = require_bpo_venture(uow, actor, venture_id)
    actor.require("bpo.kpi.write", pk(venture))
    campaigns, agents = import_targets(uow, actor, pk(venture))
    lines = parse_kpi_csv(data, campaigns, agents, clock.today(venture.timezone))
    days = sorted({ln.day for ln in lines})
    keys = {(ln.campaign_id, ln.agent_id, ln.day) for ln in lines}
    # how many lines replace a record (the result line; the write itself decides nothing by it)
    existing = uow.session.execute(
        select(
            col(BpoKpiRecord.campaign_id), col(BpoKpiRecord.agent_id), col(BpoKpiRecord.day)
        ).where(
            col(BpoKpiRecord.venture_id) == pk(venture),
            col(BpoKpiRecord.day).between(days[0], days[-1]),
            col(BpoKpiRecord.agent_id).in_({a for _, a, _ in keys}),
        )
    ).all()
    replaced = sum(1 for c, a, d in existing if (c, a, d) in keys)
    now = clock.now()
    write_records(
        uow,
        [
            {
                "venture_id": pk(venture),
                "campaign_id": ln.campaign_id,
                "agent_id": ln.agent_id,
                "day": ln.day,
                "calls": ln.calls,
                "talk_seconds": ln.talk_seconds,
                "qa_score": ln.qa_score,
                "appointments": ln.appointments,
                "deals": ln.deals,
                "revenue": ln.revenue,
                "updated_by_id": actor.user_id,
                "updated_at": now,
            }
            for ln in lines
        ],
    )
    record(
        uow,
        BpoKpiImported(venture_id=pk(venture), days=days, rows=len(lines), user_id=actor.user_id),
    )
    audit(
        uow,
        actor,
        BpoAudit.KPI_IMPORTED,
        entity_type="venture",
        entity_id=venture.id,
        venture_id=pk(venture),
        detail={
            "file": (filename or "")[:120],
            "rows": len(lines),
            "replaced": replaced,
            "days": len(days),
        },
    )
    return KpiImportResult(
        venture_id=pk(venture),
        rows_written=len(lines),
        first_day=days[0],
        last_day=days[-1],
        days=len(days),
        replaced=replaced,
    )
