"""``/api/v1/overview``: the cross-venture overview for leadership (command center): a row per
venture in the caller's scope with its headline numbers over a date range against the previous
period (money per venture in its currency, never added across currencies). The domain decides
who may read it (leadership) and which ventures; a venture outside scope is 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from domain.analytics.overview import Overview, overview
from domain.db import read_only
from domain.errors import Invalid
from domain.schemas import BusinessDate
from rxapp.api.deps import CurrentActor
from rxapp.api.schemas import MAX_ID, error_responses

router = APIRouter(prefix="/overview", tags=["overview"], responses=error_responses(400, 401, 403))


@router.get(
    "",
    response_model=Overview,
    responses=error_responses(404),
    summary="Headline numbers per venture in scope for a date range (default the last 30 days)",
)
def venture_overview(
    actor: CurrentActor,
    date_from: Annotated[
        BusinessDate | None, Query(alias="from", description="First business date.")
    ] = None,
    date_to: Annotated[
        BusinessDate | None, Query(alias="to", description="Last business date.")
    ] = None,
    preset: Annotated[
        str | None, Query(max_length=10, description="A quick range: 7, 30, 90 or month.")
    ] = None,
    venture: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Overview:
    try:
        with read_only() as uow:
            return overview(uow, actor, date_from, date_to, venture_id=venture, preset=preset)
    except Invalid as exc:  # the domain names its arguments; the client knows the parameters
        names = {"start": "from", "end": "to", "venture_id": "venture"}
        raise Invalid({names.get(k, k): v for k, v in exc.fields.items()}) from None
