from datetime import UTC, date, datetime, timedelta

import pytest

from domain import clock

NY = "America/New_York"
KOL = "Asia/Kolkata"


@pytest.mark.parametrize(
    ("instant", "tz", "expected"),
    [
        # New York (UTC-5 in winter): 04:59 UTC is still the previous day, 05:00 is the new one.
        (datetime(2026, 11, 27, 4, 59, tzinfo=UTC), NY, date(2026, 11, 26)),
        (datetime(2026, 11, 27, 5, 0, tzinfo=UTC), NY, date(2026, 11, 27)),
        # Summer (UTC-4).
        (datetime(2026, 7, 1, 3, 59, tzinfo=UTC), NY, date(2026, 6, 30)),
        (datetime(2026, 7, 1, 4, 0, tzinfo=UTC), NY, date(2026, 7, 1)),
        # Kolkata (UTC+5:30, no DST): 18:29 UTC is the same day, 18:30 the next.
        (datetime(2026, 11, 27, 18, 29, tzinfo=UTC), KOL, date(2026, 11, 27)),
        (datetime(2026, 11, 27, 18, 30, tzinfo=UTC), KOL, date(2026, 11, 28)),
        # The same instant is two different business dates in the two ventures.
        (datetime(2026, 3, 1, 20, 0, tzinfo=UTC), NY, date(2026, 3, 1)),
        (datetime(2026, 3, 1, 20, 0, tzinfo=UTC), KOL, date(2026, 3, 2)),
    ],
)
def test_business_date_around_midnight(instant: datetime, tz: str, expected: date) -> None:
    assert clock.business_date(instant, tz) == expected


def test_dst_spring_forward_day_is_23_hours() -> None:
    start, end = clock.day_bounds_utc(date(2026, 3, 8), NY)
    assert start == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=23)
    # 06:59 UTC = 01:59 EST and 07:00 UTC = 03:00 EDT: both 8 March.
    assert clock.business_date(datetime(2026, 3, 8, 6, 59, tzinfo=UTC), NY) == date(2026, 3, 8)
    assert clock.business_date(datetime(2026, 3, 8, 7, 0, tzinfo=UTC), NY) == date(2026, 3, 8)


def test_dst_fall_back_day_is_25_hours() -> None:
    start, end = clock.day_bounds_utc(date(2026, 11, 1), NY)
    assert end - start == timedelta(hours=25)
    # The repeated 01:30 hour: both instants belong to 1 November.
    assert clock.business_date(datetime(2026, 11, 1, 5, 30, tzinfo=UTC), NY) == date(2026, 11, 1)
    assert clock.business_date(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), NY) == date(2026, 11, 1)
    assert clock.business_date(datetime(2026, 11, 2, 4, 59, tzinfo=UTC), NY) == date(2026, 11, 1)


def test_kolkata_day_bounds() -> None:
    start, end = clock.day_bounds_utc(date(2026, 11, 27), KOL)
    assert start == datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
    assert end - start == timedelta(hours=24)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        clock.business_date(datetime(2026, 1, 1), NY)


def test_unknown_timezone() -> None:
    with pytest.raises(ValueError, match="unknown timezone"):
        clock.business_date(datetime(2026, 1, 1, tzinfo=UTC), "Mars/Olympus")
    assert not clock.is_valid_timezone("Mars/Olympus")
    # Forged input is refused, never an exception: paths, NUL bytes, names too long for a file.
    for name in ("../../etc/passwd", "/etc/localtime", "a\x00b", "x" * 5000):
        assert not clock.is_valid_timezone(name)
    with pytest.raises(ValueError, match="unknown timezone"):
        clock.zone("x" * 5000)


def test_frozen_clock() -> None:
    at = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    with clock.frozen(at):
        assert clock.now() == at
        assert clock.today(KOL) == date(2026, 11, 27)
    assert clock.now() != at


def test_house_date_format() -> None:
    assert clock.format_business_date(date(2026, 11, 7)) == "7 Nov 2026"
