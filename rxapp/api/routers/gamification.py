"""``/api/v1/gamification``: my points, leaderboards, a venture's points config.

The domain decides everything (scope, who may edit, the refusals naming the field); a venture is
named by its code (``AFL``) or id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from domain.access.actor import Actor
from domain.db import UnitOfWork, read_only, unit_of_work
from domain.errors import Invalid
from domain.gamification import queries, services
from domain.gamification.queries import DayCard, Leaderboard, MyPoints
from domain.gamification.services import ConfigInput, ConfigView
from domain.org.queries import load_venture, venture_by_code
from rxapp.api.deps import CurrentActor
from rxapp.api.schemas import MAX_ID, DbId, ItemsOut, error_responses

router = APIRouter(
    prefix="/gamification", tags=["gamification"], responses=error_responses(400, 401, 403, 404)
)

_REF = {
    "min_length": 1,
    "max_length": 12,
    "pattern": r"^[A-Za-z0-9_-]+$",
    "description": "The venture's code (`AFL`) or id.",
}


def _venture_id(uow: UnitOfWork, actor: Actor, ref: str) -> int:
    if ref.isdigit():
        number = int(ref)
        if not 1 <= number <= MAX_ID:
            raise Invalid.field("venture", "is not a venture id")
        found = load_venture(uow, actor, number)
    else:
        found = venture_by_code(uow, actor, ref)
    assert found.id is not None
    return found.id


@router.get("/me", response_model=MyPoints, summary="My points: balances, history, badges")
def my_points(actor: CurrentActor) -> MyPoints:
    with read_only() as uow:
        return queries.my_points(uow, actor)


@router.get("/me/day", response_model=ItemsOut[DayCard], summary="Points today and rank this week")
def my_day(actor: CurrentActor) -> ItemsOut[DayCard]:
    with read_only() as uow:
        return ItemsOut[DayCard](items=queries.my_day_card(uow, actor))


@router.get("/leaderboard", response_model=Leaderboard, summary="A venture's (or office's) board")
def get_leaderboard(
    actor: CurrentActor,
    venture: Annotated[str, Query(**_REF)],
    office: Annotated[DbId | None, Query(description="Only this office of the venture.")] = None,
    period: Annotated[
        str, Query(pattern=r"^(week|month|all)$", description="`week`, `month` or `all`.")
    ] = "week",
) -> Leaderboard:
    with read_only() as uow:
        vid = _venture_id(uow, actor, venture)
        return queries.leaderboard(uow, actor, vid, office_id=office, period=period)


@router.get("/config/{venture}", response_model=ConfigView, summary="A venture's points config")
def read_config(actor: CurrentActor, venture: Annotated[str, Path(**_REF)]) -> ConfigView:
    with read_only() as uow:
        return services.get_config(uow, actor, _venture_id(uow, actor, venture))


@router.put("/config/{venture}", response_model=ConfigView, summary="Change a venture's config")
def put_config(
    actor: CurrentActor, venture: Annotated[str, Path(**_REF)], body: ConfigInput
) -> ConfigView:
    with unit_of_work() as uow:
        vid = _venture_id(uow, actor, venture)
        return services.update_config(uow, actor, vid, body.model_dump(exclude_unset=True))
