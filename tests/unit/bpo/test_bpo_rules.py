"""The BPO ratios (spec/operations.md, BPO): connect rate = connects / dials, average handle
time = talk seconds / connected calls, conversion = deals / connects; a zero denominator gives
None (never NaN, never 0)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.bpo.rules import average, call_problems, call_ratios, qa_problem, talk_seconds

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_ratios_of_a_normal_day() -> None:
    r = call_ratios(dials=200, connects=50, talk_secs=15_000, deals=5)
    assert r.connect_rate == Decimal("0.25")
    assert r.avg_handle_seconds == Decimal("300")
    assert r.conversion == Decimal("0.1")


def test_no_dials_gives_no_ratio_at_all() -> None:
    r = call_ratios(dials=0, connects=0, talk_secs=0, deals=0)
    assert r == (None, None, None)


def test_dials_without_a_connect_give_a_zero_rate_but_no_handle_time_or_conversion() -> None:
    r = call_ratios(dials=40, connects=0, talk_secs=0, deals=0)
    assert r.connect_rate == Decimal(0)
    assert r.avg_handle_seconds is None
    assert r.conversion is None


def test_talk_seconds_are_end_minus_start_and_zero_without_an_end() -> None:
    assert talk_seconds(T0, T0 + timedelta(minutes=4, seconds=5)) == 245
    assert talk_seconds(T0, None) == 0


def test_a_call_ending_before_it_starts_and_zero_dials_name_their_fields() -> None:
    errors = call_problems(T0, T0 - timedelta(seconds=1), 0)
    assert set(errors) == {"ended_at", "dial_count"}
    assert call_problems(T0, T0, 1) == {}  # a zero-length call is allowed


def test_qa_score_must_be_0_to_100() -> None:
    assert qa_problem(Decimal("100")) is None
    assert qa_problem(Decimal("0")) is None
    assert qa_problem(None) is None
    assert qa_problem(Decimal("100.5")) is not None
    assert qa_problem(Decimal("-1")) is not None


def test_average_qa_of_nothing_is_none() -> None:
    assert average([]) is None
    assert average([Decimal(80), Decimal(91)]) == Decimal("85.5")
