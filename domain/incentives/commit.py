"""The commit: the only writer of IncentiveDaily (spec/incentives.md, "the commit").

``commit_incentives(venture, day, run_id=..., dry_run=...)`` reads the venture's rules, the
members' role periods and the metric source rows, computes every applicable plan (the pure
``engine.pay``), then in one transaction deletes that venture-day's rows and inserts the new ones
with one Core bulk insert. Commits of one (venture, day) are serialised by a transaction-level
advisory lock on PostgreSQL (SQLite: the database's write lock, taken when the transaction
begins), taken *before* the inputs are read, so the last commit to write also read last: any
interleaving leaves the rows of one commit. A failure rolls the transaction back and leaves the
previous rows. Live commits run inside a job run (the ``incentives-daily`` notebook), so every
row names the run that wrote it.

A backfill reads the whole range once and writes each day in its own transaction (the same
lock per day); a change to the inputs while it runs is what ``vcc jobs verify`` reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, delete, insert
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from domain import clock
from domain.db import get_engine
from domain.errors import Invalid
from domain.incentives.calc import LoadFacts, load_calc
from domain.incentives.engine import DailyRow, PayingRule, Period, pay
from domain.incentives.metrics import metric, registry
from domain.incentives.models import (
    IncentiveDaily,
    IncentivePayout,
    IncentivePlan,
    IncentiveRule,
    PayoutStatus,
    PlanStatus,
)
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import MembershipPeriod, Venture

_LOCK_CLASS = 0x494E43  # "INC": the advisory-lock namespace of incentive commits


class CommitError(ValueError):
    """A commit that cannot run (no plan, unknown venture): the run fails with this message."""


@dataclass
class Computation:
    venture_id: int
    start: date
    end: date
    rows: list[DailyRow]
    rules: list[PayingRule]
    rows_read: int = 0
    members: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def rows_of(self, day: date) -> list[DailyRow]:
        return [r for r in self.rows if r.business_date == day]


# -- reading ---------------------------------------------------------------------------------------


def paying_rules(session: Session, venture_id: int, start: date, end: date) -> list[PayingRule]:
    """The enabled rules of the venture's ACTIVE plans whose dates meet ``[start, end]``."""
    stmt = (
        select(IncentivePlan, IncentiveRule)
        .join(IncentiveRule, col(IncentiveRule.plan_id) == IncentivePlan.id)
        .where(
            IncentivePlan.venture_id == venture_id,
            IncentivePlan.status == PlanStatus.ACTIVE,
            col(IncentivePlan.effective_from) <= end,
            (col(IncentivePlan.effective_to).is_(None))
            | (col(IncentivePlan.effective_to) >= start),
            col(IncentiveRule.enabled).is_(True),
        )
        .order_by(col(IncentivePlan.id), col(IncentiveRule.id))
    )
    return [paying_rule(plan, rule) for plan, rule in session.execute(stmt).all()]


def paying_rule(plan: IncentivePlan, rule: IncentiveRule) -> PayingRule:
    registered = metric(rule.metric_key, field=f"rule {rule.name!r}: metric_key")
    calc = load_calc(rule.calc_type, rule.rate, rule.config)
    assert plan.id is not None and rule.id is not None
    return PayingRule(
        plan_id=plan.id,
        plan=plan.name,
        currency=plan.currency,
        effective_from=plan.effective_from,
        effective_to=plan.effective_to,
        rule_id=rule.id,
        rule=rule.name,
        metric_key=rule.metric_key,
        calc=calc,
        roles=frozenset(rule.roles or ()),
        item_facts=registered.source.item_facts and str(rule.calc_type) == "LOAD_LEVEL_BONUS",
    )


def member_periods(conn: Connection, venture_id: int, start: date, end: date) -> list[Period]:
    stmt = columns(
        col(MembershipPeriod.user_id),
        col(MembershipPeriod.role),
        col(MembershipPeriod.valid_from),
        col(MembershipPeriod.valid_to),
    ).where(
        col(MembershipPeriod.venture_id) == venture_id,
        col(MembershipPeriod.valid_from) <= end,
        (col(MembershipPeriod.valid_to).is_(None)) | (col(MembershipPeriod.valid_to) >= start),
    )
    return [
        Period(int(u), str(r.value if hasattr(r, "value") else r), f, t)
        for u, r, f, t in conn.execute(stmt)
    ]


