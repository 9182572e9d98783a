"""The pure payout rules: the period's dates, one payout per user and currency summing the
dailies, and the reconciliation that fails a run whose payouts differ from the dailies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import Invalid
from domain.incentives.payouts import (
    PayoutRun,
    ReconciliationError,
    check_dates,
    require_reconciled,
    sum_dailies,
)

D = date(2026, 11, 1)


def test_period_dates() -> None:
    check_dates(D, date(2026, 12, 1), today=date(2026, 12, 2))  # 31 days
    with pytest.raises(Invalid) as long:
        check_dates(D, date(2026, 12, 2))
    assert "at most 31 days" in long.value.fields["period_end"]
    with pytest.raises(Invalid) as backwards:
        check_dates(D, date(2026, 10, 31))
    assert "before the period's start" in backwards.value.fields["period_end"]
    with pytest.raises(Invalid) as future:
        check_dates(D, date(2026, 11, 20), today=date(2026, 11, 19))
    assert "in the future" in future.value.fields["period_end"]


def test_one_payout_per_user_and_currency_never_mixing_currencies() -> None:
    dailies = {
        (1, date(2026, 11, 2), "USD"): Decimal("84.20"),
        (1, date(2026, 11, 3), "USD"): Decimal("15.80"),
        (1, date(2026, 11, 3), "INR"): Decimal("500.00"),
        (2, date(2026, 11, 5), "USD"): Decimal("0.01"),
    }
    rows = sum_dailies(dailies)
    assert [(r.user_id, r.currency, r.amount, r.days) for r in rows] == [
        (1, "INR", Decimal("500.00"), 1),
        (1, "USD", Decimal("100.00"), 2),
        (2, "USD", Decimal("0.01"), 1),
    ]
    run = PayoutRun(1, "AFL", D, date(2026, 11, 30), True, rows, dailies)
    assert (
        run.totals() == run.daily_totals() == {"INR": Decimal("500.00"), "USD": Decimal("100.01")}
    )


def test_a_mismatch_fails_the_reconciliation() -> None:
    good = [{"currency": "USD", "payouts": Decimal("1"), "dailies": Decimal("1"), "ok": True}]
    require_reconciled(good)
    bad = [
        *good,
        {"currency": "INR", "payouts": Decimal("9"), "dailies": Decimal("10"), "ok": False},
    ]
    with pytest.raises(ReconciliationError, match="INR payouts 9 vs dailies 10"):
        require_reconciled(bad)
