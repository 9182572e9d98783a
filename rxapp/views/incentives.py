"""What the incentive pages show: display rows built from the domain's incentive views (money with
its currency, never added across currencies; business dates ``27 Nov 2026``), and the rule
editor's form values. Pure functions; no state, no database."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from domain.incentives.schemas import (
    DailyView,
    DayTotal,
    MonthTotal,
    PlanView,
    PreviewRow,
    RuleView,
    RunLine,
    UserTotal,
)
from domain.money import format_money
from rxapp.format import fmt_date, fmt_datetime

RUNS_API = "/api/v1/admin/jobs/runs"

CALC_TYPES: dict[str, str] = {
    "PERCENT_OF_METRIC": "Percent of metric",
    "FLAT_PER_UNIT": "Flat per unit",
    "CURRENCY_PER_DOLLAR": "Currency per dollar",
    "BONUS_ON_TARGET": "Bonus on target",
    "TIERED_SLAB": "Tiered slab",
    "LOAD_LEVEL_BONUS": "Load-level bonus",
}
RATE_TYPES = ("PERCENT_OF_METRIC", "FLAT_PER_UNIT", "CURRENCY_PER_DOLLAR")
PLAN_STATUS_COLORS = {"DRAFT": "gray", "ACTIVE": "green", "RETIRED": "orange"}
RUN_STATUS_COLORS = {
    "RUNNING": "blue",
    "SUCCEEDED": "green",
    "FAILED": "red",
    "TIMED_OUT": "orange",
    "SKIPPED_LOCKED": "gray",
}


def money(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else format_money(amount, currency)


def report_url(run_id: str) -> str:
    return f"{RUNS_API}/{run_id}/html"


def month_label(month: str) -> str:
    """``2026-11`` -> ``Nov 2026``."""
    try:
        return date.fromisoformat(f"{month}-01").strftime("%b %Y")
    except ValueError:
        return month


def totals_text(totals: dict[str, Decimal]) -> str:
    """``$1,234.00 · ₹5,000.00``: one amount per currency, never added."""
    return " · ".join(money(a, c) for c, a in sorted(totals.items())) or "Nothing"


# -- My incentives --------------------------------------------------------------------------------


@dataclasses.dataclass
class MonthRow:
    month: str = ""
    month_label: str = ""
    venture: str = ""
    currency: str = ""
    amount: str = ""
    days: str = ""


@dataclasses.dataclass
class MyDayRow:
    key: str = ""
    day: str = ""
    venture: str = ""
    currency: str = ""
    amount: str = ""
    lines: list[str] = dataclasses.field(default_factory=list)
    run_id: str = ""
    run_url: str = ""  # empty when the report would be refused or there is none


def month_row(t: MonthTotal) -> MonthRow:
    return MonthRow(
        month=t.month,
        month_label=month_label(t.month),
        venture=t.venture_code,
        currency=t.currency,
        amount=money(t.amount, t.currency),
        days=str(t.days),
    )


def my_day_row(d: DailyView, may_open_report: bool) -> MyDayRow:
    run_id = d.run_id or ""
    return MyDayRow(
        key=f"{d.business_date.isoformat()}-{d.venture_code}-{d.currency}",
        day=fmt_date(d.business_date),
        venture=d.venture_code,
        currency=d.currency,
        amount=money(d.amount, d.currency),
        lines=[b.explanation for b in d.breakdown],
        run_id=run_id,
        run_url=report_url(run_id) if run_id and d.run_html and may_open_report else "",
    )


# -- Venture incentives ---------------------------------------------------------------------------


@dataclasses.dataclass
class UserRow:
    user: str = ""
    currency: str = ""
    amount: str = ""
    days: str = ""


@dataclasses.dataclass
class RunRow:
    run_id: str = ""
    job: str = ""
    day: str = ""
    status: str = ""
    status_color: str = "gray"
    started: str = ""
    url: str = ""


def user_row(u: UserTotal) -> UserRow:
    return UserRow(u.user_name, u.currency, money(u.amount, u.currency), str(u.days))


def run_row(r: RunLine) -> RunRow:
    return RunRow(
        run_id=r.run_id,
        job=r.job,
        day=fmt_date(r.business_date),
        status=r.status.replace("_", " ").capitalize(),
        status_color=RUN_STATUS_COLORS.get(r.status, "gray"),
        started=fmt_datetime(r.started_at),
        url=report_url(r.run_id) if r.html else "",
    )


def chart_series(days: list[DayTotal]) -> tuple[list[dict[str, Any]], list[str]]:
    """One point per business date with one key per currency (each its own line, never summed)."""
    currencies = sorted({d.currency for d in days})
    points: dict[date, dict[str, Any]] = {}
    for d in days:
        label = f"{d.business_date.day} {d.business_date:%b}"
        p = points.setdefault(d.business_date, {"day": label})
        p[d.currency] = round(float(d.amount), 2)
    return [points[k] for k in sorted(points)], currencies


USER_CSV_HEADER = ("User", "Currency", "Amount", "Days")


def user_csv_row(u: UserTotal) -> list[str]:
    return [u.user_name, u.currency, f"{u.amount:.2f}", str(u.days)]


# -- Plans and rules ------------------------------------------------------------------------------


@dataclasses.dataclass
class RuleRow:
    id: int = 0
    name: str = ""
    metric: str = ""
    calc: str = ""
    summary: str = ""
    roles: str = ""
    enabled: bool = True


@dataclasses.dataclass
class PlanRow:
    id: int = 0
    venture: str = ""
    name: str = ""
    currency: str = ""
    period: str = ""
    status: str = ""
    status_color: str = "gray"
    can_manage: bool = False
    retired: bool = False
    rules: list[RuleRow] = dataclasses.field(default_factory=list)


def rule_row(r: RuleView) -> RuleRow:
    return RuleRow(
        id=r.id,
        name=r.name,
        metric=r.metric_label,
        calc=CALC_TYPES.get(r.calc_type, r.calc_type),
        summary=r.summary,
        roles=", ".join(r.roles) or "Every role",
        enabled=r.enabled,
    )


def plan_row(p: PlanView) -> PlanRow:
    status = p.status.value
    end = fmt_date(p.effective_to) if p.effective_to else "open-ended"
    return PlanRow(
        id=p.id,
        venture=p.venture_code,
        name=p.name,
        currency=p.currency,
        period=f"{fmt_date(p.effective_from)} to {end}",
        status=status.capitalize(),
        status_color=PLAN_STATUS_COLORS.get(status, "gray"),
        can_manage=p.can_manage,
        retired=status == "RETIRED",
        rules=[rule_row(r) for r in p.rules],
    )


@dataclasses.dataclass
class TierRow:
    start: str = ""
    end: str = ""
    rate: str = ""


def _plain(v: Any) -> str:
    if v is None:
        return ""
    try:
        return format(Decimal(str(v)).normalize(), "f")
    except ArithmeticError:
        return str(v)


def rule_form_values(r: RuleView) -> dict[str, Any]:
    """A stored rule as the editor's fields hold it (text)."""
    c = r.config or {}
    return {
        "name": r.name,
        "metric_key": r.metric_key,
        "calc_type": r.calc_type,
        "rate": _plain(r.rate) if r.calc_type in RATE_TYPES else "",
        "roles": ", ".join(r.roles),
        "enabled": r.enabled,
        "threshold": _plain(c.get("threshold")),
        "bonus": _plain(c.get("bonus")),
        "mode": str(c.get("mode") or "marginal"),
        "percent_of_margin": _plain(c.get("percent_of_margin")),
        "min_margin_pct": _plain(c.get("min_margin_pct")),
        "min_bill_amount": _plain(c.get("min_bill_amount")),
        "tiers": [
            TierRow(_plain(t.get("from")), _plain(t.get("to")), _plain(t.get("rate")))
            for t in c.get("tiers", [])
        ],
    }


