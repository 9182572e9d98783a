"""Reviews and disputes (spec/operations.md): the first non-empty response stamps responder and
time, later edits do not; resolving a dispute is final; scope hides another venture's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.events.models import OutboxEvent
from domain.hospitality import queries, services
from domain.hospitality.models import DisputeStatus, HotelReview
from domain.hospitality.queries import ReviewFilter
from tests.helpers import actor, user_id
from tests.integration.hospitality.conftest import (
    FRONT_DESK,
    MANAGER,
    hhg,
    open_dispute,
    unanswered_low_review,
)


def _events(kind: str) -> int:
    with read_only() as uow:
        return int(
            uow.session.execute(
                select(func.count()).select_from(OutboxEvent).where(OutboxEvent.type == kind)
            ).scalar_one()
        )


def test_a_second_response_keeps_the_first_responder(demo) -> None:
    review_id = unanswered_low_review()
    with unit_of_work() as uow:
        first = services.respond_to_review(
            uow, actor(FRONT_DESK), review_id, {"response_text": "We are so sorry."}
        )
    assert first.responded_by_id == user_id(FRONT_DESK) and first.responded_at is not None
    with unit_of_work() as uow:
        second = services.respond_to_review(
            uow, actor(MANAGER), review_id, {"response_text": "Sorry, and a refund is on its way."}
        )
    assert second.response_text == "Sorry, and a refund is on its way."
    assert (second.responded_by_id, second.responded_at) == (
        first.responded_by_id,
        first.responded_at,
    )
    assert _events("HotelReviewResponded") == 1


def test_an_empty_response_is_refused_and_stamps_nothing(demo) -> None:
    review_id = unanswered_low_review()
    with pytest.raises(Invalid) as refused, unit_of_work() as uow:
        services.respond_to_review(uow, actor(MANAGER), review_id, {"response_text": "   "})
    assert "response_text" in refused.value.fields
    with read_only() as uow:
        review = uow.session.get(HotelReview, review_id)
        assert review is not None and review.responded_by_id is None


def test_the_review_filters(demo) -> None:
    with read_only() as uow:
        page = queries.list_reviews(
            uow, actor(MANAGER), ReviewFilter(unanswered=True, max_rating=3), limit=200
        )
    assert page.items
    assert all(r.rating <= 3 and r.responded_at is None for r in page.items)
    dates = [(r.review_date, r.id) for r in page.items]
    assert dates == sorted(dates, reverse=True)


def test_resolving_is_final(demo) -> None:
    dispute_id = open_dispute()
    with unit_of_work() as uow:
        services.update_dispute(uow, actor(MANAGER), dispute_id, {"status": "IN_PROGRESS"})
    with unit_of_work() as uow:
        won = services.resolve_dispute(
            uow, actor(MANAGER), dispute_id, {"status": "WON", "outcome_note": "Proof accepted"}
        )
    assert won.status is DisputeStatus.WON and won.resolved_at is not None
    for again in ({"status": "LOST"}, {"status": "WON"}):
        with pytest.raises(Conflict) as refused, unit_of_work() as uow:
            services.resolve_dispute(uow, actor(MANAGER), dispute_id, again)
        assert "already resolved (WON)" in refused.value.message
    with pytest.raises(Conflict), unit_of_work() as uow:
        services.update_dispute(uow, actor(MANAGER), dispute_id, {"amount": "1.00"})
    with pytest.raises(Invalid), unit_of_work() as uow:
        services.resolve_dispute(uow, actor(MANAGER), open_dispute(), {"status": "OPEN"})
    assert _events("HotelDisputeResolved") == 1
    with read_only() as uow:
        view = queries.get_dispute_view(uow, actor(MANAGER), dispute_id)
    assert view.status is DisputeStatus.WON and view.outcome_note == "Proof accepted"


def test_a_dispute_is_in_the_venture_currency(demo) -> None:
    with pytest.raises(Invalid) as refused:
        open_dispute(currency="INR")
    assert refused.value.fields == {"currency": "must be USD, the currency of HHG"}


def test_a_csr_of_afl_cannot_reach_a_review_of_hhg(demo) -> None:
    review_id = unanswered_low_review()
    dispute_id = open_dispute()
    csr = actor("csr.afl@vcc.example")
    with read_only() as uow:
        with pytest.raises(Forbidden):  # the role has no hospitality at all
            queries.list_reviews(uow, csr, ReviewFilter(venture_id=hhg()))
        with pytest.raises(Forbidden):
            queries.get_review_view(uow, csr, review_id)
        with pytest.raises(Forbidden):
            queries.get_dispute_view(uow, csr, dispute_id)
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.respond_to_review(uow, csr, review_id, {"response_text": "hi"})
    # A manager of AFL has the permission but not the venture: as if the review did not exist.
    afl = actor("manager.afl@vcc.example")
    with read_only() as uow:
        assert queries.list_reviews(uow, afl, ReviewFilter(venture_id=hhg())).items == []
        assert queries.list_reviews(uow, afl).items == []
        with pytest.raises(NotFound) as missing:
            queries.get_review_view(uow, afl, review_id)
        with pytest.raises(NotFound) as really_missing:
            queries.get_review_view(uow, afl, 987_654_321)
    assert missing.value.message == really_missing.value.message.replace(
        "987654321", str(review_id)
    )
    with pytest.raises(NotFound), unit_of_work() as uow:
        services.respond_to_review(uow, afl, review_id, {"response_text": "hi"})
    with pytest.raises(NotFound), unit_of_work() as uow:
        services.resolve_dispute(uow, afl, dispute_id, {"status": "WON"})
    with read_only() as uow:
        review = uow.session.get(HotelReview, review_id)
        assert review is not None and review.responded_at is None  # nothing changed


def test_the_front_desk_sees_only_the_reviews_of_its_office(demo) -> None:
    brooklyn = unanswered_low_review("Brooklyn Hotels")
    desk = actor(FRONT_DESK)  # Midtown Hotels only
    with read_only() as uow:
        seen = queries.list_reviews(uow, desk, limit=200).items
        assert seen and all(r.hotel_code in MIDTOWN_CODES(uow) for r in seen)
        with pytest.raises(NotFound):
            queries.get_review_view(uow, desk, brooklyn)


def MIDTOWN_CODES(uow) -> set[str]:
    from domain.hospitality.models import HotelProperty
    from tests.helpers import office_id

    return set(
        uow.session.execute(
            select(HotelProperty.code).where(
                HotelProperty.office_id == office_id("HHG", "Midtown Hotels")
            )
        ).scalars()
    )
