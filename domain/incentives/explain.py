"""Explain the change: what differs between two runs of the same key, and why.

Every incentives-daily, incentives-backfill and payouts run keeps its result rows as Parquet
beside its manifest (``domain.jobs.archive``). Two runs of the same key (job, venture, business
date and the job's other parameters: a backfill's first day, a payout period's start) compare with
one DuckDB query over the two files:

- per user and rule (incentives) or per user (payouts, the metric being the days paid): the
  metric value and the amount before and after, only where one of them differs;
- per user, day and currency: the amount before and after (the sentence My incentives shows);
- the input rows that changed, from the per-row input hashes both manifests keep (verify's),
  named for a person: "load AFL-0001234", "rule Margin share", never a bare id.

"Before" is always the run that started first, whichever order the runs are named in.

Who may compare: whoever may read both runs (``domain.jobs.queries._scoped``: the job admins,
FINANCE and ACCOUNTING for runs of one venture in their scope); out of scope reads as not found.
My incentives (:func:`my_changes`) shows every user the explanation of their own recomputed days
only, through the same comparison, without opening the runs to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from domain.errors import Invalid, NotFound
from domain.jobs.archive import archive_of
from domain.jobs.hashing import file_sha256
from domain.jobs.manifest import read_manifest
from domain.jobs.models import JobRun, RunStatus
from domain.jobs.queries import RunView, get_run, run_view
from domain.jobs.registry import get_job
from domain.schemas import View
from domain.settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from domain.access.actor import Actor
    from domain.db import UnitOfWork

# Parameters that do not make a different key: how a run ran, not what it computed.
_NOT_KEY = frozenset({"business_date", "venture", "dry_run", "replace"})
DAILY_JOBS = frozenset({"incentives-daily", "incentives-backfill"})
_CENTS = Decimal("0.01")

_DAILY_COLUMNS = (
    ("venture", "VARCHAR"),
    ("business_date", "VARCHAR"),
    ("user_id", "BIGINT"),
    ("currency", "VARCHAR"),
    ("amount", "DECIMAL(38, 6)"),
    ("breakdown", "VARCHAR"),
)
_PAYOUT_COLUMNS = (
    ("venture", "VARCHAR"),
    ("period_start", "VARCHAR"),
    ("period_end", "VARCHAR"),
    ("user_id", "BIGINT"),
    ("currency", "VARCHAR"),
    ("amount", "DECIMAL(38, 6)"),
    ("days", "BIGINT"),
)

# One line per (day, user, currency, rule) of a daily run: the breakdown
# "rule_id=metric_value:amount;..." of the canonical rows, split.
_DAILY_LINES = """
SELECT venture, business_date, user_id, currency,
       CAST(split_part(item, '=', 1) AS BIGINT) AS rule_id,
       split_part(split_part(item, '=', 2), ':', 1) AS metric_value,
       CAST(split_part(split_part(item, '=', 2), ':', 2) AS DECIMAL(18, 2)) AS amount
FROM (SELECT *, unnest(string_split(breakdown, ';')) AS item FROM {t} WHERE breakdown <> '')
"""
_DAILY_RULES = f"""
WITH x AS ({_DAILY_LINES.format(t="a")}), y AS ({_DAILY_LINES.format(t="b")})
SELECT venture, business_date, user_id, currency, rule_id,
       x.metric_value, y.metric_value, x.amount, y.amount
FROM x FULL OUTER JOIN y USING (venture, business_date, user_id, currency, rule_id)
WHERE (x.amount IS DISTINCT FROM y.amount OR x.metric_value IS DISTINCT FROM y.metric_value)
  AND ($user IS NULL OR user_id = $user)
ORDER BY business_date, venture, user_id, currency, rule_id
"""
_DAILY_TOTALS = """
SELECT venture, business_date, user_id, currency, a.amount, b.amount
FROM a FULL OUTER JOIN b USING (venture, business_date, user_id, currency)
WHERE a.amount IS DISTINCT FROM b.amount AND ($user IS NULL OR user_id = $user)
ORDER BY business_date, venture, user_id, currency
"""
_PAYOUT_TOTALS = """
SELECT venture, period_start || ' to ' || period_end AS day, user_id, currency,
       a.days, b.days, a.amount, b.amount
