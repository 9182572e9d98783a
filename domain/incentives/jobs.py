"""The incentive jobs: the daily commit and the backfill, each a notebook run of the runner.

- incentives-daily (notebooks/incentives_daily.ipynb): 07:00 in the group timezone, for
  yesterday, one run per venture with an active plan; critical.
- incentives-backfill (notebooks/incentives_backfill.ipynb): by hand (`vcc incentives
  backfill`), the business date is the range's last day; critical.

The notebooks call :func:`daily` and :func:`backfill_range`; both go through
``domain.incentives.commit``, the only writer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from domain import clock
from domain.db import get_engine
from domain.incentives import commit as engine_commit
from domain.incentives.commit import CommitError, Computation
from domain.incentives.models import IncentivePlan
from domain.jobs.config import NOTEBOOKS_DIR
from domain.jobs.hashing import TableInputs
from domain.jobs.registry import JobParams, JobSpec
from domain.org.models import User, Venture

MAX_BACKFILL_DAYS = 400


def ventures_with_plans(engine: Engine, day: date) -> list[str]:
    """Codes of the active ventures with an ACTIVE plan covering ``day`` (the scheduled runs)."""
    stmt = (
        select(Venture.code)
        .join(IncentivePlan, col(IncentivePlan.venture_id) == Venture.id)
        .where(
            col(Venture.is_active).is_(True),
            engine_commit.plan_applies(day, day),
        )
        .distinct()
        .order_by(Venture.code)
    )
    with engine.connect() as conn:
        return [str(c) for c in conn.execute(stmt).scalars()]


def _ventures(engine: Engine, venture: str, start: date, end: date) -> dict[int, Venture]:
    """The ventures a run covers: the one named, or ("all") every one with a plan in the range."""
    with engine.connect() as conn:
        stmt = select(Venture).where(col(Venture.is_active).is_(True))
        if venture != "all":
            stmt = stmt.where(Venture.code == venture.upper())
        found = {v.id: v for v in (Venture.model_validate(r._mapping) for r in conn.execute(stmt))}
    if venture != "all" and not found:
        raise CommitError(f"venture {venture}: no active venture with this code")
    with engine.connect() as conn:  # one query for every venture found
        planned = set(
            conn.execute(
                select(IncentivePlan.venture_id)
                .where(
                    col(IncentivePlan.venture_id).in_(list(found)),
                    engine_commit.plan_applies(start, end),
                )
                .distinct()
            ).scalars()
        )
    with_plans = {vid: v for vid, v in found.items() if vid in planned}
    if venture != "all" and not with_plans:
        raise CommitError(
            f"venture {venture.upper()} has no active incentive plan for {start}"
            + (f" to {end}" if end != start else "")
        )
    return with_plans


@dataclass
class IncentiveRun:
    """What a daily or backfill run computed (and, live, wrote)."""

    start: date
    end: date
    dry_run: bool
    computations: dict[str, Computation] = field(default_factory=dict)  # by venture code
    codes: dict[int, str] = field(default_factory=dict)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [
            r
            for c in self.computations.values()
            for r in engine_commit.canonical(c.rows, self.codes)
        ]

    def totals(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for c in self.computations.values():
            for r in c.rows:
                out[r.currency] += r.amount
        return dict(sorted(out.items()))

    @property
    def summary(self) -> dict[str, Any]:
        rows = [r for c in self.computations.values() for r in c.rows]
        return {
            "ventures": sorted(self.computations),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "rows": len(rows),
            "users": len({r.user_id for r in rows}),
            "totals": {k: str(v) for k, v in self.totals().items()},
            "rows_read": sum(c.rows_read for c in self.computations.values()),
        }

    def per_day(self) -> list[dict[str, Any]]:
        """Per venture, day and currency: the users paid and the amount (the backfill notebook)."""
        out: dict[tuple[str, date, str], dict[str, Any]] = {}
        for code, c in self.computations.items():
            for r in c.rows:
                slot = out.setdefault(
                    (code, r.business_date, r.currency),
                    {
                        "venture": code,
                        "date": r.business_date.isoformat(),
                        "currency": r.currency,
                        "users": 0,
                        "amount": Decimal("0.00"),
                    },
                )
                slot["users"] += 1
                slot["amount"] += r.amount
        return [out[k] for k in sorted(out)]

    def user_table(self, engine: Engine | None = None) -> list[dict[str, Any]]:
        """Per user and currency: metric values, rule amounts, the total (the notebook)."""
        engine = engine or get_engine()
        ids = sorted({r.user_id for c in self.computations.values() for r in c.rows})
        with engine.connect() as conn:
            names: dict[int, str] = dict(
                conn.execute(select(User.id, User.name).where(col(User.id).in_(ids))).all()
            )
        out = []
        for code, c in self.computations.items():
            for r in c.rows:
                out.append(
                    {
                        "venture": code,
                        "date": r.business_date.isoformat(),
                        "user": names.get(r.user_id, str(r.user_id)),
                        "currency": r.currency,
                        "rules": "; ".join(
                            f"{b['rule']}: {b['metric_key']} {b['metric_value']} -> {b['amount']}"
                            for b in r.breakdown
                        ),
                        "amount": r.amount,
                    }
                )
        return out


def _check_date(ventures: dict[int, Venture], day: date) -> None:
    for v in ventures.values():
        if day > clock.today(v.timezone):
            raise CommitError(
                f"{day} is in the future for {v.code} (today there is "
                f"{clock.today(v.timezone)}): incentives are committed for past days and today"
            )


def daily(
    business_date: date,
    venture: str,
    *,
    run_id: str | None,
    dry_run: bool,
    engine: Engine | None = None,
) -> IncentiveRun:
    """The incentives-daily notebook: commit (or compute) one business date."""
    engine = engine or get_engine()
    ventures = _ventures(engine, venture, business_date, business_date)
    _check_date(ventures, business_date)
    out = IncentiveRun(
        business_date, business_date, dry_run, codes=engine_commit.venture_codes(engine)
    )
    for vid, v in sorted(ventures.items(), key=lambda kv: kv[1].code):
        out.computations[v.code] = engine_commit.commit_incentives(
            vid, business_date, run_id=run_id, dry_run=dry_run, engine=engine
        )
    return out


def first_day(start: date | str | None, end: date) -> date:
    """The first day of a backfill: ``from_date`` (a date or ISO text), else the last day."""
    if isinstance(start, date):
        return start
    if start:
        try:
            return date.fromisoformat(str(start))
        except ValueError:
            raise CommitError(f"from_date {start!r} is not a date (YYYY-MM-DD)") from None
    return end


def day_count(start: date | str | None, end: date) -> int:
    return max(0, (end - first_day(start, end)).days + 1)


def backfill_range(
    start: date | str | None,
    end: date,
    venture: str,
    *,
    run_id: str | None,
    dry_run: bool,
    engine: Engine | None = None,
    progress: Any = None,
) -> IncentiveRun:
    """The incentives-backfill notebook: every day of ``start..end``, each in its own
    transaction (``commit.write_days``)."""
    engine = engine or get_engine()
    first = first_day(start, end)
    if first > end:
        raise CommitError(f"from {first} is after to {end}")
    if (end - first).days + 1 > MAX_BACKFILL_DAYS:
        raise CommitError(f"a backfill covers at most {MAX_BACKFILL_DAYS} days")
    ventures = _ventures(engine, venture, first, end)
    _check_date(ventures, end)
    out = IncentiveRun(first, end, dry_run, codes=engine_commit.venture_codes(engine))
    for vid, v in sorted(ventures.items(), key=lambda kv: kv[1].code):
        out.computations[v.code] = engine_commit.backfill(
            vid, first, end, run_id=run_id, dry_run=dry_run, engine=engine, progress=progress
        )
    return out


# -- the runner's hooks ---------------------------------------------------------------------------


def _range(p: JobParams) -> tuple[date, date]:
    raw = p.extra.get("from_date") or ""
    start = date.fromisoformat(str(raw)) if raw else p.business_date
    return start, p.business_date


def _inputs(engine: Engine, p: JobParams) -> list[TableInputs]:
    start, end = _range(p)
    out: list[TableInputs] = []
    for vid in p.venture_ids:
        for t in engine_commit.inputs(engine, vid, start, end):
            out.append(TableInputs(f"{t.table}[{vid}]", t.count, t.sha256, t.rows))
    return out


def _daily_inputs(engine: Engine, p: JobParams) -> list[TableInputs]:
    return _inputs(engine, JobParams(p.job, p.business_date, p.venture, p.venture_ids, p.dry_run))


INCENTIVES_DAILY = JobSpec(
    name="incentives-daily",
    title="Incentives: daily commit",
    notebook=NOTEBOOKS_DIR / "incentives_daily.ipynb",
    description="Computes every active incentive plan of a venture for one business date and "
    "replaces that day's IncentiveDaily rows (the only writer); shows per user the metric "
    "values, rule amounts and totals per currency.",
    timeout_seconds=30 * 60,
    critical=True,
    default_cron="0 7 * * *",
    date_offset_days=-1,
    inputs=_daily_inputs,
    stored_output=engine_commit.stored_rows,
    finance_visible=True,
    run_permission="incentives.commit",
    per_venture=ventures_with_plans,
    archive=True,
)

INCENTIVES_BACKFILL = JobSpec(
    name="incentives-backfill",
    title="Incentives: backfill",
    notebook=NOTEBOOKS_DIR / "incentives_backfill.ipynb",
    description="Recommits every day of a range for a venture (parameter from_date; the "
    "business date is the last day), each day replaced whole in its own transaction.",
    timeout_seconds=60 * 60,
    critical=True,
    inputs=_inputs,
    stored_output=engine_commit.stored_rows,
    finance_visible=True,
    run_permission="incentives.commit",
    extra_parameters=lambda p: {"from_date": ""},
    archive=True,
)


# -- payouts --------------------------------------------------------------------------------------


def _period(p: JobParams) -> tuple[date, date]:
    raw = str(p.extra.get("period_start") or "")
    if not raw:
        return p.business_date, p.business_date
    try:
        return date.fromisoformat(raw), p.business_date
    except ValueError:
        from domain.errors import Invalid

        raise Invalid.field("period_start", f"{raw!r} is not a date (YYYY-MM-DD)") from None


def _payout_inputs(engine: Engine, p: JobParams) -> list[TableInputs]:
    from domain.incentives import payouts

    start, end = _period(p)
    out: list[TableInputs] = []
    for vid in p.venture_ids:
        for t in payouts.inputs(engine, vid, start, end):
            out.append(TableInputs(f"{t.table}[{vid}]", t.count, t.sha256, t.rows))
    return out


def _payout_precheck(engine: Engine, p: JobParams) -> None:
    """Refuse a live payouts run for a period that cannot be created, before it is recorded."""
    from domain.errors import Invalid
    from domain.incentives import payouts

    if p.venture_id is None:
        raise Invalid.field("venture", "payouts are created for one venture at a time")
    start, end = _period(p)
    with engine.connect() as conn:
        tz = conn.execute(select(Venture.timezone).where(Venture.id == p.venture_id)).scalar_one()
        payouts.check_period(
            conn,
            p.venture_id,
            start,
            end,
            replace=bool(p.extra.get("replace")),
            today=clock.today(tz),
        )


PAYOUTS = JobSpec(
    name="payouts",
    title="Payouts: create a period",
    notebook=NOTEBOOKS_DIR / "payouts.ipynb",
    description="Creates the CALCULATED payouts of one venture for a period (parameter "
    "period_start; the business date is the period's last day) from its IncentiveDaily rows; "
    "shows per user and currency the amount and the days behind it, and reconciles the payouts "
    "with the dailies per currency (a mismatch fails the run).",
    timeout_seconds=30 * 60,
    critical=True,
    inputs=_payout_inputs,
    stored_output=lambda engine, run_id: _stored_payouts(engine, run_id),
    finance_visible=True,
    run_permission="incentives.payouts.manage",
    extra_parameters=lambda p: {"period_start": "", "replace": False},
    precheck=_payout_precheck,
    archive=True,
)


def _stored_payouts(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    from domain.incentives import payouts

    return payouts.stored_rows(engine, run_id)
