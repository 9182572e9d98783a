"""Incentive use cases that write: plans and rules (validated at save), the commit and backfill
requests (each a job run), and the what-if preview (computes, writes nothing).

Every function takes the Actor and applies scope: a plan of a venture outside scope answers
NotFound exactly like a plan that does not exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.access.roles import Role
from domain.db import UnitOfWork, get_engine, read_only, unit_of_work
from domain.errors import Invalid, NotFound, Unique, duplicates_as_conflict
from domain.incentives import commit as engine_commit
from domain.incentives.audit import IncentiveAudit
from domain.incentives.calc import config_json, parse_calc_type, validate_rule
from domain.incentives.engine import PayingRule, pay
from domain.incentives.metrics import metric
from domain.incentives.models import IncentiveDaily, IncentivePlan, IncentiveRule, PlanStatus
from domain.incentives.schemas import (
    CommitResult,
    PlanInput,
    PlanPatch,
    PlanView,
    Preview,
    PreviewRow,
    RuleInput,
    RulePatch,
    RuleView,
)
from domain.incentives.views import daily_view, plan_view, rule_view
from domain.org.models import User, Venture
from domain.org.queries import load_venture, venture_by_code
from domain.schemas import parse

PREVIEW_DAYS = 30
_PLAN_NAME = Unique(
    "incentive_plan",
    ("venture_id", "name"),
    "name",
    "is already used by another plan of this venture",
)
_RULE_NAME = Unique(
    "incentive_rule", ("plan_id", "name"), "name", "is already used by another rule of this plan"
)


# -- plans ----------------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    """A value as the audit log shows it: plain words, never a Python repr."""
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value) or "none"
    if isinstance(value, dict):
        if "tiers" in value:
            tiers = "; ".join(
                f"{t.get('from')} to {t.get('to') if t.get('to') is not None else 'open'} at "
                f"{t.get('rate')}"
                for t in value["tiers"]
            )
            return f"{value.get('mode', '')} tiers {tiers}".strip()
        return ", ".join(f"{k} {_shown(v)}" for k, v in value.items()) or "none"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _plan(uow: UnitOfWork, actor: Actor, plan_id: int, action: str) -> IncentivePlan:
    plan = uow.session.get(IncentivePlan, plan_id)
    if plan is None or not actor.scope.allows_venture(plan.venture_id):
        raise NotFound("plan", plan_id)
    actor.require(action, plan.venture_id, entity="plan")
    return plan


def _plan_view(uow: UnitOfWork, actor: Actor, plan: IncentivePlan) -> PlanView:
    rules = list(
        uow.session.execute(select(IncentiveRule).where(IncentiveRule.plan_id == plan.id))
        .scalars()
        .all()
    )
    code = load_venture(uow, actor, plan.venture_id).code
    return plan_view(plan, rules, code, actor.can("incentives.plans.manage", plan.venture_id))


def _check_dates(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise Invalid.field("effective_to", "must be on or after effective_from")


def create_plan(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | PlanInput) -> PlanView:
    inp = parse(PlanInput, data)
    load_venture(uow, actor, inp.venture_id)
    actor.require("incentives.plans.manage", inp.venture_id)
    _check_dates(inp.effective_from, inp.effective_to)
    if inp.status is PlanStatus.RETIRED:
        raise Invalid.field("status", "a new plan is DRAFT or ACTIVE")
    plan = IncentivePlan(**inp.model_dump(), created_by_id=actor.real_user_id)
    with duplicates_as_conflict(uow.session, _PLAN_NAME):
        uow.session.add(plan)
    audit(
        uow,
        actor,
        IncentiveAudit.PLAN_CREATED,
        entity_type="incentive_plan",
        entity_id=plan.id,
        venture_id=plan.venture_id,
        detail={"name": plan.name, "currency": plan.currency, "status": plan.status.value},
    )
    return _plan_view(uow, actor, plan)


_NEXT_STATUS = {
    PlanStatus.DRAFT: {PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.RETIRED},
    PlanStatus.ACTIVE: {PlanStatus.ACTIVE, PlanStatus.RETIRED},
    PlanStatus.RETIRED: {PlanStatus.RETIRED},
}


def update_plan(
    uow: UnitOfWork, actor: Actor, plan_id: int, data: Mapping[str, Any] | PlanPatch
) -> PlanView:
    plan = _plan(uow, actor, plan_id, "incentives.plans.manage")
    patch = parse(PlanPatch, data)
    changes = patch.model_dump(exclude_unset=True)
    for key in ("name", "effective_from", "status"):
        if key in changes and changes[key] is None:
            raise Invalid.field(key, "is required")
    if "status" in changes and changes["status"] not in _NEXT_STATUS[plan.status]:
        raise Invalid.field(
            "status", f"a {plan.status.value} plan cannot become {changes['status'].value}"
        )
    if plan.status is PlanStatus.RETIRED and set(changes) - {"status"}:
        raise Invalid.field("status", "a RETIRED plan cannot be changed")
    _check_dates(
        changes.get("effective_from", plan.effective_from),
        changes.get("effective_to", plan.effective_to)
        if "effective_to" in changes
        else plan.effective_to,
    )
    before = {k: _shown(getattr(plan, k)) for k in changes}
    with duplicates_as_conflict(uow.session, _PLAN_NAME):
        for key, value in changes.items():
            setattr(plan, key, value)
        plan.updated_at = clock.now()
    audit(
        uow,
        actor,
        IncentiveAudit.PLAN_RETIRED
        if changes.get("status") is PlanStatus.RETIRED
        else IncentiveAudit.PLAN_UPDATED,
        entity_type="incentive_plan",
        entity_id=plan.id,
        venture_id=plan.venture_id,
        detail={"before": before, "after": {k: _shown(v) for k, v in changes.items()}},
    )
    return _plan_view(uow, actor, plan)


def retire_plan(uow: UnitOfWork, actor: Actor, plan_id: int) -> PlanView:
    return update_plan(uow, actor, plan_id, {"status": PlanStatus.RETIRED})


# -- rules ----------------------------------------------------------------------------------------


def _roles(values: list[str]) -> list[str]:
    out = []
    for i, v in enumerate(values):
        try:
            out.append(Role(str(v).strip().upper()).value)
        except ValueError:
            raise Invalid.field(f"roles[{i}]", f"unknown role {v!r}") from None
    return sorted(set(out))


def check_rule(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a rule as the form holds it (name, metric_key, calc_type, rate, config, roles):
    the stored values, or ``Invalid`` naming every bad field. No database: the form calls it as
    the user types."""
    inp = parse(RuleInput, data)
    errors: dict[str, str] = {}
    registered = None
    try:
        registered = metric(inp.metric_key)
    except Invalid as exc:
        errors.update(exc.fields)
    try:
        roles = _roles(inp.roles)
    except Invalid as exc:
        errors.update(exc.fields)
        roles = []
    calc = None
    try:
        if registered is None:
            parse_calc_type(inp.calc_type)
        else:
            calc = validate_rule(
                inp.metric_key,
                registered.is_money,
                registered.vertical,
                inp.calc_type,
                inp.rate,
                inp.config,
            )
    except Invalid as exc:
        errors.update(exc.fields)
    if errors or calc is None:
        raise Invalid(errors or {"calc_type": "is not valid"})
    return {
        "name": inp.name,
        "metric_key": inp.metric_key,
        "calc_type": parse_calc_type(inp.calc_type),
        "rate": calc.rate,
        "config": config_json(calc),
        "roles": roles,
        "enabled": inp.enabled,
    }


