"""The briefing job on hand-made days (spec/briefing-and-dashboards.md, "Daily briefing"): each
signal fires at its threshold and not just below it, a re-run of a day never duplicates an item
and never keeps a stale one, and the real notebook runs through the runner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from sqlmodel import col, select

from domain import clock
from domain.briefing.models import BriefingItem, Section, Severity
from domain.briefing.services import add_item
from domain.db import pk, read_only, unit_of_work
from domain.freight.models import Customer, Equipment, FreightKpiDaily, Load, LoadStatus
from domain.hospitality.models import HotelKpiDaily, HotelProperty, HotelReview, ReviewSource
from domain.jobs.models import RunStatus
from domain.jobs.runner import run_job
from domain.jobs.tasks import briefing
from domain.operations.models import EodReport, Task, TaskStatus
from domain.org.models import Office, OfficeUser, User, Venture, VentureType, VentureUser

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

D = date(2026, 11, 24)  # a Tuesday
TZ = "America/New_York"


def venture(code: str, kind: VentureType, currency: str = "USD") -> tuple[int, int, int]:
    """A venture, its office and a manager (ids)."""
    with unit_of_work() as uow:
        s = uow.session
        v = Venture(
            code=code,
            slug=code.lower(),
            name=f"{code} venture",
            type=kind,
            currency=currency,
            timezone=TZ,
        )
        s.add(v)
        s.flush()
        office = Office(venture_id=pk(v), name=f"{code} office", timezone=TZ)
        boss = User(email=f"boss@{code.lower()}.example", name="Boss", role="VENTURE_HEAD")  # type: ignore[arg-type]
        s.add_all([office, boss])
        s.flush()
        return pk(v), pk(office), pk(boss)


def items(venture_id: int, day: date = D) -> dict[str, BriefingItem]:
    with read_only() as uow:
        rows = uow.session.execute(
            select(BriefingItem).where(
                BriefingItem.venture_id == venture_id, BriefingItem.business_date == day
            )
        ).scalars()
        return {r.source_key: r for r in rows}


def severities(venture_id: int) -> dict[str, Severity]:
    return {k: v.severity for k, v in items(venture_id).items()}


# ---- freight -----------------------------------------------------------------------------


def kpi_days(venture_id: int, today: tuple[int, int], before: tuple[int, int]) -> None:
    """D's (created, covered) and the 7 days before, spread over them."""
    with unit_of_work() as uow:
        uow.session.execute(FreightKpiDaily.__table__.delete())  # type: ignore[attr-defined]
        created, covered = before
        for i in range(1, 8):
            share = (
                created // 7 + (1 if i <= created % 7 else 0),
                covered // 7 + (1 if i <= covered % 7 else 0),
            )
            uow.session.add(
                FreightKpiDaily(
                    venture_id=venture_id,
                    day=D - timedelta(days=i),
                    loads_created=share[0],
                    loads_covered=share[1],
                )
            )
        uow.session.add(
            FreightKpiDaily(
                venture_id=venture_id, day=D, loads_created=today[0], loads_covered=today[1]
            )
        )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ((20, 14), Severity.WARN),  # 0.70 against 0.80: 0.10 lower
        ((100, 71), None),  # 0.71: 0.09 lower
        ((20, 13), Severity.CRITICAL),  # 0.65: 0.15 lower
        ((4, 0), None),  # fewer than 5 loads created: not read
    ],
)
def test_freight_coverage(
    db: TestDatabase, today: tuple[int, int], expected: Severity | None
) -> None:
    vid, _, _ = venture("AFL", VentureType.LOGISTICS)
    kpi_days(vid, today, (70, 56))  # 0.80 in the 7 days before
    result = briefing.build(D, "AFL", dry_run=False)
    assert severities(vid).get("signal:freight.coverage_drop") == expected
    assert len(result.rows) == (0 if expected is None else 1)
    if expected is not None:
        item = items(vid)["signal:freight.coverage_drop"]
        assert item.section == Section.FREIGHT and item.link == "/freight/loads"
        assert f"{today[1]} of {today[0]}" in item.detail and "56 of 70" in item.detail


def lost_loads(
    venture_id: int, office_id: int, user_id: int, reasons: list[str], day: date = D
) -> None:
    noon = datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)  # 12:00 in New York
    with unit_of_work() as uow:
        cust = Customer(venture_id=venture_id, name=f"Acme {day}", code=f"AC{day:%d}")
        uow.session.add(cust)
        uow.session.flush()
        for i, reason in enumerate(reasons):
            uow.session.add(
                Load(
                    venture_id=venture_id,
                    office_id=office_id,
                    reference=f"L-{day:%m%d}-{i}",
                    customer_id=pk(cust),
                    pickup_city="Newark",
                    pickup_state="NJ",
                    pickup_date=day,
                    drop_city="Dallas",
                    drop_state="TX",
                    drop_date=day,
                    equipment=Equipment.DRY_VAN,
                    sales_user_id=user_id,
                    status=LoadStatus.LOST,
                    created_at=noon - timedelta(days=1),
                    lost_at=noon,
                    lost_reason=reason,  # type: ignore[arg-type]
                )
            )


