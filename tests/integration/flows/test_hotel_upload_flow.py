"""One user action followed to every place it must reach (issue 16, "Cross-vertical flow tests";
spec/events-and-gamification.md, HotelKpiUploaded): the hotel manager uploads a KPI CSV in which
one hotel's occupancy falls 12 points over the last 3 days against the 4 before. Through the
real upload service and the outbox dispatch after commit it reaches

- the hospitality KPI days of every date the file touched (sums of the hotels' rows);
- the hospitality dashboard (its cached read is not served again);
- the briefing: a storm (WARN, 10 to 15 points lower) for that hotel on the next run for
  yesterday, shown to the COO with a link to the hotel's numbers; the flat hotels raise none.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import col, select

from domain.briefing.models import Section, Severity
from domain.briefing.queries import briefing_day
from domain.db import read_only, unit_of_work
from domain.hospitality import services
from domain.hospitality.dashboard import hospitality_dashboard
from domain.hospitality.models import HospitalityKpiDaily
from domain.jobs.tasks import briefing
from tests.helpers import actor
from tests.integration.hospitality.conftest import HEADER, MANAGER, hhg, hotels, yesterday

DAYS = 7  # D-6..D: the 4 days before and the last 3 days the occupancy check compares


def occupancy_drop_csv(day: date) -> tuple[bytes, dict[date, tuple[int, int, Decimal]]]:
    """Every HHG hotel over D-6..D at 80 % occupancy, except the first hotel at 68 % on
    D-2..D (RevPAR unchanged: the same room revenue every day). Returns the file and, per day,
    the expected venture sums (rooms available, rooms sold, room revenue)."""
    lines, sums = [HEADER], {}
    for i, h in enumerate(hotels()):
        for d in range(DAYS):
            on = day - timedelta(days=d)
            sold = h.rooms * (68 if i == 0 and d < 3 else 80) // 100
            revenue = Decimal(h.rooms * 120)
            lines.append(f"{h.code},{on.isoformat()},{h.rooms},{sold},{revenue:.2f},0.00,0,0")
            a, s, r = sums.get(on, (0, 0, Decimal(0)))
            sums[on] = (a + h.rooms, s + sold, r + revenue)
    return ("\n".join(lines) + "\n").encode(), sums


def kpi_days(first: date, last: date) -> dict[date, HospitalityKpiDaily]:
    with read_only() as uow:
        rows = uow.session.execute(
            select(HospitalityKpiDaily).where(
                col(HospitalityKpiDaily.venture_id) == hhg(),
                col(HospitalityKpiDaily.day) >= first,
                col(HospitalityKpiDaily.day) <= last,
            )
        ).scalars()
        return {r.day: r for r in rows}


def test_a_hotel_csv_with_an_occupancy_drop_reaches_the_kpi_days_and_a_storm(demo) -> None:
    d = yesterday()
    data, expected = occupancy_drop_csv(d)
    first = d - timedelta(days=DAYS - 1)
    with read_only() as uow:
        cached = hospitality_dashboard(uow, actor(MANAGER), venture_id=hhg(), preset="7")

    with unit_of_work() as uow:  # the user's one action
        services.upload_hotel_kpi_csv(uow, actor(MANAGER), hhg(), data, filename="kpi.csv")

    days = kpi_days(first, d)
    assert sorted(days) == sorted(expected)
    for day, (available, sold, revenue) in expected.items():
        row = days[day]
        assert (row.rooms_available, row.rooms_sold) == (available, sold), day
        assert Decimal(row.room_revenue) == revenue
        assert row.hotels_reporting == len(hotels())
    with read_only() as uow:
        fresh = hospitality_dashboard(uow, actor(MANAGER), venture_id=hhg(), preset="7")
    assert fresh != cached
    assert fresh.current.rooms_sold == sum(
        s for day, (_, s, _) in expected.items() if fresh.start <= day <= fresh.end
    )

    briefing.build(d, "HHG", dry_run=False)  # the next run for yesterday
    with read_only() as uow:
        shown = briefing_day(uow, actor("coo@vcc.example"), d)
    dropped = hotels()[0]
    storms = [
        i
        for i in shown.items
        if i.venture_code == "HHG" and i.section == Section.HOSPITALITY and "occupancy" in i.title
    ]
    assert [(i.severity, i.link) for i in storms] == [
        (Severity.WARN, f"/hospitality/kpi?hotel={dropped.id}")
    ]
    assert storms[0].title.startswith(dropped.name)
    assert "occupancy" in storms[0].detail and "pts lower" in storms[0].detail