def add_rule(
    uow: UnitOfWork, actor: Actor, plan_id: int, data: Mapping[str, Any] | RuleInput
) -> RuleView:
    plan = _plan(uow, actor, plan_id, "incentives.plans.manage")
    if plan.status is PlanStatus.RETIRED:
        raise Invalid.field("plan_id", "a RETIRED plan takes no new rules")
    values = check_rule(data.model_dump() if isinstance(data, RuleInput) else data)
    rule = IncentiveRule(plan_id=plan_id, **values)
    with duplicates_as_conflict(uow.session, _RULE_NAME):
        uow.session.add(rule)
    audit(
        uow,
        actor,
        IncentiveAudit.RULE_CREATED,
        entity_type="incentive_rule",
        entity_id=rule.id,
        venture_id=plan.venture_id,
        detail={k: _shown(v) for k, v in values.items()},
    )
    return rule_view(rule)


def update_rule(
    uow: UnitOfWork, actor: Actor, rule_id: int, data: Mapping[str, Any] | RulePatch
) -> RuleView:
    rule = uow.session.get(IncentiveRule, rule_id)
    if rule is None:
        raise NotFound("rule", rule_id)
    try:
        plan = _plan(uow, actor, rule.plan_id, "incentives.plans.manage")
    except NotFound:
        raise NotFound("rule", rule_id) from None
    if plan.status is PlanStatus.RETIRED:
        raise Invalid.field("plan_id", "the rules of a RETIRED plan cannot change")
    patch = parse(RulePatch, data).model_dump(exclude_unset=True)
    for key in ("name", "metric_key", "calc_type", "config", "roles", "enabled"):
        if key in patch and patch[key] is None:
            raise Invalid.field(key, "is required")
    current = {
        "name": rule.name,
        "metric_key": rule.metric_key,
        "calc_type": str(rule.calc_type),
        "rate": rule.rate,
        "config": dict(rule.config or {}),
        "roles": list(rule.roles or []),
        "enabled": rule.enabled,
    }
    values = check_rule(current | patch)
    before = {k: _shown(current[k]) for k in patch}
    with duplicates_as_conflict(uow.session, _RULE_NAME):
        for key, value in values.items():
            setattr(rule, key, value)
        rule.updated_at = clock.now()
    audit(
        uow,
        actor,
        IncentiveAudit.RULE_UPDATED,
        entity_type="incentive_rule",
        entity_id=rule.id,
        venture_id=plan.venture_id,
        detail={"before": before, "after": {k: _shown(values[k]) for k in patch if k in values}},
    )
    return rule_view(rule)