@pytest.mark.parametrize(
    ("reasons", "rate", "internal"),
    [
        (["RATE", "RATE", "CAPACITY", "OTHER"], Severity.WARN, None),  # 0.50 on rate
        (["RATE", "RATE", "RATE", "CAPACITY", "OTHER", "OTHER", "OTHER"], None, None),  # 0.43
        (["RATE"] * 7 + ["OTHER"] * 3, Severity.CRITICAL, None),  # 0.70
        (["RATE", "RATE"], None, None),  # fewer than 3 losses: the share is not read
        (["INTERNAL_ERROR"] + ["OTHER"] * 9, None, Severity.WARN),  # one: a storm
        (["INTERNAL_ERROR"] * 2 + ["OTHER"] * 5, None, Severity.WARN),  # 2 of 7: 28.6 %
        (["INTERNAL_ERROR"] * 3 + ["OTHER"] * 7, None, Severity.CRITICAL),  # three
        (["INTERNAL_ERROR"] * 6 + ["OTHER"] * 14, None, Severity.CRITICAL),  # 30 %
    ],
)
def test_freight_losses(
    db: TestDatabase, reasons: list[str], rate: Severity | None, internal: Severity | None
) -> None:
    vid, office, boss = venture("AFL", VentureType.LOGISTICS)
    lost_loads(vid, office, boss, reasons)
    lost_loads(vid, office, boss, ["INTERNAL_ERROR"] * 5, day=D - timedelta(days=1))  # not D
    briefing.build(D, "AFL", dry_run=False)
    got = severities(vid)
    assert got.get("signal:freight.lost_to_rate") == rate
    assert got.get("signal:freight.internal_error") == internal


# ---- hospitality -------------------------------------------------------------------------


def hotel(venture_id: int, office_id: int, code: str = "H1", rooms: int = 100) -> int:
    with unit_of_work() as uow:
        h = HotelProperty(
            venture_id=venture_id,
            office_id=office_id,
            name=f"Hotel {code}",
            code=code,
            rooms=rooms,
            city="Austin",
        )
        uow.session.add(h)
        uow.session.flush()
        return pk(h)


def hotel_days(
    venture_id: int, hotel_id: int, before: tuple[int, str], recent: tuple[int, str]
) -> None:
    """(rooms sold, room revenue) per day: D-6..D-3 at ``before``, D-2..D at ``recent``."""
    with unit_of_work() as uow:
        for i in range(7):
            sold, revenue = recent if i < 3 else before
            uow.session.add(
                HotelKpiDaily(
                    hotel_id=hotel_id,
                    venture_id=venture_id,
                    day=D - timedelta(days=i),
                    rooms_available=100,
                    rooms_sold=sold,
                    room_revenue=Decimal(revenue),
                )
            )


@pytest.mark.parametrize(
    ("before", "recent", "expected"),
    [
        # Occupancy 80 % before; RevPAR 100.00 before and after unless said.
        ((80, "10000.00"), (70, "10000.00"), Severity.WARN),  # 10 points
        ((80, "10000.00"), (71, "10000.00"), None),  # 9 points
        ((80, "10000.00"), (65, "10000.00"), Severity.CRITICAL),  # 15 points
        ((80, "10000.00"), (80, "8500.00"), Severity.WARN),  # RevPAR 15 % lower
        ((80, "10000.00"), (80, "8501.00"), None),  # 14.99 % lower
        ((80, "10000.00"), (80, "7500.00"), Severity.CRITICAL),  # RevPAR 25 % lower
        ((80, "10000.00"), (72, "7500.00"), Severity.CRITICAL),  # 8 points; RevPAR 25 % decides
    ],
)
def test_hotel_kpi_drop(
    db: TestDatabase,
    before: tuple[int, str],
    recent: tuple[int, str],
    expected: Severity | None,
) -> None:
    vid, office, _ = venture("HHG", VentureType.HOSPITALITY)
    h = hotel(vid, office)
    hotel_days(vid, h, before, recent)
    briefing.build(D, "HHG", dry_run=False)
    assert severities(vid).get(f"signal:hotel.kpi_drop:{h}") == expected


def review(
    venture_id: int, office_id: int, hotel_id: int, rating: int, day: date, **extra: Any
) -> int:
    with unit_of_work() as uow:
        r = HotelReview(
            hotel_id=hotel_id,
            venture_id=venture_id,
            office_id=office_id,
            source=ReviewSource.GOOGLE,
            external_id=f"r-{rating}-{day}-{len(extra)}-{clock.now().timestamp()}",
            rating=rating,
            review_date=day,
            **extra,
        )
        uow.session.add(r)
        uow.session.flush()
        return pk(r)