def rule_payload(v: dict[str, Any], tiers: list[TierRow]) -> dict[str, Any]:
    """The editor's fields as the domain's rule input (check_rule / add_rule / update_rule):
    only the config keys of the chosen calc type; empty text stays for the domain to name."""
    kind = str(v.get("calc_type") or "")

    def opt(key: str) -> Any:
        text = str(v.get(key) or "").strip()
        return text or None

    config: dict[str, Any] = {}
    if kind == "BONUS_ON_TARGET":
        config = {"threshold": opt("threshold"), "bonus": opt("bonus")}
    elif kind == "TIERED_SLAB":
        config = {
            "mode": str(v.get("mode") or "marginal"),
            "tiers": [
                {
                    "from": t.start.strip() or None,
                    "to": t.end.strip() or None,
                    "rate": t.rate.strip() or None,
                }
                for t in tiers
            ],
        }
    elif kind == "LOAD_LEVEL_BONUS":
        config = {"bonus": opt("bonus"), "percent_of_margin": opt("percent_of_margin")}
        for key in ("min_margin_pct", "min_bill_amount"):
            if opt(key) is not None:
                config[key] = opt(key)
    roles = [r.strip() for r in str(v.get("roles") or "").split(",") if r.strip()]
    return {
        "name": str(v.get("name") or "").strip(),
        "metric_key": str(v.get("metric_key") or "").strip(),
        "calc_type": kind,
        "rate": opt("rate") if kind in RATE_TYPES else None,
        "config": config,
        "roles": roles,
        "enabled": bool(v.get("enabled", True)),
    }


@dataclasses.dataclass
class PreviewLine:
    user: str = ""
    currency: str = ""
    amount: str = ""
    days: str = ""


def preview_line(r: PreviewRow) -> PreviewLine:
    return PreviewLine(r.user_name, r.currency, money(r.amount, r.currency), str(r.days))


# -- Commit ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class CommitLine:
    user: str = ""
    currency: str = ""
    amount: str = ""
    lines: list[str] = dataclasses.field(default_factory=list)


def commit_line(d: DailyView) -> CommitLine:
    return CommitLine(
        d.user_name, d.currency, money(d.amount, d.currency), [b.explanation for b in d.breakdown]
    )
