"""Payouts (spec/incentives.md, "Payouts"): the period's IncentiveDaily rows summed per user and
currency into CALCULATED payouts, written by a run of the ``payouts`` notebook.

This module is the only writer of new payouts and holds no actor (the notebook calls it; the
use cases with their permissions are in ``payout_services``). Concurrency:

- a create takes the venture's payout lock and then the commit lock of every day of the period
  (PostgreSQL: transaction-level advisory locks, the days in ascending order; SQLite: the write
  lock taken when the transaction begins) before it checks the period and reads the dailies, so
  no commit changes a day of the period between the read and the write, and two creates of
  overlapping periods are serialised; the partial unique index over non-void payouts decides
  should anything else insert the same key ("payout already exists for this period");
- a commit of a day inside an APPROVED or PAID period is refused under that day's lock
  (``commit.locked_periods``), and an approval takes the same day locks while it flips the rows,
  so a commit and an approval never interleave.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, insert, update
from sqlalchemy import select as columns
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from domain import clock
from domain.db import get_engine
from domain.errors import Conflict, Invalid, unique_violation
from domain.incentives import commit as engine_commit
from domain.incentives.models import IncentiveDaily, IncentivePayout, PayoutStatus
from domain.jobs.hashing import TableInputs, table_inputs
from domain.org.models import User, Venture

MAX_PERIOD_DAYS = 31
ALREADY_EXISTS = "payout already exists for this period"
_PERIOD_LOCK_CLASS = 0x504159  # "PAY": the advisory-lock namespace of a venture's payouts
LIVE = (PayoutStatus.CALCULATED, PayoutStatus.APPROVED, PayoutStatus.PAID)
SIGNED = (PayoutStatus.APPROVED, PayoutStatus.PAID)


class ReconciliationError(RuntimeError):
    """The payouts of a run do not add up to the period's dailies: the run fails (and alerts)."""


# -- the period's rules ---------------------------------------------------------------------------


def check_dates(start: date, end: date, today: date | None = None) -> None:
    """A period ends on or after it starts, covers at most 31 days, and has ended by today."""
    if end < start:
        raise Invalid.field("period_end", f"{end} is before the period's start {start}")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise Invalid.field(
            "period_end",
            f"a payout period covers at most {MAX_PERIOD_DAYS} days "
            f"({start} to {end} is {(end - start).days + 1})",
        )
    if today is not None and end > today:
        raise Invalid.field("period_end", f"{end} is in the future (today is {today})")


@dataclass(frozen=True)
class PeriodRow:
    id: int
    user_id: int
    start: date
    end: date
    currency: str
    amount: Decimal
    status: PayoutStatus
    run_id: str


def period_rows(conn: Connection, venture_id: int, start: date, end: date) -> list[PeriodRow]:
    """The venture's non-void payouts whose period meets ``[start, end]``."""
    t = IncentivePayout.__table__  # type: ignore[attr-defined]
    found = conn.execute(
        columns(
            t.c.id,
            t.c.user_id,
            t.c.period_start,
            t.c.period_end,
            t.c.currency,
            t.c.amount,
            t.c.status,
            t.c.run_id,
        )
        .where(
            t.c.venture_id == venture_id,
            t.c.status != PayoutStatus.VOID.value,
            t.c.period_start <= end,
            t.c.period_end >= start,
        )
        .order_by(t.c.period_start, t.c.id)
    ).all()
    return [
        PeriodRow(i, u, s, e, c, Decimal(str(a)), PayoutStatus(st), r)
        for i, u, s, e, c, a, st, r in found
    ]


def check_period(
    conn: Connection, venture_id: int, start: date, end: date, *, replace: bool, today: date
) -> list[PeriodRow]:
    """Refuse a period that cannot be created (Invalid naming the field, or Conflict when it
    exists); return the payouts a replace would void."""
    check_dates(start, end, today)
    rows = period_rows(conn, venture_id, start, end)
    other = [r for r in rows if (r.start, r.end) != (start, end)]
    if other:
        r = other[0]
        raise Invalid.field(
            "period_start",
            f"{start} to {end} overlaps the payout period {r.start} to {r.end} "
            f"({r.status.value}, run {r.run_id})",
        )
    if not rows:
        return []
    if not replace:
        raise Conflict(
            f"{ALREADY_EXISTS} ({start} to {end}, run {rows[0].run_id}); re-run with replace "
            "while its payouts are CALCULATED",
            fields={"period_start": ALREADY_EXISTS},
        )
    signed = sorted({r.status.value for r in rows if r.status in SIGNED})
    if signed:
        raise Conflict(
            f"{ALREADY_EXISTS} and it is {' and '.join(signed)}: approved or paid payouts are "
            "never replaced (reopen the period first)",
            fields={"period_start": f"{ALREADY_EXISTS} ({', '.join(signed)})"},
        )
    return rows