def test_low_reviews_unanswered_after_48_hours_and_top_reviews(db: TestDatabase) -> None:
    vid, office, boss = venture("HHG", VentureType.HOSPITALITY)
    h = hotel(vid, office)
    _, end_of_d = clock.day_bounds_utc(D, TZ)
    # Recorded exactly 48 hours before the end of D, rated 3, unanswered: it counts.
    review(vid, office, h, 3, D - timedelta(days=2), created_at=end_of_d - timedelta(hours=48))
    # Recorded 47 hours before: not yet overdue. Rated 4: not low. Answered: not waiting.
    review(vid, office, h, 1, D - timedelta(days=1), created_at=end_of_d - timedelta(hours=47))
    review(vid, office, h, 4, D - timedelta(days=5), created_at=end_of_d - timedelta(days=5))
    review(
        vid,
        office,
        h,
        2,
        D - timedelta(days=5),
        created_at=end_of_d - timedelta(days=5),
        response_text="Sorry",
        responded_by_id=boss,
        responded_at=end_of_d - timedelta(days=4),
    )
    top = review(vid, office, h, 5, D, created_at=end_of_d - timedelta(hours=2))
    review(vid, office, h, 4, D, created_at=end_of_d - timedelta(hours=2))  # 4 < 4.5: no win
    briefing.build(D, "HHG", dry_run=False)
    got = items(vid)
    assert got["signal:hotel.low_review_unanswered"].severity == Severity.WARN
    assert got["signal:hotel.low_review_unanswered"].title.startswith("1 low review unanswered")
    assert got[f"signal:hotel.top_review:{top}"].severity == Severity.INFO
    assert sorted(got) == sorted(
        [f"signal:hotel.top_review:{top}", "signal:hotel.low_review_unanswered"]
    )


# ---- operations --------------------------------------------------------------------------


def people(venture_id: int, office_id: int, n: int) -> list[int]:
    with unit_of_work() as uow:
        users = [
            User(email=f"p{i}-{venture_id}@example.com", name=f"Person {i:02d}", role="EMPLOYEE")  # type: ignore[arg-type]
            for i in range(n)
        ]
        uow.session.add_all(users)
        uow.session.flush()
        for u in users:
            uow.session.add(OfficeUser(user_id=pk(u), office_id=office_id))
            uow.session.add(VentureUser(user_id=pk(u), venture_id=venture_id))
        return [pk(u) for u in users]


@pytest.mark.parametrize(
    ("overdue", "expected"),
    [(0, None), (1, Severity.WARN), (14, Severity.WARN), (15, Severity.CRITICAL)],
)
def test_overdue_tasks(db: TestDatabase, overdue: int, expected: Severity | None) -> None:
    vid, office, boss = venture("LGY", VentureType.SAAS)
    with unit_of_work() as uow:

        def task(due: date | None, status: TaskStatus = TaskStatus.OPEN) -> Task:
            return Task(
                venture_id=vid,
                office_id=office,
                title="t",
                status=status,
                due_date=due,
                assignee_id=boss,
                created_by_id=boss,
            )

        uow.session.add_all(task(D - timedelta(days=i % 3)) for i in range(overdue))
        # Not overdue at the end of D: due later, done, canceled, undated.
        uow.session.add_all(
            [
                task(D + timedelta(days=1)),
                task(D - timedelta(days=3), TaskStatus.DONE),
                task(D - timedelta(days=3), TaskStatus.CANCELED),
                task(None),
            ]
        )
    briefing.build(D, "LGY", dry_run=False)
    assert severities(vid).get("signal:ops.overdue_tasks") == expected


def test_missing_eods_per_office_on_weekdays_only(db: TestDatabase) -> None:
    vid, office, _ = venture("LGY", VentureType.SAAS)
    staff = people(vid, office, 3)
    with unit_of_work() as uow:
        uow.session.add(EodReport(user_id=staff[0], venture_id=vid, business_date=D, summary="ok"))
    briefing.build(D, "LGY", dry_run=False)
    item = items(vid)[f"signal:ops.missing_eod:{office}"]
    assert item.severity == Severity.WARN and item.section == Section.OPERATIONS
    assert item.title == "LGY office: 2 of 3 EOD reports missing"
    assert "Person 01, Person 02" in item.detail and "Person 00" not in item.detail
    # Everyone reported: nothing fires.
    with unit_of_work() as uow:
        uow.session.add_all(
            EodReport(user_id=u, venture_id=vid, business_date=D, summary="ok") for u in staff[1:]
        )
    briefing.build(D, "LGY", dry_run=False)
    assert f"signal:ops.missing_eod:{office}" not in items(vid)
    # A Saturday is not a working day: no report is missing.
    saturday = D + timedelta(days=4)
    briefing.build(saturday, "LGY", dry_run=False)
    assert items(vid, saturday) == {}


