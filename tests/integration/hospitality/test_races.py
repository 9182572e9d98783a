"""Races on PostgreSQL (SQLite serialises writers): twenty first responses to one review stamp
one responder; twenty resolutions of one dispute make one; twenty uploads of the same days leave
one row per (hotel, day) and no error."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain.db import read_only, unit_of_work
from domain.errors import Conflict
from domain.events.models import OutboxEvent
from domain.hospitality import services
from domain.hospitality.models import HotelKpiDaily, HotelReview
from tests.helpers import actor, at_once
from tests.integration.hospitality.conftest import (
    MANAGER,
    hhg,
    kpi_csv,
    open_dispute,
    unanswered_low_review,
)

N = 20


def _count(kind: str) -> int:
    with read_only() as uow:
        return int(
            uow.session.execute(
                select(func.count()).select_from(OutboxEvent).where(OutboxEvent.type == kind)
            ).scalar_one()
        )


@pytest.mark.postgres_only
def test_twenty_first_responses_stamp_one_responder(demo) -> None:
    review_id = unanswered_low_review()
    who = actor(MANAGER)

    def respond(i: int):
        with unit_of_work() as uow:
            return services.respond_to_review(uow, who, review_id, {"response_text": f"reply {i}"})

    results, errors = at_once(N, respond)
    assert errors == [] and len(results) == N
    assert len({(r.responded_by_id, r.responded_at) for r in results}) == 1
    assert _count("HotelReviewResponded") == 1
    with read_only() as uow:
        review = uow.session.get(HotelReview, review_id)
        assert review is not None and review.response_text in {f"reply {i}" for i in range(N)}


@pytest.mark.postgres_only
def test_twenty_resolutions_make_one(demo) -> None:
    dispute_id = open_dispute()
    who = actor(MANAGER)
    outcomes = ["WON", "LOST", "CLOSED_NO_ACTION"]

    def resolve(i: int):
        with unit_of_work() as uow:
            return services.resolve_dispute(uow, who, dispute_id, {"status": outcomes[i % 3]})

    results, errors = at_once(N, resolve)
    assert len(results) == 1 and len(errors) == N - 1, errors[:3]
    assert all(isinstance(e, Conflict) for e in errors), errors[:3]
    assert _count("HotelDisputeResolved") == 1


@pytest.mark.postgres_only
def test_twenty_uploads_of_the_same_days_leave_one_row_each(demo) -> None:
    who = actor(MANAGER)
    files = [kpi_csv(3, sold=10 + i) for i in range(N)]

    def upload(i: int):
        with unit_of_work() as uow:
            return services.upload_hotel_kpi_csv(uow, who, hhg(), files[i])

    results, errors = at_once(N, upload)
    assert errors == [] and len(results) == N
    with read_only() as uow:
        dupes = uow.session.execute(
            select(HotelKpiDaily.hotel_id, HotelKpiDaily.day, func.count())
            .group_by(HotelKpiDaily.hotel_id, HotelKpiDaily.day)
            .having(func.count() > 1)
        ).all()
    assert dupes == []