# -- what-if --------------------------------------------------------------------------------------


def preview_rule(
    actor: Actor, plan_id: int, data: Mapping[str, Any], *, days: int = PREVIEW_DAYS
) -> Preview:
    """The draft rule over the last ``days`` business days of its plan's venture, as if it were
    the plan's only rule and the plan were active: per user amounts and totals per currency.
    Nothing is written."""
    values = check_rule(data)
    with read_only() as uow:
        plan = _plan(uow, actor, plan_id, "incentives.plans.read")
        venture = load_venture(uow, actor, plan.venture_id)
        code, venture_id, currency = venture.code, plan.venture_id, plan.currency
        end = clock.today(venture.timezone) - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    registered = metric(values["metric_key"])
    from domain.incentives.calc import load_calc

    draft = PayingRule(
        plan_id=plan_id,
        plan="(draft)",
        currency=currency,
        effective_from=start,
        effective_to=end,
        rule_id=0,
        rule=values["name"],
        metric_key=values["metric_key"],
        calc=load_calc(values["calc_type"], values["rate"], values["config"]),
        roles=frozenset(values["roles"]),
        item_facts=registered.source.item_facts and str(values["calc_type"]) == "LOAD_LEVEL_BONUS",
    )
    engine = get_engine()
    with engine.connect() as conn:
        periods = engine_commit.member_periods(conn, venture_id, start, end)
    metric_values, items, _ = engine_commit.metric_values(engine, venture_id, start, end, [draft])
    rows = pay(venture_id, [draft], periods, metric_values, items)
    per_user: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for r in rows:
        per_user[(r.user_id, r.currency)].append(r.amount)
    names = _names([u for u, _ in per_user])
    totals: dict[str, Decimal] = defaultdict(Decimal)
    out = []
    for (user_id, cur), amounts in per_user.items():
        total = sum(amounts, Decimal("0.00"))
        totals[cur] += total
        out.append(
            PreviewRow(
                user_id=user_id,
                user_name=names.get(user_id, str(user_id)),
                currency=cur,
                amount=total,
                days=len(amounts),
            )
        )
    out.sort(key=lambda r: (r.currency, -r.amount, r.user_name))
    return Preview(
        venture_code=code, start=start, end=end, rows=out, totals=dict(sorted(totals.items()))
    )