FROM a FULL OUTER JOIN b USING (venture, period_start, period_end, user_id, currency)
WHERE (a.amount IS DISTINCT FROM b.amount OR a.days IS DISTINCT FROM b.days)
  AND ($user IS NULL OR user_id = $user)
ORDER BY day, venture, user_id, currency
"""


class ExplainRun(View):
    run_id: str
    job: str
    venture: str
    business_date: date
    parameters: dict[str, Any]
    dry_run: bool
    started_at: datetime
    output_hash: str | None
    archive_sha256: str


class RuleChange(View):
    """One user's one rule (payouts: one user's payout) whose metric or amount differs."""

    venture: str
    day: str  # the business date; a payout's period "start to end"
    user_id: int
    user_name: str
    user_email: str
    currency: str
    rule_id: int | None
    rule: str | None
    metric_key: str | None
    metric_label: str
    metric_before: Decimal | None
    metric_after: Decimal | None
    amount_before: Decimal | None
    amount_after: Decimal | None

    @property
    def amount_delta(self) -> Decimal:
        return (self.amount_after or Decimal(0)) - (self.amount_before or Decimal(0))

    @property
    def metric_delta(self) -> Decimal:
        return (self.metric_after or Decimal(0)) - (self.metric_before or Decimal(0))


class AmountChange(View):
    """One user's amount of a day (payouts: of the period) in one currency, before and after."""

    venture: str
    day: str
    user_id: int
    user_name: str
    user_email: str
    currency: str
    amount_before: Decimal | None
    amount_after: Decimal | None
    sentence: str


class InputChange(View):
    """A source row the two runs read differently (added, removed or changed)."""

    table: str  # "freight_load"
    key: str
    change: str  # added / removed / changed
    label: str  # "load AFL-0001234"
    user_id: int | None  # the row's user (the load's sales user), when it has one


class Explanation(View):
    key: str  # "incentives-daily AFL 2026-12-02"
    before: ExplainRun
    after: ExplainRun
    rules: list[RuleChange]
    amounts: list[AmountChange]
    inputs: list[InputChange]

    @property
    def unchanged(self) -> bool:
        return not self.rules and not self.amounts


# -- which runs ---------------------------------------------------------------------------------


def run_key(run: RunView) -> tuple[str, str, date, tuple[tuple[str, str], ...]]:
    extra = tuple(
        sorted((k, str(v)) for k, v in (run.parameters or {}).items() if k not in _NOT_KEY)
    )
    return run.job, run.venture, run.business_date, extra


def describe_key(run: RunView) -> str:
    extra = " ".join(f"{k}={v}" for k, v in run_key(run)[3] if v not in ("", "None", "False"))
    return f"{run.job} {run.venture} {run.business_date.isoformat()}" + (
        f" ({extra})" if extra else ""
    )


def _readable(uow: UnitOfWork, actor: Actor, run_id: str, param: str) -> RunView:
    try:
        return get_run(uow, actor, run_id).run
    except NotFound:
        raise NotFound(f"{param}: run", run_id) from None


def _archive(run: RunView, param: str) -> tuple[Path, str, int]:
    """The run's Parquet file (checked against the hash its manifest records), its hash, rows."""
    if run.status != RunStatus.SUCCEEDED:
        raise Invalid.field(
            param, f"run {run.run_id} is {run.status.value}: only succeeded runs kept result rows"
        )
    try:
        archived = get_job(run.job).archive
    except NotFound:
        archived = False
    if not archived:
        raise Invalid.field(
            param, f"run {run.run_id} is a {run.job} run: its job keeps no result rows to compare"
        )
    root = get_settings().reports_dir
    info = archive_of(read_manifest(root / run.manifest_path) if run.manifest_path else None)
    if info is None:
        raise Invalid.field(
            param, f"run {run.run_id} kept no result rows (it ran before runs archived them)"
        )
    path = (root / info.path).resolve()
    if root.resolve() not in path.parents or not path.is_file():
        raise Invalid.field(param, f"the result rows of run {run.run_id} are missing")
    if file_sha256(path) != info.sha256:
        raise Invalid.field(
            param, f"the result rows of run {run.run_id} do not match its manifest's hash"
        )
    return path, info.sha256, info.rows