# ---- the job -----------------------------------------------------------------------------


def test_rerunning_a_day_neither_duplicates_nor_keeps_stale_items(db: TestDatabase) -> None:
    vid, office, boss = venture("AFL", VentureType.LOGISTICS)
    kpi_days(vid, (20, 13), (70, 56))  # a coverage fire
    lost_loads(vid, office, boss, ["INTERNAL_ERROR"] + ["OTHER"] * 9)  # a storm
    with unit_of_work() as uow:  # an item an event wrote: never the job's to touch
        add_item(
            uow,
            venture_id=vid,
            business_date=D,
            section=Section.FREIGHT,
            severity=Severity.CRITICAL,
            title="Load L-1 lost",
            source_key="load-lost:999",
        )
    first = briefing.build(D, "AFL", dry_run=False)
    again = briefing.build(D, "AFL", dry_run=False)
    assert first.rows == again.rows and len(items(vid)) == 3
    assert again.summary | {"written": 0} == {
        "ventures": ["AFL"],
        "items": 2,
        "fires": 1,
        "storms": 1,
        "wins": 0,
        "written": 0,
        "removed": 0,
    }
    # The day's numbers are corrected: coverage recovers, the fire goes; the loss stays.
    kpi_days(vid, (20, 16), (70, 56))
    briefing.build(D, "AFL", dry_run=False)
    assert sorted(items(vid)) == ["load-lost:999", "signal:freight.internal_error"]
    # A dry run says what would be written and writes nothing.
    kpi_days(vid, (20, 13), (70, 56))
    dry = briefing.build(D, "AFL", dry_run=True)
    assert len(dry.rows) == 2 and sorted(items(vid)) == [
        "load-lost:999",
        "signal:freight.internal_error",
    ]


def test_the_notebook_runs_per_venture_through_the_runner(db: TestDatabase) -> None:
    vid, _, _ = venture("AFL", VentureType.LOGISTICS)
    kpi_days(vid, (20, 13), (70, 56))
    run = run_job("briefing", business_date=D, venture="AFL")
    assert run.status == RunStatus.SUCCEEDED, (run.error, run.error_cell)
    assert run.result_summary["fires"] == 1 and run.result_summary["ventures"] == ["AFL"]
    assert briefing.stored_rows(db.engine, [vid], D) == briefing.build(D, "AFL", dry_run=True).rows
    with read_only() as uow:
        n = uow.session.execute(
            select(BriefingItem.id).where(col(BriefingItem.venture_id) == vid)
        ).all()
    assert len(n) == 1


# ---- BPO ---------------------------------------------------------------------------------


def bpo_days(venture_id: int, today: tuple[int, int, str | None], before: tuple[int, int]) -> None:
    """D's (connects, deals, average QA) and the 7 days before's (connects, deals), spread."""
    from domain.bpo.models import BpoKpiDaily

    with unit_of_work() as uow:
        connects, deals = before
        for i in range(1, 8):
            uow.session.add(
                BpoKpiDaily(
                    venture_id=venture_id,
                    day=D - timedelta(days=i),
                    connects=connects // 7 + (1 if i <= connects % 7 else 0),
                    deals=deals // 7 + (1 if i <= deals % 7 else 0),
                )
            )
        uow.session.add(
            BpoKpiDaily(
                venture_id=venture_id,
                day=D,
                connects=today[0],
                deals=today[1],
                avg_qa=Decimal(today[2]) if today[2] is not None else None,
            )
        )


@pytest.mark.parametrize(
    ("today", "conversion", "qa"),
    [
        # 7 days before: 20 deals from 100 connects (20 %).
        ((100, 17, "80"), Severity.WARN, None),  # 17 %: 3 points lower
        ((1000, 171, "75"), None, None),  # 17.1 %: 2.9 points; QA 75 is not below 75
        ((100, 13, "74.9"), Severity.CRITICAL, Severity.WARN),  # 7 points; QA below 75
        ((100, 20, "64.9"), None, Severity.CRITICAL),  # QA below 65
        ((0, 0, None), None, None),  # no connects, no score: nothing to read
    ],
)
def test_bpo_conversion_and_qa(
    db: TestDatabase,
    today: tuple[int, int, str | None],
    conversion: Severity | None,
    qa: Severity | None,
) -> None:
    vid, _, _ = venture("PBP", VentureType.BPO, "INR")
    bpo_days(vid, today, (100, 20))
    briefing.build(D, "PBP", dry_run=False)
    got = severities(vid)
    assert got.get("signal:bpo.conversion_drop") == conversion
    assert got.get("signal:bpo.low_qa") == qa
