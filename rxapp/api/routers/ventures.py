"""``/api/v1/ventures``: the ventures in the caller's scope.

A venture outside scope answers 404 exactly like one that does not exist (the domain's rule).
"""

from __future__ import annotations

from fastapi import APIRouter

from domain.db import read_only
from domain.org.queries import get_venture, list_ventures
from domain.org.schemas import VentureDetail, VentureView
from domain.pagination import DEFAULT_PAGE_SIZE
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit, page_of
from rxapp.api.schemas import PageOut, PathId, error_responses

router = APIRouter(prefix="/ventures", tags=["ventures"], responses=error_responses(400, 401))


def _venture_key(v: VentureView) -> tuple[str, int]:
    return (v.name.casefold(), v.id)


@router.get("", response_model=PageOut[VentureView], summary="Ventures in scope, by name")
def ventures(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    include_inactive: bool = False,
) -> PageOut[VentureView]:
    with read_only() as uow:
        items = list_ventures(uow, actor, include_inactive=include_inactive)
    return page_of(items, _venture_key, width=2, cursor=cursor, limit=limit)


@router.get(
    "/{venture_id}",
    response_model=VentureDetail,
    responses=error_responses(404),
    summary="One venture: offices, members (roles that may list them), links",
)
def venture(actor: CurrentActor, venture_id: PathId) -> VentureDetail:
    with read_only() as uow:
        return get_venture(uow, actor, venture_id)