def explain_runs(
    uow: UnitOfWork,
    actor: Actor,
    run_a: str,
    run_b: str,
    *,
    user: str | None = None,
    engine: Engine | None = None,
) -> Explanation:
    """Compare two runs of the same key the actor may read (``user``: one user's email only)."""
    a = _readable(uow, actor, run_a.strip(), "a")
    b = _readable(uow, actor, run_b.strip(), "b")
    user_id = _user_id(uow.session, user) if user else None
    if a.run_id == b.run_id:
        raise Invalid.field("b", "is the same run as a: name two runs of the same key")
    if run_key(a) != run_key(b):
        raise Invalid.field(
            "b",
            f"run {b.run_id} is {describe_key(b)}, run {a.run_id} is {describe_key(a)}: only two "
            "runs of the same job, venture and dates compare",
        )
    return compare(uow.session, a, b, user_id=user_id, engine=engine)


def previous_run(uow: UnitOfWork, actor: Actor, run_id: str) -> RunView | None:
    """The live run of the same key that succeeded last before ``run_id`` (the run page's
    "compare with the previous run of this key"); None when there is none."""
    run = _readable(uow, actor, run_id, "run_id")
    return _previous(uow.session, run)


def _previous(session: Session, run: RunView) -> RunView | None:
    stmt = (
        select(JobRun)
        .where(
            JobRun.job == run.job,
            JobRun.venture == run.venture,
            JobRun.business_date == run.business_date,
            col(JobRun.dry_run).is_(False),
            JobRun.status == RunStatus.SUCCEEDED,
            col(JobRun.started_at) < run.started_at,
        )
        .order_by(col(JobRun.started_at).desc(), col(JobRun.id).desc())
        .limit(20)
    )
    for row in session.execute(stmt).scalars():
        found = run_view(row)
        if run_key(found) == run_key(run):
            return found
    return None


def _user_id(session: Session, email: str) -> int:
    from domain.org.models import User

    found = session.execute(
        select(User.id).where(col(User.email) == email.strip().lower())
    ).scalar_one_or_none()
    if found is None:
        raise Invalid.field("user", f"no user with email {email.strip()!r}")
    return int(found)


# -- the comparison -----------------------------------------------------------------------------


