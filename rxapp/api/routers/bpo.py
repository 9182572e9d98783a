"""``/api/v1/bpo``: campaigns, agents, call logs (cursor lists, create, update; the dialer's call
CSV as multipart; "my calls today"), KPI records (upsert; a KPI-record CSV as multipart) and
BpoKpiDaily over a range.

Thin calls of ``domain.bpo``: the domain applies scope (a campaign, agent or call outside the
caller's ventures answers 404 exactly like a missing one), checks the role and validates (400
with ``fields``; a CSV names each bad line, ``line 12: ended_at``, and writes nothing).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from domain.bpo import queries, services
from domain.bpo.queries import CallFilter, CallOutcome
from domain.bpo.schemas import (
    AgentInput,
    AgentPatch,
    AgentView,
    CallInput,
    CallView,
    CampaignInput,
    CampaignPatch,
    CampaignView,
    ImportResult,
    KpiDailyView,
    KpiImportResult,
    KpiRecordInput,
    KpiRecordView,
)
from domain.csv_lines import MAX_UPLOAD_BYTES
from domain.db import read_only, unit_of_work
from domain.pagination import DEFAULT_PAGE_SIZE
from domain.schemas import BusinessDate
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import MAX_ID, PageOut, PathId, error_responses

# The CSV import: the domain's limit plus room for the multipart envelope (a bigger body is 413).
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 256 * 1024

router = APIRouter(prefix="/bpo", tags=["bpo"], responses=error_responses(400, 401, 403))

QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
From = Annotated[BusinessDate | None, Query(alias="from")]
To = Annotated[BusinessDate | None, Query(alias="to")]


# -- campaigns -------------------------------------------------------------------------------------


@router.get("/campaigns", response_model=PageOut[CampaignView], summary="Campaigns, by name")
def bpo_campaigns(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    active: bool | None = None,
) -> PageOut[CampaignView]:
    with read_only() as uow:
        page = queries.list_campaigns(
            uow, actor, venture_id=venture, active=active, cursor=cursor, limit=limit
        )
    return PageOut[CampaignView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/campaigns",
    response_model=CampaignView,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Create a campaign",
)
def bpo_create_campaign(actor: CurrentActor, body: CampaignInput) -> CampaignView:
    with unit_of_work() as uow:
        return services.create_campaign(uow, actor, body)


@router.get("/campaigns/{campaign_id}", response_model=CampaignView, responses=error_responses(404))
def bpo_campaign(actor: CurrentActor, campaign_id: PathId) -> CampaignView:
    with read_only() as uow:
        return queries.get_campaign_view(uow, actor, campaign_id)


@router.patch(
    "/campaigns/{campaign_id}",
    response_model=CampaignView,
    responses=error_responses(404, 409),
    summary="Edit a campaign (name, client, active)",
)
def bpo_update_campaign(
    actor: CurrentActor, campaign_id: PathId, body: CampaignPatch
) -> CampaignView:
    with unit_of_work() as uow:
        return services.update_campaign(uow, actor, campaign_id, body)


# -- agents ----------------------------------------------------------------------------------------


@router.get("/agents", response_model=PageOut[AgentView], summary="Agents of the campaigns")
def bpo_agents(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    campaign: QueryId = None,
) -> PageOut[AgentView]:
    with read_only() as uow:
        page = queries.list_agents(
            uow, actor, venture_id=venture, campaign_id=campaign, cursor=cursor, limit=limit
        )
    return PageOut[AgentView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/agents",
    response_model=AgentView,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Link a member of the venture to a campaign",
)
def bpo_create_agent(actor: CurrentActor, body: AgentInput) -> AgentView:
    with unit_of_work() as uow:
        return services.create_agent(uow, actor, body)


@router.patch("/agents/{agent_id}", response_model=AgentView, responses=error_responses(404))
def bpo_update_agent(actor: CurrentActor, agent_id: PathId, body: AgentPatch) -> AgentView:
    with unit_of_work() as uow:
        return services.update_agent(uow, actor, agent_id, body)


# -- call logs -------------------------------------------------------------------------------------


@router.get(
    "/calls",
    response_model=PageOut[CallView],
    summary="Call logs the caller reads (an agent: their own), newest first",
)
def bpo_calls(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    campaign: QueryId = None,
    agent: QueryId = None,
    outcome: CallOutcome | None = None,
    date_from: From = None,
    date_to: To = None,
) -> PageOut[CallView]:
    filters = CallFilter(venture, campaign, agent, outcome, date_from, date_to)
    with read_only() as uow:
        page = queries.list_calls(uow, actor, filters, cursor=cursor, limit=limit)
    return PageOut[CallView](items=page.items, next_cursor=page.next_cursor, has_more=page.has_more)


@router.get("/calls/mine/today", response_model=list[CallView], summary="My calls today")
def bpo_my_calls_today(actor: CurrentActor) -> list[CallView]:
    with read_only() as uow:
        return queries.my_calls_today(uow, actor)


@router.post(
    "/calls",
    response_model=CallView,
    status_code=201,
    summary="Log a call (an agent: as their own agent)",
)
def bpo_log_call(actor: CurrentActor, body: CallInput) -> CallView:
    with unit_of_work() as uow:
        return services.log_call(uow, actor, body)


@router.get("/calls/{call_id}", response_model=CallView, responses=error_responses(404))
def bpo_call(actor: CurrentActor, call_id: PathId) -> CallView:
    with read_only() as uow:
        return queries.get_call_view(uow, actor, call_id)


class ImportOut(ImportResult):
    message: str


@router.post(
    "/ventures/{venture_id}/calls/import",
    response_model=ImportOut,
    responses=error_responses(404, 413),
    summary="Import the dialer's call CSV: all lines or none (each bad line named in `fields`)",
)
async def bpo_import_calls(
    actor: CurrentActor, venture_id: PathId, file: Annotated[UploadFile, File()]
) -> ImportOut:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    with unit_of_work() as uow:
        result = services.import_calls_csv(uow, actor, venture_id, data, filename=file.filename)
    return ImportOut(**result.model_dump(), message=result.written)


# -- KPI -------------------------------------------------------------------------------------------


@router.put(
    "/kpi-records",
    response_model=KpiRecordView,
    responses=error_responses(404),
    summary="Write an agent's KPI record of a day (upsert by campaign, agent and date)",
)
def bpo_upsert_kpi_record(actor: CurrentActor, body: KpiRecordInput) -> KpiRecordView:
    with unit_of_work() as uow:
        return services.upsert_kpi_record(uow, actor, body)


class KpiImportOut(KpiImportResult):
    message: str


@router.post(
    "/ventures/{venture_id}/kpi-records/import",
    response_model=KpiImportOut,
    responses=error_responses(404, 413),
    summary="Import a CSV of KPI records (upsert by campaign, agent and date): all lines or none",
)
async def bpo_import_kpi_records(
    actor: CurrentActor, venture_id: PathId, file: Annotated[UploadFile, File()]
) -> KpiImportOut:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    with unit_of_work() as uow:
        result = services.import_kpi_csv(uow, actor, venture_id, data, filename=file.filename)
    return KpiImportOut(**result.model_dump(), message=result.written)


@router.get(
    "/ventures/{venture_id}/kpi",
    response_model=list[KpiDailyView],
    responses=error_responses(404),
    summary="BpoKpiDaily of a venture over a range of business dates",
)
def bpo_kpi_days(
    actor: CurrentActor,
    venture_id: PathId,
    date_from: Annotated[BusinessDate, Query(alias="from")],
    date_to: Annotated[BusinessDate, Query(alias="to")],
) -> list[KpiDailyView]:
    with read_only() as uow:
        return queries.kpi_days(uow, actor, venture_id, date_from, date_to)
