"""The SaaS rules (spec/operations.md, SaaS): MRR on a date, and the monthly movements defined
in docs/ARCHITECTURE.md ("SaaS wing"). Expected numbers are worked by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from domain.saas.rules import (
    Sub,
    cancel_problem,
    month_movement,
    movements,
    mrr_on,
    mrr_series,
    top_customers,
)

D = Decimal
CANCEL = date(2026, 3, 15)
SUBS = [
    Sub(1, D("100.00"), date(2026, 1, 10), CANCEL),
    Sub(2, D("50.00"), date(2026, 2, 1)),
]


def test_mrr_around_a_cancellation() -> None:
    # Started on or before, not cancelled on or before: the day before counts, the day of the
    # cancellation and after do not.
    assert mrr_on(SUBS, CANCEL - timedelta(days=1)) == D("150.00")
    assert mrr_on(SUBS, CANCEL) == D("50.00")
    assert mrr_on(SUBS, CANCEL + timedelta(days=1)) == D("50.00")


def test_mrr_around_a_start() -> None:
    assert mrr_on(SUBS, date(2026, 1, 9)) == D("0.00")
    assert mrr_on(SUBS, date(2026, 1, 10)) == D("100.00")  # started on the day: counts
    assert mrr_on(SUBS, date(2026, 2, 1)) == D("150.00")


def test_a_subscription_cancelled_on_its_start_day_never_counts() -> None:
    subs = [Sub(1, D("10.00"), date(2026, 5, 5), date(2026, 5, 5))]
    assert mrr_on(subs, date(2026, 5, 5)) == D("0.00")
    assert [m for _, m in mrr_series(subs, date(2026, 5, 1), date(2026, 5, 9))] == [D("0.00")] * 9


def test_the_series_is_mrr_on_every_day() -> None:
    subs = [*SUBS, Sub(3, D("20.00"), date(2026, 3, 1), date(2026, 3, 20))]
    start, end = date(2026, 1, 1), date(2026, 4, 30)
    series = mrr_series(subs, start, end)
    assert len(series) == (end - start).days + 1
    for day, value in series:
        assert value == mrr_on(subs, day), day


def test_a_cancellation_is_refused_before_the_start() -> None:
    assert cancel_problem(date(2026, 3, 1), date(2026, 2, 28)) is not None
    assert cancel_problem(date(2026, 3, 1), date(2026, 3, 1)) is None


def test_month_movements_new_expansion_contraction_churn() -> None:
    feb = date(2026, 2, 1)
    subs = [
        Sub(1, D("100.00"), date(2026, 1, 5)),  # kept, adds a seat pack in February: expansion
        Sub(1, D("30.00"), date(2026, 2, 10)),
        Sub(2, D("200.00"), date(2026, 1, 5), date(2026, 2, 20)),  # churns in February
        Sub(3, D("80.00"), date(2026, 2, 3)),  # new in February
        # downgrades: 300 cancelled, 120 started the same day: contraction of 180
        Sub(4, D("300.00"), date(2025, 12, 1), date(2026, 2, 15)),
        Sub(4, D("120.00"), date(2026, 2, 15)),
        Sub(5, D("40.00"), date(2026, 2, 5), date(2026, 2, 25)),  # in and out within February
    ]
    m = month_movement(subs, feb)
    assert m.opening_mrr == D("600.00")  # 100 + 200 + 300 on 31 January
    assert m.closing_mrr == D("330.00")  # 130 + 80 + 120 on 28 February
    assert m.new_mrr == D("80.00")
    assert m.expansion_mrr == D("30.00")
    assert m.contraction_mrr == D("180.00")
    assert m.churned_mrr == D("200.00")
    assert (m.customers_at_opening, m.new_logos, m.churned_logos) == (3, 1, 1)
    assert m.logo_churn_rate == D("0.3333")
    assert m.closing_mrr == (
        m.opening_mrr + m.new_mrr + m.expansion_mrr - m.contraction_mrr - m.churned_mrr
    )


def test_logo_churn_rate_without_customers_is_none() -> None:
    m = month_movement([], date(2026, 2, 1))
    assert m.logo_churn_rate is None
    assert m.churned_mrr == D("0.00")


def test_the_month_in_progress_closes_on_as_of() -> None:
    subs = [Sub(1, D("100.00"), date(2026, 1, 1), date(2026, 3, 20))]
    ms = movements(subs, date(2026, 2, 15), date(2026, 3, 10))
    assert [m.month for m in ms] == [date(2026, 2, 1), date(2026, 3, 1)]
    assert ms[1].churned_mrr == D("0.00")  # not yet cancelled on 10 March
    assert month_movement(subs, date(2026, 3, 1)).churned_mrr == D("100.00")


def test_top_customers_by_mrr() -> None:
    subs = [*SUBS, Sub(2, D("70.00"), date(2026, 1, 1)), Sub(3, D("120.00"), date(2026, 1, 1))]
    day = date(2026, 4, 1)
    assert top_customers(subs, day, 2) == [(2, D("120.00")), (3, D("120.00"))]