def compare(
    session: Session,
    a: RunView,
    b: RunView,
    *,
    user_id: int | None = None,
    engine: Engine | None = None,
) -> Explanation:
    """The DuckDB comparison of two runs of one key (no access check: callers decide)."""
    import duckdb

    before, after = sorted((a, b), key=lambda r: (r.started_at, r.run_id))
    p_before, h_before, n_before = _archive(before, "a" if before is a else "b")
    p_after, h_after, n_after = _archive(after, "a" if after is a else "b")
    daily = before.job in DAILY_JOBS
    columns = _DAILY_COLUMNS if daily else _PAYOUT_COLUMNS
    con = duckdb.connect()
    try:
        for name, path, rows in (("a", p_before, n_before), ("b", p_after, n_after)):
            con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns)})")
            if rows:
                names = ", ".join(c for c, _ in columns)
                con.execute(
                    f"INSERT INTO {name} SELECT {names} FROM read_parquet($path)",
                    {"path": str(path)},
                )
        if daily:
            rule_rows = con.execute(_DAILY_RULES, {"user": user_id}).fetchall()
            total_rows = con.execute(_DAILY_TOTALS, {"user": user_id}).fetchall()
        else:
            payout_rows = con.execute(_PAYOUT_TOTALS, {"user": user_id}).fetchall()
    finally:
        con.close()

    if daily:
        users = _users(session, {r[2] for r in rule_rows} | {r[2] for r in total_rows})
        rules = _rules(session, {int(r[4]) for r in rule_rows})
        rule_changes = [_rule_change(users, rules, r) for r in rule_rows]
        amount_rows = [(v, d, u, c, x, y) for v, d, u, c, x, y in total_rows]
    else:
        users = _users(session, {r[2] for r in payout_rows})
        rule_changes = [
            RuleChange(
                venture=v,
                day=d,
                user_id=int(u),
                user_name=users.get(int(u), ("", ""))[0],
                user_email=users.get(int(u), ("", ""))[1],
                currency=c,
                rule_id=None,
                rule=None,
                metric_key=None,
                metric_label="days paid",
                metric_before=None if db is None else Decimal(int(db)),
                metric_after=None if da is None else Decimal(int(da)),
                amount_before=_money(x),
                amount_after=_money(y),
            )
            for v, d, u, c, db, da, x, y in payout_rows
        ]
        amount_rows = [(v, d, u, c, x, y) for v, d, u, c, _db, _da, x, y in payout_rows]

    inputs = input_changes(session, before, after, engine=engine)
    if user_id is not None:
        inputs = [i for i in inputs if i.user_id in (None, user_id)]
    amounts = [_amount_change(users, rule_changes, inputs, daily, row) for row in amount_rows]
    return Explanation(
        key=describe_key(after),
        before=_explain_run(before, h_before),
        after=_explain_run(after, h_after),
        rules=rule_changes,
        amounts=amounts,
        inputs=inputs,
    )


def _explain_run(run: RunView, sha: str) -> ExplainRun:
    return ExplainRun(
        run_id=run.run_id,
        job=run.job,
        venture=run.venture,
        business_date=run.business_date,
        parameters=dict(run.parameters),
        dry_run=run.dry_run,
        started_at=run.started_at,
        output_hash=run.output_hash,
        archive_sha256=sha,
    )


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(_CENTS)


