"""FreightKpiDaily math, pure: null amounts, zero denominators (None, never NaN or 0), business
dates in the venture timezone, the 30-day "active" windows; checked against a brute force."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import clock
from domain.freight.kpi import (
    KpiFrames,
    KpiRow,
    compute_kpi,
    load_margin,
    load_margin_pct,
    rate,
)

NY = "America/New_York"
KOL = "Asia/Kolkata"


def at(y: int, m: int, d: int, h: int = 12, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)


def test_margin_with_null_amounts() -> None:
    assert load_margin(None, None) == Decimal("0.00")
    assert load_margin(Decimal("1000.00"), None) == Decimal("1000.00")
    assert load_margin(None, Decimal("250.50")) == Decimal("-250.50")
    assert load_margin_pct(Decimal("1000.00"), Decimal("850.00")) == Decimal("0.150000")
    assert load_margin_pct(None, Decimal("10.00")) is None
    assert load_margin_pct(Decimal("0.00"), Decimal("10.00")) is None


def test_ratio_with_zero_denominator_is_none() -> None:
    assert rate(5, 0) is None
    assert rate(0, 0) is None
    assert rate(None, None) is None
    assert rate(0, 7) == Decimal("0.000000")
    assert rate(2, 3) == Decimal("0.666667")


def test_empty_day_has_zeros_and_no_ratios() -> None:
    rows = compute_kpi(KpiFrames.from_rows(), {1: NY}, date(2026, 3, 1), date(2026, 3, 2))
    assert rows == [KpiRow(1, date(2026, 3, 1)), KpiRow(1, date(2026, 3, 2))]
    assert rows[0].margin_pct is None and rows[0].coverage_rate is None
    assert rows[0].revenue == Decimal("0.00")


def test_one_day_numbers() -> None:
    day = date(2026, 3, 10)
    frames = KpiFrames.from_rows(
        created=[(1, at(2026, 3, 10, 15), 7), (1, at(2026, 3, 10, 16), 8), (1, at(2026, 3, 2), 9)],
        covered=[(1, at(2026, 3, 10, 18))],
        delivered=[
            (1, at(2026, 3, 10, 20), 100, 150_000, 120_000),
            (1, at(2026, 3, 10, 21), 101, 50_000, None),  # cost not known yet: counts as 0
            (1, at(2026, 2, 20), 102, 1_000, 900),  # inside the 30-day window, not on the day
        ],
        lost=[(1, at(2026, 3, 10, 22))],
    )
    (row,) = compute_kpi(frames, {1: NY}, day, day)
    assert (row.loads_created, row.loads_covered, row.loads_delivered, row.loads_lost) == (
        2,
        1,
        2,
        1,
    )
    assert row.revenue == Decimal("2000.00")
    assert row.cost == Decimal("1200.00")
    assert row.profit == Decimal("800.00")
    assert row.margin_pct == Decimal("0.400000")
    assert row.coverage_rate == Decimal("0.500000")
    assert row.active_customers == 3  # 7, 8 today and 9 eight days ago
    assert row.active_carriers == 3


def test_delivered_without_revenue_has_no_margin() -> None:
    day = date(2026, 3, 10)
    frames = KpiFrames.from_rows(delivered=[(1, at(2026, 3, 10), 5, None, 10_000)])
    (row,) = compute_kpi(frames, {1: NY}, day, day)
    assert row.loads_delivered == 1
    assert row.revenue == Decimal("0.00") and row.profit == Decimal("-100.00")
    assert row.margin_pct is None  # revenue 0: n/a, not 0 and not an error
    assert row.coverage_rate is None  # nothing created


def test_business_date_uses_the_venture_timezone() -> None:
    # 2026-03-10 02:30 UTC is still 9 March in New York and already 10 March in Kolkata.
    instant = at(2026, 3, 10, 2, 30)
    frames = KpiFrames.from_rows(created=[(1, instant, 1), (2, instant, 1)])
    rows = compute_kpi(frames, {1: NY, 2: KOL}, date(2026, 3, 9), date(2026, 3, 10))
    created = {(r.venture_id, r.day): r.loads_created for r in rows}
    assert created == {
        (1, date(2026, 3, 9)): 1,
        (1, date(2026, 3, 10)): 0,
        (2, date(2026, 3, 9)): 0,
        (2, date(2026, 3, 10)): 1,
    }


def test_active_window_is_thirty_days_including_the_day() -> None:
    frames = KpiFrames.from_rows(created=[(1, at(2026, 1, 1), 42)])
    rows = compute_kpi(frames, {1: NY}, date(2026, 1, 29), date(2026, 2, 1))
    assert [r.active_customers for r in rows] == [1, 1, 0, 0]  # 30 Jan = 1 Jan + 29 days


# -- brute force ----------------------------------------------------------------------------------

TZS = {1: NY, 2: KOL}
BASE = datetime(2026, 2, 20, tzinfo=UTC)  # spans the US DST change of 8 March 2026

instants = st.integers(0, 40 * 24 * 60).map(lambda m: BASE + timedelta(minutes=m))
ventures = st.sampled_from([1, 2])
money = st.one_of(st.none(), st.integers(0, 5_000_000))


def brute_force(
    created: list, covered: list, delivered: list, lost: list, start: date, end: date
) -> list[KpiRow]:
    def bd(v: int, t: datetime) -> date:
        return clock.business_date(t, TZS[v])

    rows = []
    for v in sorted(TZS):
        d = start
        while d <= end:
            c = [x for x in created if x[0] == v and bd(v, x[1]) == d]
            cov = [x for x in covered if x[0] == v and bd(v, x[1]) == d]
            dl = [x for x in delivered if x[0] == v and bd(v, x[1]) == d]
            lo = [x for x in lost if x[0] == v and bd(v, x[1]) == d]
            window = (d - timedelta(days=29), d)
            customers = {
                x[2] for x in created if x[0] == v and window[0] <= bd(v, x[1]) <= window[1]
            }
            carriers = {
                x[2]
                for x in delivered
                if x[0] == v and x[2] is not None and window[0] <= bd(v, x[1]) <= window[1]
            }
            rows.append(
                KpiRow.from_counts(
                    v,
                    d,
                    created=len(c),
                    covered=len(cov),
                    delivered=len(dl),
                    lost=len(lo),
                    revenue_cents=sum(x[3] or 0 for x in dl),
                    cost_cents=sum(x[4] or 0 for x in dl),
                    active_customers=len(customers),
                    active_carriers=len(carriers),
                )
            )
            d += timedelta(days=1)
    return rows


@settings(max_examples=60, deadline=None)
@given(
    created=st.lists(st.tuples(ventures, instants, st.integers(1, 6)), max_size=40),
    covered=st.lists(st.tuples(ventures, instants), max_size=20),
    delivered=st.lists(
        st.tuples(ventures, instants, st.one_of(st.none(), st.integers(1, 5)), money, money),
        max_size=40,
    ),
    lost=st.lists(st.tuples(ventures, instants), max_size=20),
    offset=st.integers(0, 30),
    length=st.integers(1, 12),
)
def test_compute_kpi_matches_brute_force(
    created: list, covered: list, delivered: list, lost: list, offset: int, length: int
) -> None:
    start = date(2026, 2, 20) + timedelta(days=offset)
    end = start + timedelta(days=length - 1)
    frames = KpiFrames.from_rows(created=created, covered=covered, delivered=delivered, lost=lost)
    assert compute_kpi(frames, TZS, start, end) == brute_force(
        created, covered, delivered, lost, start, end
    )