def _names(user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    with read_only() as uow:
        return {
            int(i): str(n)
            for i, n in uow.session.execute(
                select(User.id, User.name).where(col(User.id).in_(sorted(set(user_ids))))
            )
        }


# -- commit and backfill --------------------------------------------------------------------------


def _commit_target(uow: UnitOfWork, actor: Actor, venture: str | int, day: date) -> Venture:
    v = (
        load_venture(uow, actor, venture)
        if isinstance(venture, int)
        else venture_by_code(uow, actor, venture)
    )
    assert v.id is not None
    actor.require("incentives.commit", v.id)
    today = clock.today(v.timezone)
    if day > today:
        raise Invalid.field("date", f"{day} is in the future for {v.code} (today is {today} there)")
    has_plan = uow.session.execute(
        select(IncentivePlan.id)
        .where(
            IncentivePlan.venture_id == v.id,
            engine_commit.plan_applies(day, day),
        )
        .limit(1)
    ).first()
    if has_plan is None:
        raise Invalid.field("venture", f"{v.code} has no active incentive plan on {day}")
    return v


def _refuse_locked(venture_id: int, start: date, end: date) -> None:
    """Days inside an APPROVED or PAID payout period are locked (Conflict naming the period);
    ``payout_services.reopen_and_recompute`` is the force-reopen path."""
    from domain.incentives.payout_services import locked_period_error

    locked_period_error(venture_id, start, end)


def commit(
    actor: Actor, venture: str | int, day: date, *, dry_run: bool, run_id: str | None = None
) -> CommitResult:
    """Commit (or, dry run, compute and show) one venture's incentives for ``day``.

    A live commit is a run of the ``incentives-daily`` job (logged, locked, verifiable); its
    rows name the run. A dry run computes in process and writes nothing."""
    from domain.jobs.models import TriggeredBy
    from domain.jobs.runner import run_job

    with read_only() as uow:
        v = _commit_target(uow, actor, venture, day)
        code, venture_id = v.code, v.id
    assert venture_id is not None
    if dry_run:
        comp = engine_commit.commit_incentives(venture_id, day, run_id=None, dry_run=True)
        names = _names([r.user_id for r in comp.rows])
        previews = [
            daily_view(
                IncentiveDaily(
                    id=0,
                    user_id=r.user_id,
                    venture_id=venture_id,
                    business_date=day,
                    currency=r.currency,
                    amount=r.amount,
                    breakdown=r.breakdown,
                    run_id="",
                ),
                names.get(r.user_id, str(r.user_id)),
                code,
                None,
            )
            for r in comp.rows
        ]
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for r in comp.rows:
            totals[r.currency] += r.amount
        return CommitResult(
            venture_code=code,
            business_date=day,
            dry_run=True,
            run_id=None,
            status="DRY_RUN",
            error=None,
            rows=[r.model_copy(update={"id": None, "run_id": None}) for r in previews],
            totals=dict(sorted(totals.items())),
        )
    _refuse_locked(venture_id, day, day)
    with unit_of_work() as uow:
        audit(
            uow,
            actor,
            IncentiveAudit.COMMIT_REQUESTED,
            entity_type="venture",
            entity_id=venture_id,
            venture_id=venture_id,
            detail={"date": day.isoformat()},
        )
    run = run_job(
        "incentives-daily",
        business_date=day,
        venture=code,
        dry_run=False,
        actor=actor,
        run_id=run_id,
        triggered_by=TriggeredBy.USER,
    )
    from domain.incentives.queries import rows_of_run

    with read_only() as uow:
        written = rows_of_run(uow, actor, run.run_id)
    totals = defaultdict(Decimal)
    for w in written:
        totals[w.currency] += w.amount
    return CommitResult(
        venture_code=code,
        business_date=day,
        dry_run=False,
        run_id=run.run_id,
        status=run.status.value,
        error=run.error,
        rows=written,
        totals=dict(sorted(totals.items())),
    )


def start_commit(actor: Actor, venture: str | int, day: date) -> str:
    """A live commit started from the web app: validated and authorized like ``commit`` (errors
    raise at once), then run as an ``incentives-daily`` job in the runner's thread. Returns the
    run id at once; poll ``domain.jobs.queries.get_run`` for progress and the result."""
    from domain.jobs.models import TriggeredBy
    from domain.jobs.runner import start_run

    with read_only() as uow:
        v = _commit_target(uow, actor, venture, day)
        code, venture_id = v.code, v.id
    assert venture_id is not None
    _refuse_locked(venture_id, day, day)
    run_id = start_run(
        "incentives-daily",
        actor=actor,
        business_date=day,
        venture=code,
        dry_run=False,
        triggered_by=TriggeredBy.USER,
    )
    with unit_of_work() as uow:
        audit(
            uow,
            actor,
            IncentiveAudit.COMMIT_REQUESTED,
            entity_type="venture",
            entity_id=venture_id,
            venture_id=venture_id,
            detail={"date": day.isoformat(), "run_id": run_id},
        )
    return run_id


def backfill(
    actor: Actor,
    venture: str,
    start: date,
    end: date,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> Any:
    """Recommit every day of ``start..end`` as one run of ``incentives-backfill``.

    ``progress(run_id, cells done, cells total)`` follows the run's notebook as it executes."""
    from domain.incentives.jobs import MAX_BACKFILL_DAYS
    from domain.jobs.models import TriggeredBy
    from domain.jobs.runner import run_job

    if end < start:
        raise Invalid.field("to", "must be on or after from")
    if (end - start).days + 1 > MAX_BACKFILL_DAYS:
        raise Invalid.field("from", f"a backfill covers at most {MAX_BACKFILL_DAYS} days")
    with read_only() as uow:
        v = _commit_target(uow, actor, venture, end)
        code, venture_id = v.code, v.id
    assert venture_id is not None
    _refuse_locked(venture_id, start, end)
    with unit_of_work() as uow:
        audit(
            uow,
            actor,
            IncentiveAudit.BACKFILL_REQUESTED,
            entity_type="venture",
            entity_id=venture_id,
            venture_id=venture_id,
            detail={"from": start.isoformat(), "to": end.isoformat()},
        )
    return run_job(
        "incentives-backfill",
        business_date=end,
        venture=code,
        dry_run=False,
        params={"from_date": start.isoformat()},
        actor=actor,
        triggered_by=TriggeredBy.USER,
        progress=progress,
    )


def plan_of(uow: UnitOfWork, actor: Actor, plan_id: int) -> PlanView:
    return _plan_view(uow, actor, _plan(uow, actor, plan_id, "incentives.plans.read"))


__all__ = [
    "add_rule",
    "backfill",
    "check_rule",
    "commit",
    "create_plan",
    "plan_of",
    "preview_rule",
    "retire_plan",
    "start_commit",
    "update_plan",
    "update_rule",
]