def metric_values(
    engine: Engine,
    venture_id: int,
    start: date,
    end: date,
    rules: Sequence[PayingRule],
    conn: Connection | None = None,
) -> tuple[
    dict[tuple[int, date], dict[str, Decimal]], dict[tuple[int, date], list[LoadFacts]], int
]:
    """(values per (user, day) and metric key, load facts per (user, day), source rows read).

    Each source the rules need is read once for the range; sums stay integers (cents, seconds)
    in Polars and become Decimal with one exact division by the metric's scale.
    """
    keys = sorted({r.metric_key for r in rules})
    by_source: dict[str, list[str]] = {}
    for k in keys:
        by_source.setdefault(registry()[k].source.key, []).append(k)
    want_items = {registry()[r.metric_key].source.key for r in rules if r.item_facts}
    values: dict[tuple[int, date], dict[str, Decimal]] = {}
    items: dict[tuple[int, date], list[LoadFacts]] = {}
    rows_read = 0
    for source_key, metric_keys in by_source.items():
        source = registry()[metric_keys[0]].source
        df = source.read(engine, venture_id, start, end, conn)
        rows_read += df.height
        if df.height == 0:
            continue
        aggs = []
        for k in metric_keys:
            m = registry()[k].metric
            expr = pl.len() if m.column is None else pl.col(m.column).sum()
            aggs.append(expr.cast(pl.Int64).alias(k))
        grouped = df.group_by("user_id", "day").agg(aggs)
        for row in grouped.iter_rows(named=True):
            slot = values.setdefault((int(row["user_id"]), row["day"]), {})
            for k in metric_keys:
                scale = registry()[k].metric.scale
                total = Decimal(int(row[k]))
                slot[k] = total / scale if scale != 1 else total
        if source_key in want_items:
            for u, d, bill, cost in df.select(
                "user_id", "day", "bill_cents", "cost_cents"
            ).iter_rows():
                items.setdefault((int(u), d), []).append(
                    LoadFacts(Decimal(int(bill)) / 100, Decimal(int(cost)) / 100)
                )
    return values, items, rows_read


def compute(
    venture_id: int,
    start: date,
    end: date,
    *,
    engine: Engine | None = None,
    conn: Connection | None = None,
) -> Computation:
    """Every row the venture's plans pay for the days ``start..end`` (nothing written).

    With ``conn`` (the commit's locked transaction) every read goes through it, so a commit
    holds one pooled connection, never two (PostgreSQL's metric read is connectorx's own)."""
    engine = engine or get_engine()
    t0 = time.perf_counter()
    with Session(bind=conn if conn is not None else engine) as session:
        rules = paying_rules(session, venture_id, start, end)
        periods = member_periods(session.connection(), venture_id, start, end) if rules else []
    t1 = time.perf_counter()
    values, items, rows_read = (
        metric_values(engine, venture_id, start, end, rules, conn) if rules else ({}, {}, 0)
    )
    t2 = time.perf_counter()
    rows = pay(venture_id, rules, periods, values, items)
    t3 = time.perf_counter()
    return Computation(
        venture_id,
        start,
        end,
        rows,
        rules,
        rows_read=rows_read,
        members=len({p.user_id for p in periods}),
        timings={"rules": t1 - t0, "read": t2 - t1, "pay": t3 - t2},
    )


# -- writing ---------------------------------------------------------------------------------------


def write_engine(engine: Engine) -> Engine:
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def lock_day(conn: Connection, venture_id: int, day: date) -> None:
    """The (venture, day) commit lock (PostgreSQL; SQLite: the transaction's write lock). The
    payouts of a period take the same locks of each of its days (domain/incentives/payouts.py)."""
    if conn.dialect.name == "postgresql":
        key = int(venture_id) * 100_000 + day.toordinal() % 100_000
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_CLASS}, {key})")


@contextmanager
def _locked_day(engine: Engine, venture_id: int, day: date) -> Iterator[Connection]:
    with write_engine(engine).begin() as conn:
        lock_day(conn, venture_id, day)
        refuse_locked(conn, venture_id, day, day)
        yield conn


