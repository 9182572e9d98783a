"""The briefing's thresholds as spec/briefing-and-dashboards.md states them ("Daily briefing"):
each rule fires at its threshold and not just below it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.briefing import signals as s
from domain.briefing.models import Severity

WARN, CRITICAL = Severity.WARN, Severity.CRITICAL


@pytest.mark.parametrize(
    ("created", "covered", "base_created", "base_covered", "expected"),
    [
        # 7 days before: 80 of 100 covered (0.80).
        (10, 7, 100, 80, WARN),  # 0.70: dropped 0.10
        (20, 15, 100, 80, None),  # 0.75: dropped 0.05
        (1000, 701, 100, 80, None),  # 0.701: dropped 0.099
        (20, 13, 100, 80, CRITICAL),  # 0.65: dropped 0.15
        (1000, 651, 100, 80, WARN),  # 0.651: dropped 0.149
        (4, 0, 100, 80, None),  # fewer than 5 created on the day: not read
        (5, 0, 100, 80, CRITICAL),  # 5 created, none covered
        (5, 0, 0, 0, None),  # no baseline: nothing to compare
    ],
)
def test_coverage_drop(
    created: int, covered: int, base_created: int, base_covered: int, expected: Severity | None
) -> None:
    assert s.coverage_drop(created, covered, base_created, base_covered)[0] == expected


@pytest.mark.parametrize(
    ("lost", "on_rate", "expected"),
    [
        (4, 2, WARN),  # 0.50
        (7, 3, None),  # 0.43
        (10, 7, CRITICAL),  # 0.70
        (100, 69, WARN),  # 0.69
        (2, 2, None),  # fewer than 3 losses: not read
        (3, 3, CRITICAL),
    ],
)
def test_lost_to_rate(lost: int, on_rate: int, expected: Severity | None) -> None:
    assert s.lost_to_rate(lost, on_rate)[0] == expected


@pytest.mark.parametrize(
    ("lost", "internal", "expected"),
    [
        (10, 0, None),
        (10, 1, WARN),  # 10 %
        (10, 2, WARN),  # 20 %
        (10, 3, CRITICAL),  # three or more
        (7, 2, WARN),  # 28.6 %: just below 30 %
        (20, 6, CRITICAL),  # 30 % exactly
        (3, 1, CRITICAL),  # 33 %
        (100, 2, WARN),  # 2 %
    ],
)
def test_internal_error(lost: int, internal: int, expected: Severity | None) -> None:
    assert s.internal_error(lost, internal) == expected


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("hotel.occupancy_drop", Decimal("9.99"), None),
        ("hotel.occupancy_drop", Decimal("10"), WARN),
        ("hotel.occupancy_drop", Decimal("14.99"), WARN),
        ("hotel.occupancy_drop", Decimal("15"), CRITICAL),
        ("hotel.revpar_drop", Decimal("0.1499"), None),
        ("hotel.revpar_drop", Decimal("0.15"), WARN),
        ("hotel.revpar_drop", Decimal("0.25"), CRITICAL),
        ("bpo.conversion_drop", Decimal("2.99"), None),
        ("bpo.conversion_drop", Decimal("3"), WARN),
        ("bpo.conversion_drop", Decimal("7"), CRITICAL),
        ("bpo.low_qa", Decimal("75"), None),
        ("bpo.low_qa", Decimal("74.9"), WARN),
        ("bpo.low_qa", Decimal("65"), WARN),
        ("bpo.low_qa", Decimal("64.9"), CRITICAL),
        ("ops.overdue_tasks", 0, None),
        ("ops.overdue_tasks", 1, WARN),
        ("ops.overdue_tasks", 14, WARN),
        ("ops.overdue_tasks", 15, CRITICAL),
        ("ops.missing_eod", 0, None),
        ("ops.missing_eod", 1, WARN),
        ("ops.missing_eod", 40, WARN),  # missing EODs never become a fire
    ],
)
def test_levels(key: str, value: Decimal | int, expected: Severity | None) -> None:
    assert s.level(key, value) == expected


def test_no_number_no_signal() -> None:
    assert s.level("bpo.low_qa", None) is None
    assert s.ratio(3, 0) is None
    assert s.relative_drop(Decimal(0), Decimal(5)) is None
    assert s.drop(None, Decimal("0.5")) is None


def test_source_keys_are_signal_keys() -> None:
    d = s.Draft("hotel.kpi_drop", "hospitality", WARN, "t", "d", None, subject="12")  # type: ignore[arg-type]
    assert d.source_key == "signal:hotel.kpi_drop:12"
    assert s.Draft("ops.overdue_tasks", "operations", WARN, "t", "d", None).source_key == (  # type: ignore[arg-type]
        "signal:ops.overdue_tasks"
    )
