"""``/api/v1/quick-links``: the links the caller sees, and changes to the ones they may manage.

Everyone manages their personal links; global links need a global admin and venture links a
global admin or that venture's head. The domain enforces it: a link the caller cannot see is 404,
one they see but may not change is 403.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from domain.db import read_only, unit_of_work
from domain.org.models import QuickLinkOwner
from domain.org.queries import visible_quick_links
from domain.org.schemas import QuickLinkGroup, QuickLinkView
from domain.org.services import (
    add_quick_link,
    remove_quick_link,
    reorder_quick_links,
    update_quick_link,
)
from domain.pagination import DEFAULT_PAGE_SIZE
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit, page_of
from rxapp.api.schemas import (
    ItemsOut,
    PageOut,
    PathId,
    QuickLinkCreate,
    QuickLinkOrder,
    QuickLinkUpdate,
    error_responses,
)

router = APIRouter(prefix="/quick-links", tags=["quick links"], responses=error_responses(401))

_GROUP_RANK = {"global": 0, "venture": 1, "personal": 2}


@router.get(
    "",
    response_model=PageOut[QuickLinkView],
    responses=error_responses(400),
    summary="Visible links in panel order: global, each venture by name, personal",
)
def quick_links(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    owner: QuickLinkOwner | None = None,
) -> PageOut[QuickLinkView]:
    with read_only() as uow:
        groups = visible_quick_links(uow, actor)
    keyed = {
        link.id: (_GROUP_RANK[g.kind], g.title.casefold(), link.position, link.id)
        for g in groups
        for link in g.links
    }
    links = [link for g in groups for link in g.links if owner is None or link.owner is owner]
    return page_of(links, lambda q: keyed[q.id], width=4, cursor=cursor, limit=limit)


@router.get(
    "/groups",
    response_model=ItemsOut[QuickLinkGroup],
    summary="Visible links grouped as the quick-links panel shows them",
)
def quick_link_groups(actor: CurrentActor) -> ItemsOut[QuickLinkGroup]:
    with read_only() as uow:
        return ItemsOut[QuickLinkGroup](items=visible_quick_links(uow, actor))


@router.post(
    "",
    response_model=QuickLinkView,
    status_code=201,
    responses=error_responses(400, 403, 404),
    summary="Add a link (personal by default)",
)
def create_quick_link(actor: CurrentActor, body: QuickLinkCreate) -> QuickLinkView:
    with unit_of_work() as uow:
        return add_quick_link(uow, actor, body)


@router.put(
    "/order",
    response_model=ItemsOut[QuickLinkView],
    responses=error_responses(400, 403, 404),
    summary="Reorder one owner's links (personal by default)",
)
def order_quick_links(actor: CurrentActor, body: QuickLinkOrder) -> ItemsOut[QuickLinkView]:
    with unit_of_work() as uow:
        links = reorder_quick_links(
            uow, actor, body.ids, owner=body.owner, venture_id=body.venture_id
        )
    return ItemsOut[QuickLinkView](items=links)


@router.patch(
    "/{link_id}",
    response_model=QuickLinkView,
    responses=error_responses(400, 403, 404),
    summary="Change a link's label, URL or icon",
)
def patch_quick_link(actor: CurrentActor, link_id: PathId, body: QuickLinkUpdate) -> QuickLinkView:
    with unit_of_work() as uow:
        return update_quick_link(uow, actor, link_id, body)


@router.delete(
    "/{link_id}",
    status_code=204,
    response_class=Response,
    responses=error_responses(400, 403, 404),
    summary="Remove a link",
)
def delete_quick_link(actor: CurrentActor, link_id: PathId) -> Response:
    with unit_of_work() as uow:
        remove_quick_link(uow, actor, link_id)
    return Response(status_code=204)