# -- days locked by an approved or paid payout -----------------------------------------------------


class DayLocked(CommitError):
    """A day inside an APPROVED or PAID payout period: its incentives are signed."""


def locked_periods(
    conn: Connection, venture_id: int, start: date, end: date
) -> list[tuple[date, date, str, str]]:
    """(period start, end, status, run id) of the venture's APPROVED or PAID payouts meeting
    ``[start, end]``."""
    t = IncentivePayout.__table__  # type: ignore[attr-defined]
    found = conn.execute(
        columns(t.c.period_start, t.c.period_end, t.c.status, t.c.run_id)
        .where(
            t.c.venture_id == venture_id,
            t.c.status.in_([PayoutStatus.APPROVED.value, PayoutStatus.PAID.value]),
            t.c.period_start <= end,
            t.c.period_end >= start,
        )
        .distinct()
        .order_by(t.c.period_start)
    ).all()
    return [(s, e, str(getattr(st, "value", st)), str(r)) for s, e, st, r in found]


def locked_message(code: str, day: date, period: tuple[date, date, str, str]) -> str:
    start, end, status, run_id = period
    return (
        f"{day} is locked: it lies in the {status} payout period {start} to {end} of {code} "
        f"(run {run_id}); reopen the period (force-reopen, FINANCE or CEO, with a reason) to "
        "recompute it"
    )


def refuse_locked(conn: Connection, venture_id: int, start: date, end: date) -> None:
    """Raise DayLocked naming the payout period when a day of ``[start, end]`` is locked."""
    found = locked_periods(conn, venture_id, start, end)
    if found:
        code = conn.execute(columns(col(Venture.code)).where(col(Venture.id) == venture_id))
        day = max(start, found[0][0])
        raise DayLocked(locked_message(str(code.scalar_one()), day, found[0]))


def _insert_rows(
    conn: Connection, venture_id: int, day: date, rows: Sequence[DailyRow], run_id: str
) -> None:
    table = IncentiveDaily.__table__  # type: ignore[attr-defined]
    conn.execute(
        delete(table).where(table.c.venture_id == venture_id, table.c.business_date == day)
    )
    if rows:
        now = clock.now()
        conn.execute(
            insert(table),
            [
                {
                    "user_id": r.user_id,
                    "venture_id": venture_id,
                    "business_date": day,
                    "currency": r.currency,
                    "amount": r.amount,
                    "breakdown": r.breakdown,
                    "run_id": run_id,
                    "created_at": now,
                }
                for r in rows
            ],
        )


def commit_incentives(
    venture_id: int,
    day: date,
    *,
    run_id: str | None,
    dry_run: bool,
    engine: Engine | None = None,
    before_write: Callable[[Computation], None] | None = None,
) -> Computation:
    """Compute (dry run) or recompute and replace (live) the venture's rows of ``day``.

    ``before_write`` runs inside the locked transaction just before the rows are replaced (tests
    use it to fail a commit half way)."""
    engine = engine or get_engine()
    if dry_run:
        return compute(venture_id, day, day, engine=engine)
    if not run_id:
        raise CommitError("a live commit needs its run id: commits run as jobs")
    with _locked_day(engine, venture_id, day) as conn:
        result = compute(venture_id, day, day, engine=engine, conn=conn)
        t0 = time.perf_counter()
        if before_write is not None:
            before_write(result)
        _insert_rows(conn, venture_id, day, result.rows, run_id)
        result.timings["write"] = time.perf_counter() - t0
    return result


def backfill(
    venture_id: int,
    start: date,
    end: date,
    *,
    run_id: str | None,
    dry_run: bool,
    engine: Engine | None = None,
    progress: Callable[[date, int], None] | None = None,
) -> Computation:
    """Every day of ``start..end``: one read of the range, then each day in its own transaction."""
    engine = engine or get_engine()
    if end < start:
        raise Invalid.field("to", "must be on or after from")
    if not dry_run:
        with engine.connect() as conn:  # refused before any day is written
            refuse_locked(conn, venture_id, start, end)
    result = compute(venture_id, start, end, engine=engine)
    if dry_run:
        return result
    if not run_id:
        raise CommitError("a live backfill needs its run id: backfills run as jobs")
    t0 = time.perf_counter()
    by_day: dict[date, list[DailyRow]] = {}
    for r in result.rows:
        by_day.setdefault(r.business_date, []).append(r)
    day = start
    while day <= end:
        with _locked_day(engine, venture_id, day) as conn:
            _insert_rows(conn, venture_id, day, by_day.get(day, []), run_id)
        if progress is not None:
            progress(day, len(by_day.get(day, [])))
        day += timedelta(days=1)
    result.timings["write"] = time.perf_counter() - t0
    return result


