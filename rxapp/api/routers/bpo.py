"""``/api/v1/bpo``: campaigns, agents, call logs and KPI records (cursor lists, create, update),
the two CSV imports (multipart, all lines or none, each bad line named in ``fields``), the
caller's own calls of today, and the BPO KPI read (BpoKpiDaily over a range, with the dashboard's
headlines, funnel and leaderboard).

Thin calls of ``domain.bpo``: the domain applies scope (a campaign, agent or call of another
venture answers 404 exactly like a missing one), checks the role and validates (400 with
``fields``). Route functions carry a ``bpo_`` prefix: the operationId is the function's name and
must be unique across routers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from domain.bpo import queries, services
from domain.bpo import schemas as s
from domain.bpo.dashboard import BpoDashboard, bpo_dashboard, kpi_days
from domain.bpo.queries import CallFilter, CallOutcome
from domain.db import read_only, unit_of_work
from domain.errors import Invalid
from domain.pagination import DEFAULT_PAGE_SIZE
from domain.schemas import BusinessDate
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import MAX_ID, PageOut, PathId, error_responses

router = APIRouter(prefix="/bpo", tags=["bpo"], responses=error_responses(400, 401, 403))

QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
DateFrom = Annotated[BusinessDate | None, Query(alias="from")]
DateTo = Annotated[BusinessDate | None, Query(alias="to")]


def _page(model: type, page: object) -> object:
    return PageOut[model](  # type: ignore[valid-type]
        items=page.items,  # type: ignore[attr-defined]
        next_cursor=page.next_cursor,  # type: ignore[attr-defined]
        has_more=page.has_more,  # type: ignore[attr-defined]
    )


# -- campaigns ------------------------------------------------------------------------------------


@router.get(
    "/campaigns", response_model=PageOut[s.CampaignView], summary="Campaigns in scope, by name"
)
def bpo_campaigns(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
) -> object:
    with read_only() as uow:
        page = queries.list_campaigns(uow, actor, venture_id=venture, cursor=cursor, limit=limit)
    return _page(s.CampaignView, page)


@router.post(
    "/campaigns",
    response_model=s.CampaignView,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Create a campaign in a BPO venture",
)
def bpo_create_campaign(actor: CurrentActor, body: s.CampaignInput) -> s.CampaignView:
    with unit_of_work() as uow:
        return services.create_campaign(uow, actor, body)


@router.patch(
    "/campaigns/{campaign_id}",
    response_model=s.CampaignView,
    responses=error_responses(404, 409),
    summary="Update a campaign (name, client, office, active)",
)
def bpo_update_campaign(
    actor: CurrentActor, campaign_id: PathId, body: s.CampaignPatch
) -> s.CampaignView:
    with unit_of_work() as uow:
        return services.update_campaign(uow, actor, campaign_id, body)


# -- agents ---------------------------------------------------------------------------------------


@router.get("/agents", response_model=PageOut[s.AgentView], summary="Agents in scope")
def bpo_agents(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    campaign: QueryId = None,
) -> object:
    with read_only() as uow:
        page = queries.list_agents(
            uow, actor, venture_id=venture, campaign_id=campaign, cursor=cursor, limit=limit
        )
    return _page(s.AgentView, page)


@router.post(
    "/agents",
    response_model=s.AgentView,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Make a person of the venture an agent (of a campaign)",
)
def bpo_create_agent(actor: CurrentActor, body: s.AgentInput) -> s.AgentView:
    with unit_of_work() as uow:
        return services.create_agent(uow, actor, body)


@router.patch(
    "/agents/{agent_id}",
    response_model=s.AgentView,
    responses=error_responses(404, 409),
    summary="Update an agent (campaign, active)",
)
def bpo_update_agent(actor: CurrentActor, agent_id: PathId, body: s.AgentPatch) -> s.AgentView:
    with unit_of_work() as uow:
        return services.update_agent(uow, actor, agent_id, body)


# -- call logs ------------------------------------------------------------------------------------


@router.get(
    "/calls",
    response_model=PageOut[s.CallView],
    summary="Call logs in scope, newest first, by campaign, agent, outcome and business dates",
)
def bpo_calls(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    campaign: QueryId = None,
    agent: QueryId = None,
    outcome: CallOutcome | None = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> object:
    filters = CallFilter(
        venture_id=venture,
        campaign_id=campaign,
        agent_id=agent,
        outcome=outcome,
        start=date_from,
        end=date_to,
    )
    with read_only() as uow:
        page = queries.list_calls(uow, actor, filters, cursor=cursor, limit=limit)
    return _page(s.CallView, page)


@router.get(
    "/calls/mine-today",
    response_model=list[s.CallView],
    summary="The caller's own calls of today (their venture's business date)",
)
def bpo_my_calls_today(actor: CurrentActor) -> object:
    with read_only() as uow:
        return list(queries.my_calls_today(uow, actor))


@router.get(
    "/calls/{call_id}",
    response_model=s.CallView,
    responses=error_responses(404),
    summary="One call log (in scope, else 404)",
)
def bpo_call(actor: CurrentActor, call_id: PathId) -> s.CallView:
    with read_only() as uow:
        return queries.get_call_view(uow, actor, call_id)


@router.post(
    "/calls",
    response_model=s.CallView,
    status_code=201,
    responses=error_responses(404),
    summary="Log a call (an agent logs their own; dial_count >= 1, ended_at >= started_at)",
)
def bpo_log_call(actor: CurrentActor, body: s.CallInput) -> s.CallView:
    with unit_of_work() as uow:
        return services.log_call(uow, actor, body)


# -- KPI records ----------------------------------------------------------------------------------


@router.put(
    "/kpi-records",
    response_model=s.KpiRecordView,
    responses=error_responses(404),
    summary="Write one KPI record (created or replaced: upsert by campaign, agent and date)",
)
def bpo_upsert_kpi_record(actor: CurrentActor, body: s.KpiRecordInput) -> s.KpiRecordView:
    with unit_of_work() as uow:
        return services.upsert_kpi_record(uow, actor, body)


# -- KPI ------------------------------------------------------------------------------------------


class BpoKpiOut(BpoDashboard):
    """The dashboard (headlines versus the previous period, a point per day, the funnel per
    campaign, the leaderboard) and the stored BpoKpiDaily rows behind it."""

    rows: list[s.KpiDailyView]


@router.get(
    "/kpi",
    response_model=BpoKpiOut,
    responses=error_responses(404),
    summary="BPO KPIs (BpoKpiDaily) for a date range (default the last 30 days)",
)
def bpo_kpi(
    actor: CurrentActor,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    venture: QueryId = None,
) -> BpoKpiOut:
    try:
        with read_only() as uow:
            dash = bpo_dashboard(uow, actor, date_from, date_to, venture_id=venture)
            rows = kpi_days(uow, actor, dash.start, dash.end, venture_id=venture)
            views = [s.KpiDailyView.model_validate(r, from_attributes=True) for r in rows]
    except Invalid as exc:
        names = {"start": "from", "end": "to", "venture_id": "venture"}
        raise Invalid({names.get(k, k): v for k, v in exc.fields.items()}) from None
    return BpoKpiOut(**dash.model_dump(), rows=views)


__all__ = ["router"]
