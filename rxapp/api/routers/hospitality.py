"""``/api/v1/hospitality``: hotels, hotel KPI days (list, upsert, CSV upload), reviews (list,
respond), disputes (list, create, resolve) and the hospitality KPI dashboard numbers.

Thin calls of ``domain.hospitality``: the domain applies scope (a hotel, review or dispute outside
the caller's ventures answers 404 exactly like a missing one), checks the role, validates (400
with ``fields``; a CSV names each bad line, ``line 12: rooms_sold``, and writes nothing) and
refuses resolving a resolved dispute (409).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile

from domain.db import read_only, unit_of_work
from domain.errors import Invalid
from domain.hospitality import services
from domain.hospitality.csv_upload import MAX_UPLOAD_BYTES
from domain.hospitality.dashboard import hospitality_dashboard, kpi_days
from domain.hospitality.models import DisputeStatus, ReviewSource
from domain.hospitality.queries import (
    ReviewFilter,
    list_disputes,
    list_hotel_kpi,
    list_hotels,
    list_reviews,
)
from domain.hospitality.schemas import (
    DisputeInput,
    DisputeView,
    HospitalityDashboard,
    HotelKpiInput,
    HotelKpiView,
    HotelView,
    KpiDayView,
    ResolveInput,
    RespondInput,
    ReviewView,
    UploadResult,
)
from domain.pagination import DEFAULT_PAGE_SIZE
from domain.schemas import BusinessDate, View
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import MAX_ID, PageOut, PathId, error_responses

# The CSV upload: the domain's limit plus room for the multipart envelope (a bigger body is 413).
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 256 * 1024

router = APIRouter(
    prefix="/hospitality", tags=["hospitality"], responses=error_responses(400, 401, 403)
)

QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("/hotels", response_model=PageOut[HotelView], summary="Hotels in scope, by code")
def hotels(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
) -> PageOut[HotelView]:
    with read_only() as uow:
        page = list_hotels(uow, actor, venture_id=venture, cursor=cursor, limit=limit)
    return PageOut[HotelView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


# -- hotel KPI days -------------------------------------------------------------------------------


@router.get(
    "/hotel-kpi",
    response_model=PageOut[HotelKpiView],
    summary="Hotel KPI days of the hotels the caller works with, newest day first",
)
def hotel_kpi(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    hotel: QueryId = None,
    date_from: Annotated[BusinessDate | None, Query(alias="from")] = None,
    date_to: Annotated[BusinessDate | None, Query(alias="to")] = None,
) -> PageOut[HotelKpiView]:
    with read_only() as uow:
        page = list_hotel_kpi(
            uow,
            actor,
            venture_id=venture,
            hotel_id=hotel,
            start=date_from,
            end=date_to,
            cursor=cursor,
            limit=limit,
        )
    return PageOut[HotelKpiView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.put(
    "/hotel-kpi",
    response_model=HotelKpiView,
    responses=error_responses(403, 404),
    summary="Write one hotel-day (created or replaced: upsert by hotel and date)",
)
def upsert_kpi(actor: CurrentActor, body: HotelKpiInput) -> HotelKpiView:
    with unit_of_work() as uow:
        return services.upsert_hotel_kpi(uow, actor, body)


class UploadOut(UploadResult):
    message: str


@router.post(
    "/ventures/{venture_id}/hotel-kpi/upload",
    response_model=UploadOut,
    responses=error_responses(403, 404, 413),
    summary="Upload a hotel KPI CSV: all lines or none (each bad line named in `fields`)",
)
async def upload_kpi(
    actor: CurrentActor, venture_id: PathId, file: Annotated[UploadFile, File()]
) -> UploadOut:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    with unit_of_work() as uow:
        result = services.upload_hotel_kpi_csv(uow, actor, venture_id, data, filename=file.filename)
    return UploadOut(**result.model_dump(), message=result.written)


@router.get(
    "/ventures/{venture_id}/hotel-kpi/template.csv",
    response_class=Response,
    responses=error_responses(403, 404),
    summary="The CSV template: the header and one example line per hotel",
)
def kpi_template(actor: CurrentActor, venture_id: PathId) -> Response:
    with read_only() as uow:
        text = services.kpi_template(uow, actor, venture_id)
    return Response(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="hotel_kpi_template.csv"'},
    )


# -- reviews --------------------------------------------------------------------------------------


@router.get(
    "/reviews",
    response_model=PageOut[ReviewView],
    summary="Reviews of the hotels the caller works with, newest first",
)
def reviews(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    hotel: QueryId = None,
    unanswered: bool = False,
    max_rating: Annotated[int | None, Query(ge=1, le=5)] = None,
    source: Annotated[list[ReviewSource] | None, Query()] = None,
) -> PageOut[ReviewView]:
    filters = ReviewFilter(
        venture_id=venture,
        hotel_id=hotel,
        unanswered=unanswered,
        max_rating=max_rating,
        sources=source or (),
    )
    with read_only() as uow:
        page = list_reviews(uow, actor, filters, cursor=cursor, limit=limit)
    return PageOut[ReviewView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/reviews/{review_id}/response",
    response_model=ReviewView,
    responses=error_responses(403, 404),
    summary="Respond (the first non-empty response stamps responder and time; edits keep them)",
)
def respond(actor: CurrentActor, review_id: PathId, body: RespondInput) -> ReviewView:
    with unit_of_work() as uow:
        return services.respond_to_review(uow, actor, review_id, body)


# -- disputes -------------------------------------------------------------------------------------


@router.get(
    "/disputes",
    response_model=PageOut[DisputeView],
    summary="Disputes of the hotels the caller works with, newest first",
)
def disputes(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    hotel: QueryId = None,
    status: Annotated[list[DisputeStatus] | None, Query()] = None,
) -> PageOut[DisputeView]:
    with read_only() as uow:
        page = list_disputes(
            uow,
            actor,
            venture_id=venture,
            hotel_id=hotel,
            statuses=status or (),
            cursor=cursor,
            limit=limit,
        )
    return PageOut[DisputeView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/disputes",
    response_model=DisputeView,
    status_code=201,
    responses=error_responses(403, 404),
    summary="Open a dispute (in the venture's currency)",
)
def create_dispute(actor: CurrentActor, body: DisputeInput) -> DisputeView:
    with unit_of_work() as uow:
        return services.create_dispute(uow, actor, body)


@router.post(
    "/disputes/{dispute_id}/resolve",
    response_model=DisputeView,
    responses=error_responses(403, 404, 409),
    summary="Resolve WON, LOST or CLOSED_NO_ACTION (final: a second resolution is 409)",
)
def resolve_dispute(actor: CurrentActor, dispute_id: PathId, body: ResolveInput) -> DisputeView:
    with unit_of_work() as uow:
        return services.resolve_dispute(uow, actor, dispute_id, body)


# -- KPI ------------------------------------------------------------------------------------------


class KpiOut(HospitalityDashboard):
    """The dashboard (weighted headlines versus the previous period, a point per day, a row per
    hotel) and the stored HospitalityKpiDaily rows behind it."""

    rows: list[KpiDayView]


@router.get(
    "/kpi",
    response_model=KpiOut,
    responses=error_responses(403, 404),
    summary="Hospitality KPIs for a date range (default the last 30 days)",
)
def hospitality_kpi(
    actor: CurrentActor,
    date_from: Annotated[BusinessDate | None, Query(alias="from")] = None,
    date_to: Annotated[BusinessDate | None, Query(alias="to")] = None,
    venture: QueryId = None,
) -> KpiOut:
    try:
        with read_only() as uow:
            dash = hospitality_dashboard(uow, actor, date_from, date_to, venture_id=venture)
            rows = kpi_days(uow, actor, dash.start, dash.end, venture_id=venture)
    except Invalid as exc:
        names = {"start": "from", "end": "to", "venture_id": "venture"}
        raise Invalid({names.get(k, k): v for k, v in exc.fields.items()}) from None
    return KpiOut(**dash.model_dump(), rows=rows)


__all__ = ["MAX_BODY_BYTES", "View", "router"]