# -- computing ------------------------------------------------------------------------------------


@dataclass
class PayoutRow:
    user_id: int
    currency: str
    amount: Decimal
    days: int
    first_day: date
    last_day: date


@dataclass
class PayoutRun:
    """What a payouts run computed (and, live, wrote) for one venture's period."""

    venture_id: int
    venture: str
    start: date
    end: date
    dry_run: bool
    rows: list[PayoutRow] = field(default_factory=list)
    # (user, day, currency) -> amount: the dailies behind the payouts.
    dailies: dict[tuple[int, date, str], Decimal] = field(default_factory=dict)
    replaced: list[int] = field(default_factory=list)  # ids of the payouts a replace voided

    def totals(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for r in self.rows:
            out[r.currency] += r.amount
        return dict(sorted(out.items()))

    def daily_totals(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for (_u, _d, cur), amount in self.dailies.items():
            out[cur] += amount
        return dict(sorted(out.items()))

    @property
    def canonical_rows(self) -> list[dict[str, Any]]:
        return canonical(self.venture, self.start, self.end, self.rows)

    @property
    def summary(self) -> dict[str, Any]:
        return {
            "venture": self.venture,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "payouts": len(self.rows),
            "users": len({r.user_id for r in self.rows}),
            "days": len({d for (_u, d, _c) in self.dailies}),
            "totals": {k: str(v) for k, v in self.totals().items()},
            "replaced": len(self.replaced),
        }

    def user_table(self, engine: Engine | None = None) -> list[dict[str, Any]]:
        """Per user and currency: the amount and the days behind it (the notebook)."""
        names = user_names(engine or get_engine(), [r.user_id for r in self.rows])
        return [
            {
                "user": names.get(r.user_id, str(r.user_id)),
                "currency": r.currency,
                "days": r.days,
                "first day": r.first_day.isoformat(),
                "last day": r.last_day.isoformat(),
                "amount": r.amount,
            }
            for r in sorted(self.rows, key=lambda r: (names.get(r.user_id, ""), r.currency))
        ]

    def day_table(self) -> list[dict[str, Any]]:
        """Per day and currency: the users credited and the amount of the dailies."""
        out: dict[tuple[date, str], dict[str, Any]] = {}
        for (_u, d, cur), amount in self.dailies.items():
            slot = out.setdefault(
                (d, cur), {"date": d.isoformat(), "currency": cur, "users": 0, "amount": Decimal()}
            )
            slot["users"] += 1
            slot["amount"] += amount
        return [out[k] for k in sorted(out)]


def canonical(venture: str, start: date, end: date, rows: list[PayoutRow]) -> list[dict[str, Any]]:
    """The payouts as the run's output hash sees them (no ids, no status, no run id)."""
    return [
        {
            "venture": venture,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "user_id": r.user_id,
            "currency": r.currency,
            "amount": r.amount,
            "days": r.days,
        }
        for r in sorted(rows, key=lambda r: (r.user_id, r.currency))
    ]


def read_dailies(
    conn: Connection, venture_id: int, start: date, end: date
) -> dict[tuple[int, date, str], Decimal]:
    t = IncentiveDaily.__table__  # type: ignore[attr-defined]
    found = conn.execute(
        columns(t.c.user_id, t.c.business_date, t.c.currency, t.c.amount).where(
            t.c.venture_id == venture_id, t.c.business_date >= start, t.c.business_date <= end
        )
    ).all()
    return {(int(u), d, str(c)): Decimal(str(a)).quantize(Decimal("0.01")) for u, d, c, a in found}


def sum_dailies(dailies: dict[tuple[int, date, str], Decimal]) -> list[PayoutRow]:
    """One payout per (user, currency): the sum of the user's dailies and the days behind it."""
    acc: dict[tuple[int, str], list[tuple[date, Decimal]]] = defaultdict(list)
    for (user, day, cur), amount in dailies.items():
        acc[(user, cur)].append((day, amount))
    out = []
    for (user, cur), items in sorted(acc.items()):
        total = sum((a for _d, a in items), Decimal("0.00"))
        if total <= 0:
            continue
        days = sorted(d for d, _a in items)
        out.append(PayoutRow(user, cur, total, len(days), days[0], days[-1]))
    return out


def _venture(conn: Connection, code_or_id: str | int) -> Venture:
    stmt = columns(Venture.__table__)  # type: ignore[attr-defined]
    if isinstance(code_or_id, int):
        stmt = stmt.where(col(Venture.id) == code_or_id)
    else:
        stmt = stmt.where(col(Venture.code) == code_or_id.strip().upper())
    row = conn.execute(stmt).first()
    if row is None:
        raise Invalid.field("venture", f"no venture with code {code_or_id!r}")
    return Venture.model_validate(row._mapping)


def lock_period(conn: Connection, venture_id: int, start: date, end: date) -> None:
    """The venture's payout lock, then every day's commit lock, in ascending order."""
    if conn.dialect.name != "postgresql":
        return  # SQLite: the transaction began IMMEDIATE, holding the database's write lock
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PERIOD_LOCK_CLASS}, {int(venture_id)})")
    engine_commit.lock_days(conn, venture_id, start, end)


