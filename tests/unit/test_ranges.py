"""The dashboards' date-range rule and quick ranges (domain.analytics.ranges): a refused range
names the field to fix."""

from datetime import date, timedelta

import pytest

from domain import clock
from domain.analytics.ranges import (
    MAX_RANGE_DAYS,
    DateRange,
    Preset,
    check_range,
    default_range,
    preset_range,
)
from domain.errors import Invalid

END = date(2026, 12, 2)


def refused(start: date | None, end: date | None) -> dict[str, str]:
    with pytest.raises(Invalid) as err:
        check_range(start, end)
    return err.value.fields


def test_a_range_of_up_to_two_years_is_accepted() -> None:
    longest = check_range(END - timedelta(days=MAX_RANGE_DAYS - 1), END)
    assert longest.days == MAX_RANGE_DAYS == 731
    assert check_range(END, END) == DateRange(END, END)


def test_more_than_two_years_is_refused_on_the_start_date() -> None:
    assert refused(END - timedelta(days=MAX_RANGE_DAYS), END) == {
        "start": "must be at most 731 days before the end date"
    }
    assert set(refused(date(2023, 1, 1), END)) == {"start"}


def test_an_end_before_the_start_is_refused_on_the_end_date() -> None:
    assert refused(END, END - timedelta(days=1)) == {"end": "must be on or after the start date"}


def test_both_dates_are_required_and_within_the_business_date_bounds() -> None:
    assert refused(None, None) == {"start": "is required", "end": "is required"}
    assert refused(END, None) == {"end": "is required"}
    with clock.frozen(clock.now().replace(year=2026, month=12, day=2)):
        assert set(refused(date(1900, 1, 1), END)) == {"start"}
        assert set(refused(END, date(9999, 12, 31))) == {"end"}


@pytest.mark.parametrize(("preset", "days"), [("7", 7), ("30", 30), ("90", 90)])
def test_the_last_n_days_end_on_the_given_day(preset: str, days: int) -> None:
    r = preset_range(preset, END)
    assert r.end == END and r.days == days
    assert r.start == END - timedelta(days=days - 1)


def test_this_month_runs_from_the_first_to_the_given_day() -> None:
    assert preset_range(Preset.THIS_MONTH, END) == DateRange(date(2026, 12, 1), END)
    assert preset_range("month", date(2026, 12, 1)).days == 1


def test_an_unknown_preset_is_refused_naming_it() -> None:
    with pytest.raises(Invalid) as err:
        preset_range("365", END)
    assert set(err.value.fields) == {"preset"}


def test_the_default_is_the_last_30_days_and_the_previous_period_has_the_same_length() -> None:
    r = default_range(END)
    assert (r.start, r.end, r.days) == (date(2026, 11, 3), END, 30)
    before = r.previous()
    assert before.end == r.start - timedelta(days=1) and before.days == r.days