def _metric(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _users(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    from domain.org.models import User

    if not ids:
        return {}
    rows = session.execute(
        select(User.id, User.name, User.email).where(col(User.id).in_(sorted(ids)))
    ).all()
    return {int(i): (str(n), str(e)) for i, n, e in rows}


def _rules(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    from domain.incentives.models import IncentiveRule

    if not ids:
        return {}
    rows = session.execute(
        select(IncentiveRule.id, IncentiveRule.name, IncentiveRule.metric_key).where(
            col(IncentiveRule.id).in_(sorted(ids))
        )
    ).all()
    return {int(i): (str(n), str(k)) for i, n, k in rows}


def _label(metric_key: str | None) -> str:
    from domain.incentives.metrics import registry

    if metric_key is None:
        return ""
    found = registry().get(metric_key)
    return found.label if found else metric_key


def _is_money(metric_key: str | None) -> bool:
    from domain.incentives.metrics import registry

    found = registry().get(metric_key or "")
    return bool(found and found.is_money)


def _rule_change(
    users: Mapping[int, tuple[str, str]], rules: Mapping[int, tuple[str, str]], row: Any
) -> RuleChange:
    v, d, u, c, rule_id, mb, ma, xb, xa = row
    name, key = rules.get(int(rule_id), (f"rule {rule_id}", ""))
    return RuleChange(
        venture=v,
        day=d,
        user_id=int(u),
        user_name=users.get(int(u), ("", ""))[0],
        user_email=users.get(int(u), ("", ""))[1],
        currency=c,
        rule_id=int(rule_id),
        rule=name,
        metric_key=key or None,
        metric_label=_label(key) if key else "",
        metric_before=_metric(mb),
        metric_after=_metric(ma),
        amount_before=_money(xb),
        amount_after=_money(xa),
    )


def fmt_money(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)).quantize(_CENTS):,.2f}"


def fmt_metric(value: Decimal | None, money: bool) -> str:
    v = value or Decimal(0)
    if money:
        return f"{v.quantize(_CENTS):,.2f}"
    return f"{v.normalize():,f}" if v != v.to_integral_value() else f"{int(v):,}"


def _moved(before: Decimal | None, after: Decimal | None) -> str:
    b, a = before or Decimal(0), after or Decimal(0)
    return "rose" if a > b else "fell" if a < b else "stayed"


def _amount_change(
    users: Mapping[int, tuple[str, str]],
    rules: list[RuleChange],
    inputs: list[InputChange],
    daily: bool,
    row: tuple[Any, ...],
) -> AmountChange:
    v, d, u, c, x, y = row
    before, after = _money(x), _money(y)
    uid = int(u)
    when = _day_words(d) if daily else d
    sentence = (
        f"your {when} amount {_moved(before, after)} from {fmt_money(before)} to "
        f"{fmt_money(after)} {c}"
    )
    # Why: the metrics behind this user's changed rules of the day (each metric once).
    reasons: list[str] = []
    seen: set[str] = set()
    for r in rules:
        if (r.user_id, r.day, r.currency, r.venture) != (uid, d, c, v):
            continue
        if r.metric_before == r.metric_after or r.metric_label in seen:
            continue
        seen.add(r.metric_label)
        money = _is_money(r.metric_key) if daily else False
        reasons.append(
            f"{r.metric_label.lower()} {_moved(r.metric_before, r.metric_after)} from "
            f"{fmt_metric(r.metric_before, money)} to {fmt_metric(r.metric_after, money)}"
        )
    if reasons:
        sentence += " because " + " and ".join(reasons)
    rows = [i for i in inputs if i.user_id == uid] or [i for i in inputs if i.user_id is None]
    if rows:
        shown = ", ".join(f"{i.label} {i.change}" for i in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        sentence += f": {shown}{more}"
    return AmountChange(
        venture=v,
        day=d,
        user_id=uid,
        user_name=users.get(uid, ("", ""))[0],
        user_email=users.get(uid, ("", ""))[1],
        currency=c,
        amount_before=before,
        amount_after=after,
        sentence=sentence,
    )


def _day_words(day: str) -> str:
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return day
    return f"{d.day} {d:%b}"


# -- the input rows that changed -------------------------------------------------------------


def _tables(run: RunView) -> dict[str, Any]:
    if not run.manifest_path:
        return {}
    doc = read_manifest(get_settings().reports_dir / run.manifest_path)
    tables = (doc or {}).get("inputs", {}).get("tables")
    return tables if isinstance(tables, dict) else {}


def changed_rows(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(table, row key, added/removed/changed) from two manifests' per-row input hashes; the
    table loses its "[venture id]" suffix."""
    out: list[tuple[str, str, str]] = []
    for name in sorted(set(before) | set(after)):
        b = (before.get(name) or {}).get("rows") or {}
        a = (after.get(name) or {}).get("rows") or {}
        table = name.split("[", 1)[0]
        for key in sorted(set(a) | set(b), key=lambda k: (len(k), k)):
            if key not in b:
                out.append((table, key, "added"))
            elif key not in a:
                out.append((table, key, "removed"))
            elif a[key] != b[key]:
                out.append((table, key, "changed"))
    return out


def input_changes(
    session: Session, before: RunView, after: RunView, *, engine: Engine | None = None
) -> list[InputChange]:
    return label_rows(session, changed_rows(_tables(before), _tables(after)), engine=engine)


def label_rows(
    session: Session, rows: list[tuple[str, str, str]], *, engine: Engine | None = None
) -> list[InputChange]:
    """Name each changed row for a person (a load by its reference, a rule by its name)."""
    from domain.db import get_engine
    from domain.incentives.metrics import registry
    from domain.incentives.models import IncentivePlan, IncentiveRule
    from domain.org.models import MembershipPeriod

    keys: dict[str, list[str]] = defaultdict(list)
    for table, key, _ in rows:
        keys[table].append(key)
    labels: dict[tuple[str, str], tuple[str, int | None]] = {}
    sources = {m.source.table: m.source for m in registry().values() if m.source.table}
    for table, found in keys.items():
        ids = sorted({int(k) for k in found if k.isdigit()})
        if table in sources and sources[table].row_labels is not None:
            labeller = sources[table].row_labels
            assert labeller is not None
            for k, v in labeller(engine or get_engine(), found).items():
                labels[(table, k)] = v
        elif table == "incentive_rule" and ids:
            for i, n in session.execute(
                select(IncentiveRule.id, IncentiveRule.name).where(col(IncentiveRule.id).in_(ids))
            ):
                labels[(table, str(i))] = (f"rule {n}", None)
        elif table == "incentive_plan" and ids:
            for i, n in session.execute(
                select(IncentivePlan.id, IncentivePlan.name).where(col(IncentivePlan.id).in_(ids))
            ):
                labels[(table, str(i))] = (f"plan {n}", None)
        elif table == "membership_period" and ids:
            periods = session.execute(
                select(MembershipPeriod.id, MembershipPeriod.user_id).where(
                    col(MembershipPeriod.id).in_(ids)
                )
            ).all()
            names = _users(session, {int(u) for _, u in periods})
            for i, u in periods:
                labels[(table, str(i))] = (
                    f"membership of {names.get(int(u), (str(u), ''))[0]}",
                    int(u),
                )
        elif table == "incentive_daily":
            parsed = [(k, k.split(":")) for k in found]
            names = _users(session, {int(p[0]) for _, p in parsed if p and p[0].isdigit()})
            for k, p in parsed:
                if len(p) == 3 and p[0].isdigit():
                    who = names.get(int(p[0]), (p[0], ""))[0]
                    labels[(table, k)] = (
                        f"{_day_words(p[1])} incentives of {who} ({p[2]})",
                        int(p[0]),
                    )
    return [
        InputChange(
            table=table,
            key=key,
            change=change,
            label=labels.get((table, key), (f"{table} row {key}", None))[0],
            user_id=labels.get((table, key), ("", None))[1],
        )
        for table, key, change in rows
    ]


# -- My incentives: the actor's own recomputed days ----------------------------------------------


class MyChange(View):
    venture: str
    day: date
    currency: str
    amount_before: Decimal | None
    amount_after: Decimal | None
    sentence: str
    run_before: str
    run_after: str


def my_changes(
    uow: UnitOfWork, actor: Actor, start: date, end: date, *, limit: int = 31
) -> list[MyChange]:
    """Days of ``[start, end]`` of the actor's ventures that a later incentives-daily run
    recomputed with a different result for the actor: their own amounts and the reasons (their
    own source rows, or plan and rule changes), nothing of anybody else."""
    actor.require("page.my_incentives")
    stmt = (
        select(JobRun)
        .where(
            JobRun.job == "incentives-daily",
            col(JobRun.dry_run).is_(False),
            JobRun.status == RunStatus.SUCCEEDED,
            col(JobRun.business_date) >= start,
            col(JobRun.business_date) <= end,
            col(JobRun.venture_id).is_not(None),
            actor.scope.venture_clause(JobRun.venture_id),
        )
        .order_by(col(JobRun.started_at), col(JobRun.id))
    )
    runs: dict[tuple[Any, ...], list[RunView]] = defaultdict(list)
    for row in uow.session.execute(stmt).scalars():
        view = run_view(row)
        runs[run_key(view)].append(view)
    out: list[MyChange] = []
    pairs = sorted(
        ((v[-2], v[-1]) for v in runs.values() if len(v) >= 2),
        key=lambda p: p[1].business_date,
        reverse=True,
    )
    for before, after in pairs[:limit]:
        try:
            found = compare(uow.session, before, after, user_id=actor.user_id)
        except Invalid:  # a run without an archive (older than the archive): nothing to say
            continue
        for change in found.amounts:
            out.append(
                MyChange(
                    venture=change.venture,
                    day=after.business_date,
                    currency=change.currency,
                    amount_before=change.amount_before,
                    amount_after=change.amount_after,
                    sentence=change.sentence,
                    run_before=before.run_id,
                    run_after=after.run_id,
                )
            )
    return out
