"""Review use cases: record a review from its source, and respond.

The first non-empty response stamps who answered and when, in one conditional UPDATE
(``... WHERE responded_at IS NULL``): of two first answers at once exactly one stamps and raises
HotelReviewResponded; any later edit changes the text only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Unique, duplicates_as_conflict
from domain.events.outbox import record
from domain.hospitality.access import get_review, require_hotel_for_work
from domain.hospitality.audit import HospitalityAudit
from domain.hospitality.events import HotelReviewResponded
from domain.hospitality.models import HotelReview
from domain.hospitality.schemas import RespondInput, ReviewInput, ReviewView
from domain.hospitality.views import review_views
from domain.org.models import Venture
from domain.schemas import parse

EXTERNAL_KEY = Unique(
    "hotel_review", ("source", "external_id"), "external_id", "is already recorded for this source"
)


def create_review(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | ReviewInput
) -> ReviewView:
    """A review as it arrives from a source (an import run by a manager)."""
    inp = parse(ReviewInput, data)
    hotel = require_hotel_for_work(uow, actor, inp.hotel_id, "hospitality.hotels.manage")
    review = HotelReview(**inp.model_dump(), venture_id=hotel.venture_id, office_id=hotel.office_id)
    with duplicates_as_conflict(uow.session, EXTERNAL_KEY):
        uow.session.add(review)
    return review_views(uow, [review])[0]


def respond_to_review(
    uow: UnitOfWork, actor: Actor, review_id: int, data: Mapping[str, Any] | RespondInput
) -> ReviewView:
    inp = parse(RespondInput, data)
    review = get_review(uow, actor, review_id)
    actor.require("hospitality.reviews.respond", review.venture_id)
    now = clock.now()
    table = HotelReview.__table__  # type: ignore[attr-defined]
    claimed = uow.session.execute(
        update(table)
        .where(table.c.id == pk(review), table.c.responded_at.is_(None))
        .values(responded_by_id=actor.user_id, responded_at=now)
    ).rowcount  # type: ignore[attr-defined]
    uow.session.execute(
        update(table)
        .where(table.c.id == pk(review))
        .values(response_text=inp.response_text, response_updated_at=now)
    )
    uow.session.refresh(review)
    if claimed:
        venture = uow.session.get(Venture, review.venture_id)
        assert venture is not None
        record(
            uow,
            HotelReviewResponded(
                venture_id=review.venture_id,
                review_id=pk(review),
                hotel_id=review.hotel_id,
                rating=review.rating,
                business_date=clock.business_date(now, venture.timezone),
                user_id=actor.user_id,
            ),
        )
    audit(
        uow,
        actor,
        HospitalityAudit.REVIEW_RESPONDED,
        entity_type="hotel_review",
        entity_id=review.id,
        venture_id=review.venture_id,
        detail={"first": bool(claimed), "length": len(inp.response_text)},
    )
    return review_views(uow, [review])[0]


__all__ = ["create_review", "respond_to_review"]