# -- what a run wrote, what it read ----------------------------------------------------------------


def canonical(rows: Iterable[DailyRow], codes: dict[int, str]) -> list[dict[str, Any]]:
    """The rows as the run's output hash sees them: no ids of the row itself, no run id."""
    return [
        {
            "venture": codes.get(r.venture_id, str(r.venture_id)),
            "business_date": r.business_date.isoformat(),
            "user_id": r.user_id,
            "currency": r.currency,
            "amount": r.amount,
            "breakdown": ";".join(
                f"{b['rule_id']}={b['metric_value']}:{b['amount']}" for b in r.breakdown
            ),
        }
        for r in sorted(rows, key=lambda r: (r.business_date, r.user_id, r.currency))
    ]


def venture_codes(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {int(i): str(c) for i, c in conn.execute(select(Venture.id, Venture.code))}


def stored_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """Every row a run wrote, canonically (the runner checks the notebook's rows against it)."""
    t = IncentiveDaily.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        found = conn.execute(
            columns(
                t.c.user_id,
                t.c.venture_id,
                t.c.business_date,
                t.c.currency,
                t.c.amount,
                t.c.breakdown,
            ).where(t.c.run_id == run_id)
        ).all()
    rows = [
        DailyRow(u, v, d, c, Decimal(str(a)).quantize(Decimal("0.01")), list(b))
        for u, v, d, c, a, b in found
    ]
    return canonical(rows, venture_codes(engine))


def inputs(engine: Engine, venture_id: int, start: date, end: date) -> list[TableInputs]:
    """Fingerprint of everything the days read: plans and rules, memberships, source rows."""
    with engine.connect() as conn:
        plans = [
            dict(r._mapping)
            for r in conn.execute(
                columns(
                    col(IncentivePlan.id),
                    col(IncentivePlan.currency),
                    col(IncentivePlan.effective_from),
                    col(IncentivePlan.effective_to),
                    col(IncentivePlan.status),
                ).where(col(IncentivePlan.venture_id) == venture_id)
            )
        ]
        rules = [
            dict(r._mapping)
            for r in conn.execute(
                columns(
                    col(IncentiveRule.id),
                    col(IncentiveRule.plan_id),
                    col(IncentiveRule.metric_key),
                    col(IncentiveRule.calc_type),
                    col(IncentiveRule.rate),
                    col(IncentiveRule.config),
                    col(IncentiveRule.roles),
                    col(IncentiveRule.enabled),
                )
                .join(IncentivePlan, col(IncentivePlan.id) == IncentiveRule.plan_id)
                .where(col(IncentivePlan.venture_id) == venture_id)
            )
        ]
        for r in rules:
            r["config"] = repr(sorted((r["config"] or {}).items()))
            r["roles"] = ",".join(sorted(r["roles"] or []))
        periods = [
            dict(r._mapping)
            for r in conn.execute(
                columns(
                    col(MembershipPeriod.id),
                    col(MembershipPeriod.user_id),
                    col(MembershipPeriod.role),
                    col(MembershipPeriod.valid_from),
                    col(MembershipPeriod.valid_to),
                ).where(
                    col(MembershipPeriod.venture_id) == venture_id,
                    col(MembershipPeriod.valid_from) <= end,
                    (col(MembershipPeriod.valid_to).is_(None))
                    | (col(MembershipPeriod.valid_to) >= start),
                )
            )
        ]
        keys = {r["metric_key"] for r in rules}
    out = [
        table_inputs("incentive_plan", plans),
        table_inputs("incentive_rule", rules),
        table_inputs("membership_period", periods),
    ]
    sources = {registry()[k].source.key: registry()[k].source for k in keys if k in registry()}
    for source in sources.values():
        out.extend(source.inputs(engine, venture_id, start, end))
    return out
