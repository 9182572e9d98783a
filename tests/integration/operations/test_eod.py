"""End-of-day reports (spec/operations.md): one per (user, venture, business date), a
resubmission updates the one row and EodSubmitted is raised once; no report for a future date
or for someone else; managers review; who has not submitted, per office and day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import clock
from domain.db import read_only, unit_of_work
from domain.demo import anchor_instant, default_anchor
from domain.errors import Forbidden, Invalid
from domain.operations import queries, services
from domain.operations.models import EodStatus
from tests.helpers import actor, user_id, venture_id
from tests.integration.operations.conftest import CSR, MANAGER, eod_count, events_of

# 23:30 in New York on the demo's anchor date is already the next day in UTC: the business date
# is the venture's. The demo's reports end on the weekday before the anchor's business date
# (its "today" in New York is the day before the anchor), so no one has a report for DAY yet,
# whatever the date the suite runs on.
DAY = default_anchor()
LATE = anchor_instant(DAY) + timedelta(days=1, hours=4, minutes=30)


def submit(who: str = CSR, **data: object) -> object:
    with unit_of_work() as uow:
        return services.submit_eod(
            uow, actor(who), {"venture_id": venture_id("AFL"), "summary": "Quoted 12 lanes"} | data
        )


def test_resubmitting_updates_the_one_report_and_raises_one_event(demo) -> None:
    before = eod_count(CSR)
    with clock.frozen(LATE):
        first = submit(hours="7.5")
        again = submit(summary="Quoted 14 lanes", blockers="Rate sheet late")
    assert first.first_submission and not again.first_submission  # type: ignore[attr-defined]
    report = again.report  # type: ignore[attr-defined]
    assert report.id == first.report.id  # type: ignore[attr-defined]
    assert report.business_date == DAY
    assert report.summary == "Quoted 14 lanes" and report.blockers == "Rate sheet late"
    assert eod_count(CSR) == before + 1
    events = [e for e in events_of("EodSubmitted") if e["report_id"] == report.id]
    assert events == [
        {
            "venture_id": venture_id("AFL"),
            "report_id": report.id,
            "user_id": user_id(CSR),
            "business_date": DAY.isoformat(),
        }
    ]
    with clock.frozen(LATE), read_only() as uow:
        mine = queries.my_eod(uow, actor(CSR), venture_id("AFL"))
    assert mine is not None and mine.summary == "Quoted 14 lanes"


def test_no_report_for_a_future_date_or_for_someone_else(demo) -> None:
    before = eod_count(CSR)
    with clock.frozen(LATE):
        with pytest.raises(Invalid) as err:
            submit(business_date=(DAY + timedelta(days=1)).isoformat())
        assert set(err.value.fields) == {"business_date"}
        with pytest.raises(Invalid) as err:
            submit(user_id=user_id("manager.afl@vcc.example"))
        assert err.value.fields == {"user_id": "is not a field of this form"}
        with pytest.raises(Invalid) as err:
            submit(summary="", hours="25")
        assert set(err.value.fields) == {"summary", "hours"}
    assert eod_count(CSR) == before


def test_a_manager_reviews_and_a_note_is_required_for_attention(demo) -> None:
    report = submit().report  # type: ignore[attr-defined]
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.review_eod(uow, actor(MANAGER), report.id, {"status": "NEEDS_ATTENTION"})
    assert set(err.value.fields) == {"note"}
    with unit_of_work() as uow:
        seen = services.review_eod(
            uow, actor(MANAGER), report.id, {"status": "NEEDS_ATTENTION", "note": "Too short"}
        )
    assert seen.status is EodStatus.NEEDS_ATTENTION and seen.reviewed_by_id == user_id(MANAGER)
    # The author cannot review, and a CSR is no reviewer.
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.review_eod(uow, actor(CSR), report.id, {"status": "REVIEWED"})
    # Resubmitting asks for a fresh review.
    assert submit(summary="Longer").report.status is EodStatus.SUBMITTED  # type: ignore[attr-defined]


def test_who_has_not_submitted_per_office_and_day(demo) -> None:
    with clock.frozen(LATE):
        submit()
        with read_only() as uow:
            offices = queries.missing_eods(uow, actor(MANAGER), venture_id("AFL"))
            with pytest.raises(Invalid):
                queries.missing_eods(
                    uow, actor(MANAGER), venture_id("AFL"), LATE.date() + timedelta(days=1)
                )
    names = {o.office_name for o in offices}
    assert names == {"New York HQ", "Newark Desk"}  # the manager's offices only
    hq = next(o for o in offices if o.office_name == "New York HQ")
    assert user_id(CSR) not in [p.user_id for p in hq.missing]
    assert hq.expected == hq.submitted + len(hq.missing) and hq.submitted >= 1
    with pytest.raises(Forbidden), read_only() as uow:
        queries.missing_eods(uow, actor(CSR), venture_id("AFL"))
