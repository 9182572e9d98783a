"""``/api/v1/freight``: loads (list with filters and cursor, create, read, status change), quote
conversion, outreach (send, award) and the KPI dashboard numbers.

Thin calls of ``domain.freight``: the domain applies scope (a load, quote or outreach outside the
caller's ventures answers 404 exactly like a missing one), checks the role, validates (400 with
``fields``) and refuses a status change the transition table forbids (409).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from domain.db import read_only, unit_of_work
from domain.errors import Invalid
from domain.freight.models import LoadStatus
from domain.freight.queries import (
    LoadFilter,
    freight_dashboard,
    get_load_detail,
    get_outreach_view,
    kpi_days,
    list_loads,
)
from domain.freight.schemas import (
    AwardInput,
    ConvertInput,
    FreightDashboard,
    KpiDayView,
    LoadDetail,
    LoadInput,
    LoadView,
    OutreachInput,
    OutreachPreview,
    OutreachRetryInput,
    OutreachView,
    TransitionInput,
)
from domain.freight.services import (
    award_outreach,
    convert_quote,
    create_load,
    retry_outreach,
    send_outreach,
)
from domain.freight.services import transition_load as transition
from domain.pagination import DEFAULT_PAGE_SIZE
from domain.schemas import BusinessDate
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import MAX_ID, PageOut, PathId, error_responses

router = APIRouter(prefix="/freight", tags=["freight"], responses=error_responses(400, 401, 403))

QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


# -- loads ----------------------------------------------------------------------------------------


@router.get(
    "/loads",
    response_model=PageOut[LoadView],
    responses=error_responses(403),
    summary="Loads in scope, newest first (created_at, id), keyset pages",
)
def loads(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    status: Annotated[
        list[LoadStatus] | None, Query(description="Repeat for several statuses.")
    ] = None,
    office: QueryId = None,
    customer: QueryId = None,
    carrier: QueryId = None,
    date_from: Annotated[
        BusinessDate | None,
        Query(alias="from", description="Created on or after (business date)."),
    ] = None,
    date_to: Annotated[
        BusinessDate | None,
        Query(alias="to", description="Created on or before (business date)."),
    ] = None,
    q: Annotated[
        str | None, Query(max_length=40, description="Part of the reference, any case.")
    ] = None,
    needs_cover: Annotated[
        bool, Query(description="Only loads that still need a carrier.")
    ] = False,
    mine: Annotated[bool, Query(description="Only loads the caller sells or dispatches.")] = False,
) -> PageOut[LoadView]:
    filters = LoadFilter(
        venture_id=venture,
        statuses=status or (),
        office_id=office,
        customer_id=customer,
        carrier_id=carrier,
        date_from=date_from,
        date_to=date_to,
        search=q,
        needs_cover=needs_cover,
        mine=mine,
    )
    with read_only() as uow:
        page = list_loads(uow, actor, filters, cursor=cursor, limit=limit)
    return PageOut[LoadView](items=page.items, next_cursor=page.next_cursor, has_more=page.has_more)


@router.post(
    "/loads",
    response_model=LoadView,
    status_code=201,
    responses=error_responses(403, 404),
    summary="Create a load (OPEN); the reference is generated when not given",
)
def create(actor: CurrentActor, body: LoadInput) -> LoadView:
    with unit_of_work() as uow:
        return create_load(uow, actor, body)


@router.get(
    "/loads/{load_id}",
    response_model=LoadDetail,
    responses=error_responses(403, 404),
    summary="One load with its timeline and the status changes the caller may make now",
)
def load(actor: CurrentActor, load_id: PathId) -> LoadDetail:
    with read_only() as uow:
        return get_load_detail(uow, actor, load_id)


@router.patch(
    "/loads/{load_id}",
    response_model=LoadView,
    responses=error_responses(403, 404, 409),
    summary="Change a load's status: {status, note?, lost_reason?, carrier_id?, ...}",
    description=(
        "The transition table decides (same-to-same is a no-op; a forbidden change is 409). "
        "COVERED needs an eligible `carrier_id` unless the load has one (optional "
        "`cost_amount`); LOST needs `lost_reason`; DELIVERED takes optional `delivered_at` and "
        "`billing_date`."
    ),
)
def transition_load(actor: CurrentActor, load_id: PathId, body: TransitionInput) -> LoadView:
    with unit_of_work() as uow:
        return transition(uow, actor, load_id, body)


# -- quotes ---------------------------------------------------------------------------------------


@router.post(
    "/quotes/{quote_id}/convert",
    response_model=LoadView,
    responses=error_responses(403, 404, 409),
    summary="Turn an ACCEPTED or BOOKED quote into a load (again: the same load)",
)
def convert(
    actor: CurrentActor,
    quote_id: PathId,
    body: Annotated[ConvertInput | None, Body()] = None,
) -> LoadView:
    with unit_of_work() as uow:
        return convert_quote(uow, actor, quote_id, body)


# -- outreach -------------------------------------------------------------------------------------


@router.post(
    "/outreach",
    response_model=OutreachView | OutreachPreview,
    status_code=201,
    responses={
        **error_responses(403, 404, 409),
        200: {"model": OutreachPreview, "description": "`dry_run`: what would be sent."},
    },
    summary="Message 1-50 eligible carriers about a load that needs one",
    description="The message and its recipients are committed first; delivery follows through "
    "the outbox. The answer shows each recipient as delivery left it: SENT, FAILED (with the "
    "reason), or QUEUED/SENDING when delivery is still under way (read it again with "
    "`GET /freight/outreach/{id}`).",
)
def outreach(actor: CurrentActor, body: OutreachInput, response: Response) -> object:
    with unit_of_work() as uow:
        result = send_outreach(uow, actor, body)
    if isinstance(result, OutreachPreview):
        response.status_code = 200
        return result
    with read_only() as uow:  # after commit, and after the inline delivery
        return get_outreach_view(uow, actor, result.id)


@router.get(
    "/outreach/{outreach_id}",
    response_model=OutreachView,
    responses=error_responses(404),
    summary="An outreach with each recipient's delivery status",
)
def outreach_detail(actor: CurrentActor, outreach_id: PathId) -> OutreachView:
    with read_only() as uow:
        return get_outreach_view(uow, actor, outreach_id)


@router.post(
    "/outreach/{outreach_id}/retry",
    response_model=OutreachView,
    responses=error_responses(403, 404, 409),
    summary="Send again to the FAILED recipients (all, or the carriers given)",
)
def outreach_retry(
    actor: CurrentActor,
    outreach_id: PathId,
    body: Annotated[OutreachRetryInput | None, Body()] = None,
) -> OutreachView:
    with unit_of_work() as uow:
        done = retry_outreach(uow, actor, outreach_id, body)
    with read_only() as uow:
        return get_outreach_view(uow, actor, done.id)


@router.post(
    "/outreach/{outreach_id}/award",
    response_model=OutreachView,
    responses=error_responses(403, 404, 409),
    summary="Give the load to a carrier that received the outreach (the load becomes COVERED)",
)
def award(actor: CurrentActor, outreach_id: PathId, body: AwardInput) -> OutreachView:
    with unit_of_work() as uow:
        return award_outreach(uow, actor, outreach_id, body)


# -- KPI ------------------------------------------------------------------------------------------


class KpiOut(FreightDashboard):
    """The dashboard (headlines versus the previous period, one point per day summed over the
    ventures) and the stored FreightKpiDaily rows behind it, per venture and day."""

    rows: list[KpiDayView]


@router.get(
    "/kpi",
    response_model=KpiOut,
    responses=error_responses(403, 404),
    summary="Freight KPIs for a date range (default the last 30 days)",
)
def kpi(
    actor: CurrentActor,
    date_from: Annotated[
        BusinessDate | None, Query(alias="from", description="First business date.")
    ] = None,
    date_to: Annotated[
        BusinessDate | None, Query(alias="to", description="Last business date.")
    ] = None,
    venture: QueryId = None,
) -> KpiOut:
    try:
        with read_only() as uow:
            dash = freight_dashboard(uow, actor, date_from, date_to, venture_id=venture)
            rows = kpi_days(uow, actor, dash.start, dash.end, venture_id=venture, fill_missing=True)
    except Invalid as exc:  # the domain names its arguments; the client knows the parameters
        names = {"start": "from", "end": "to", "venture_id": "venture"}
        raise Invalid({names.get(k, k): v for k, v in exc.fields.items()}) from None
    return KpiOut(**dash.model_dump(), rows=rows)
