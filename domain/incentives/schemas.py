"""Inputs (validated before any write) and views of the incentives wing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator

from domain.incentives.models import CURRENCIES, PlanStatus
from domain.schemas import Id, Input, View


class PlanInput(Input):
    venture_id: Id
    name: str = Field(min_length=1, max_length=120)
    currency: str = Field(min_length=3, max_length=3)
    effective_from: date
    effective_to: date | None = None
    status: PlanStatus = PlanStatus.DRAFT

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        value = value.upper()
        if value not in CURRENCIES:
            raise ValueError(f"must be one of {', '.join(CURRENCIES)}")
        return value


class PlanPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    effective_from: date | None = None
    effective_to: date | None = None  # clearable: null opens the plan's end
    status: PlanStatus | None = None


class RuleInput(Input):
    name: str = Field(min_length=1, max_length=120)
    metric_key: str = Field(min_length=1, max_length=40)
    calc_type: str = Field(min_length=1, max_length=32)
    rate: Decimal | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    roles: list[str] = Field(default_factory=list)
    enabled: bool = True


class RulePatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    metric_key: str | None = Field(default=None, min_length=1, max_length=40)
    calc_type: str | None = Field(default=None, min_length=1, max_length=32)
    rate: Decimal | None = None
    config: dict[str, Any] | None = None
    roles: list[str] | None = None
    enabled: bool | None = None


class MetricView(View):
    key: str
    label: str
    vertical: str
    is_money: bool


class RuleView(View):
    id: int
    plan_id: int
    name: str
    metric_key: str
    metric_label: str
    calc_type: str
    rate: Decimal
    config: dict[str, Any]
    roles: list[str]
    enabled: bool
    summary: str  # "2 % of Load margin", "tiered (marginal) on Loads delivered"


class PlanView(View):
    id: int
    venture_id: int
    venture_code: str
    name: str
    currency: str
    effective_from: date
    effective_to: date | None
    status: PlanStatus
    rules: list[RuleView]
    can_manage: bool


class BreakdownLine(View):
    plan_id: int
    plan: str
    rule_id: int
    rule: str
    metric_key: str
    metric_label: str
    metric_value: Decimal
    calc_type: str
    rate: Decimal
    amount: Decimal
    explanation: str  # "Load margin 4,210.00 x 2 % = 84.20 under rule 'Margin share' of ..."


class DailyView(View):
    id: int | None
    user_id: int
    user_name: str
    venture_id: int
    venture_code: str
    business_date: date
    currency: str
    amount: Decimal
    breakdown: list[BreakdownLine]
    run_id: str | None
    run_html: str | None  # the run's report, relative to the reports folder


class MonthTotal(View):
    month: str  # "2026-11"
    venture_code: str
    currency: str
    amount: Decimal
    days: int


class MyIncentives(View):
    months: list[MonthTotal]  # newest first; one line per (month, venture, currency)
    days: list[DailyView]  # the chosen month's days, newest first
    month: str


class UserTotal(View):
    user_id: int
    user_name: str
    currency: str
    amount: Decimal
    days: int


class DayTotal(View):
    business_date: date
    currency: str
    amount: Decimal
    users: int


class RunLine(View):
    run_id: str
    job: str
    business_date: date
    status: str
    triggered_by: str
    started_at: Any
    html: str | None
    verification: str | None


class VentureIncentives(View):
    venture_id: int
    venture_code: str
    start: date
    end: date
    users: list[UserTotal]  # by currency, then amount descending
    days: list[DayTotal]
    totals: dict[str, Decimal]  # per currency, never added across
    runs: list[RunLine]


class PreviewRow(View):
    user_id: int
    user_name: str
    currency: str
    amount: Decimal
    days: int


class Preview(View):
    venture_code: str
    start: date
    end: date
    rows: list[PreviewRow]
    totals: dict[str, Decimal]


class CommitResult(View):
    venture_code: str
    business_date: date
    dry_run: bool
    run_id: str | None
    status: str  # "DRY_RUN" or the run's status
    error: str | None
    rows: list[DailyView]
    totals: dict[str, Decimal]