def create(
    venture: str | int,
    start: date,
    end: date,
    *,
    run_id: str | None,
    dry_run: bool,
    replace: bool = False,
    engine: Engine | None = None,
) -> PayoutRun:
    """Create (live) or compute (dry run, e.g. verify) the CALCULATED payouts of the period.

    Live: in one locked transaction, check the period (Invalid / Conflict), void the payouts a
    replace replaces, read the dailies, insert one payout per user and currency."""
    engine = engine or get_engine()
    if isinstance(start, str):
        start = _parse_day(start, "period_start")
    with engine.connect() as conn:
        v = _venture(conn, venture)
    assert v.id is not None
    today = clock.today(v.timezone)
    if dry_run:
        check_dates(start, end, today)
        with engine.connect() as conn:
            dailies = read_dailies(conn, v.id, start, end)
        return PayoutRun(v.id, v.code, start, end, True, sum_dailies(dailies), dailies)
    if not run_id:
        raise Invalid.field("run_id", "live payouts are created by a payouts run")
    table = IncentivePayout.__table__  # type: ignore[attr-defined]
    try:
        with engine_commit.write_engine(engine).begin() as conn:
            lock_period(conn, v.id, start, end)
            replaced = check_period(conn, v.id, start, end, replace=replace, today=today)
            dailies = read_dailies(conn, v.id, start, end)
            rows = sum_dailies(dailies)
            if not rows:
                raise Invalid.field(
                    "period_start",
                    f"{v.code} has no committed incentives from {start} to {end}: nothing to pay",
                )
            now = clock.now()
            if replaced:
                conn.execute(
                    update(table)
                    .where(
                        table.c.id.in_([r.id for r in replaced]),
                        table.c.status == PayoutStatus.CALCULATED.value,
                    )
                    .values(
                        status=PayoutStatus.VOID.value,
                        voided_at=now,
                        void_reason=f"replaced by run {run_id}",
                        updated_at=now,
                    )
                )
            conn.execute(
                insert(table),
                [
                    {
                        "user_id": r.user_id,
                        "venture_id": v.id,
                        "period_start": start,
                        "period_end": end,
                        "currency": r.currency,
                        "amount": r.amount,
                        "days": r.days,
                        "status": PayoutStatus.CALCULATED.value,
                        "run_id": run_id,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for r in rows
                ],
            )
    except IntegrityError as exc:
        if unique_violation(exc) is not None:
            raise Conflict(
                f"{ALREADY_EXISTS} ({start} to {end})",
                fields={"period_start": ALREADY_EXISTS},
            ) from None
        raise
    return PayoutRun(
        v.id, v.code, start, end, False, rows, dailies, replaced=[r.id for r in replaced]
    )


def _parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid.field(name, f"{value!r} is not a date (YYYY-MM-DD)") from None


# -- what a run wrote, the reconciliation, the inputs --------------------------------------------


def stored(engine: Engine, run_id: str) -> list[PayoutRow]:
    t = IncentivePayout.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        found = conn.execute(
            columns(t.c.user_id, t.c.currency, t.c.amount, t.c.days).where(t.c.run_id == run_id)
        ).all()
    return [
        PayoutRow(
            int(u), str(c), Decimal(str(a)).quantize(Decimal("0.01")), int(d), date.min, date.min
        )
        for u, c, a, d in found
    ]


def stored_rows(engine: Engine, run_id: str) -> list[dict[str, Any]]:
    """Every payout a run wrote, canonically (the runner checks the notebook's rows with it)."""
    t = IncentivePayout.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        head = conn.execute(
            columns(t.c.venture_id, t.c.period_start, t.c.period_end)
            .where(t.c.run_id == run_id)
            .limit(1)
        ).first()
    if head is None:
        return []
    codes = engine_commit.venture_codes(engine)
    return canonical(codes.get(head[0], str(head[0])), head[1], head[2], stored(engine, run_id))


def reconcile(
    result: PayoutRun, engine: Engine | None = None, run_id: str | None = None
) -> list[dict[str, Any]]:
    """Per currency: the payouts (the rows the run wrote, live; the computed ones, dry run)
    against the sum of the period's dailies read again now. ``ok`` says whether they agree."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        dailies = read_dailies(conn, result.venture_id, result.start, result.end)
    rows = stored(engine, run_id) if (run_id and not result.dry_run) else result.rows
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        paid[r.currency] += r.amount
    owed: dict[str, Decimal] = defaultdict(Decimal)
    for (_u, _d, cur), amount in dailies.items():
        owed[cur] += amount
    out = []
    for cur in sorted(set(paid) | set(owed)):
        out.append(
            {
                "currency": cur,
                "payouts": paid.get(cur, Decimal("0.00")),
                "dailies": owed.get(cur, Decimal("0.00")),
                "difference": paid.get(cur, Decimal("0.00")) - owed.get(cur, Decimal("0.00")),
                "ok": paid.get(cur, Decimal("0.00")) == owed.get(cur, Decimal("0.00")),
            }
        )
    return out


def require_reconciled(lines: list[dict[str, Any]]) -> None:
    bad = [ln for ln in lines if not ln["ok"]]
    if bad:
        raise ReconciliationError(
            "payouts do not equal the sum of the dailies: "
            + "; ".join(
                f"{ln['currency']} payouts {ln['payouts']} vs dailies {ln['dailies']}" for ln in bad
            )
        )


def daily_inputs(conn: Connection, venture_id: int, start: date, end: date) -> TableInputs:
    """The period's dailies as a payouts run reads them, keyed by (user, day, currency); the run
    that wrote a row is not part of it (a recommit giving the same rows changes nothing)."""
    t = IncentiveDaily.__table__  # type: ignore[attr-defined]
    rows = [
        {
            "key": f"{u}:{d.isoformat()}:{c}",
            "user_id": u,
            "business_date": d,
            "currency": c,
            "amount": Decimal(str(a)),
            "breakdown": b,
        }
        for u, d, c, a, b in conn.execute(
            columns(t.c.user_id, t.c.business_date, t.c.currency, t.c.amount, t.c.breakdown).where(
                t.c.venture_id == venture_id,
                t.c.business_date >= start,
                t.c.business_date <= end,
            )
        )
    ]
    return table_inputs("incentive_daily", rows, key="key")


def inputs(engine: Engine, venture_id: int, start: date, end: date) -> list[TableInputs]:
    """What a payouts run depends on: the period's dailies and everything they were computed
    from (plans, rules, memberships, the metric source rows), so a load edited after the run
    shows as a changed input."""
    with engine.connect() as conn:
        out = [daily_inputs(conn, venture_id, start, end)]
    out.extend(engine_commit.inputs(engine, venture_id, start, end))
    return out


def user_names(engine: Engine, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    with engine.connect() as conn:
        return {
            int(i or 0): str(n)
            for i, n in conn.execute(
                columns(col(User.id), col(User.name)).where(col(User.id).in_(sorted(set(ids))))
            )
        }
