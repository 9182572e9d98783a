"""``/api/v1/incentives``: plans and their rules (list, create, update, retire), the commit of a
venture's day (dry run or live) and the daily rows (the caller's own, or a venture's).

Thin calls of ``domain.incentives``: the domain applies scope (a plan, rule or venture outside
the caller's ventures answers 404 exactly like a missing one), checks the role (403), validates
each rule at save (400 naming the field, e.g. ``config.tiers[1].from``) and is the only writer of
the daily rows. A live commit is a run of the ``incentives-daily`` job: the answer names the run
and its status (``SUCCEEDED``, or ``FAILED`` with the run's error); a commit of the same venture
and date already running answers 409.

The section is the Command center: every signed-in user reads their own incentives here, and
the domain decides the rest per venture.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from domain.access.actor import Actor
from domain.db import UnitOfWork, read_only, unit_of_work
from domain.errors import Conflict, Invalid
from domain.incentives import services
from domain.incentives.explain import Explanation, explain_runs
from domain.incentives.queries import list_daily, list_plans
from domain.incentives.schemas import (
    CommitResult,
    DailyView,
    PlanInput,
    PlanPatch,
    PlanView,
    RuleInput,
    RulePatch,
    RuleView,
)
from domain.org.queries import load_venture, venture_by_code
from domain.pagination import DEFAULT_PAGE_SIZE
from domain.schemas import Input
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit, page_of
from rxapp.api.schemas import MAX_ID, DbId, PageOut, PathId, SafeText, error_responses

router = APIRouter(
    prefix="/incentives", tags=["incentives"], responses=error_responses(400, 401, 403)
)

# A venture as a client names it: its code (``AFL``) or its id (``3``).
VentureRef = Annotated[
    str,
    Query(
        min_length=1,
        max_length=12,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The venture's code (`AFL`) or id.",
    ),
]


def _venture_id(uow: UnitOfWork, actor: Actor, ref: str) -> int:
    """The id of the venture ``ref`` names (code or id), in the caller's scope, else 404."""
    if ref.isdigit():
        number = int(ref)
        if not 1 <= number <= MAX_ID:
            raise Invalid.field("venture", "is not a venture id")
        found = load_venture(uow, actor, number)
    else:
        found = venture_by_code(uow, actor, ref)
    assert found.id is not None
    return found.id


# -- bodies ---------------------------------------------------------------------------------------


class PlanCreate(PlanInput, SafeText):
    """A new plan of a venture, paid in USD or INR; DRAFT (default) or ACTIVE."""


class PlanUpdate(PlanPatch, SafeText):
    """Only the fields sent change; ``effective_to: null`` opens the plan's end."""


class RuleCreate(RuleInput, SafeText):
    """A rule: a registered metric, a calc type, its rate and config, the roles it pays."""


class RuleUpdate(RulePatch, SafeText):
    """Only the fields sent change; the whole rule is validated again."""


class CommitInput(Input, SafeText):
    """Commit one venture's incentives for one business date (or, ``dry_run``, compute them and
    write nothing)."""

    venture: DbId | Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9_-]+$")]
    date: dt.date
    dry_run: bool = False


# -- plans and rules ------------------------------------------------------------------------------


def _plan_key(p: PlanView) -> tuple[str, str, int]:
    return (p.venture_code, p.name.casefold(), p.id)


@router.get(
    "/plans",
    response_model=PageOut[PlanView],
    responses=error_responses(404),
    summary="Incentive plans (with their rules) of the ventures in scope, by venture and name",
)
def plans(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: Annotated[VentureRef | None, Query()] = None,
) -> PageOut[PlanView]:
    with read_only() as uow:
        venture_id = _venture_id(uow, actor, venture) if venture else None
        items = list_plans(uow, actor, venture_id)
    return page_of(items, _plan_key, width=3, cursor=cursor, limit=limit)


@router.post(
    "/plans",
    response_model=PlanView,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Create a plan (DRAFT or ACTIVE); its name is unique in the venture",
)
def create_plan(actor: CurrentActor, body: PlanCreate) -> PlanView:
    with unit_of_work() as uow:
        return services.create_plan(uow, actor, body.model_dump())


@router.patch(
    "/plans/{plan_id}",
    response_model=PlanView,
    responses=error_responses(404, 409),
    summary="Rename a plan, change its dates or status (DRAFT -> ACTIVE -> RETIRED)",
)
def update_plan(actor: CurrentActor, plan_id: PathId, body: PlanUpdate) -> PlanView:
    with unit_of_work() as uow:
        return services.update_plan(uow, actor, plan_id, body.model_dump(exclude_unset=True))


@router.post(
    "/plans/{plan_id}/retire",
    response_model=PlanView,
    responses=error_responses(404),
    summary="Retire a plan: it pays no later commit and cannot change any more",
)
def retire_plan(actor: CurrentActor, plan_id: PathId) -> PlanView:
    with unit_of_work() as uow:
        return services.retire_plan(uow, actor, plan_id)


@router.post(
    "/plans/{plan_id}/rules",
    response_model=RuleView,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Add a rule to a plan (validated: metric, calc type, rate, config, roles)",
)
def add_rule(actor: CurrentActor, plan_id: PathId, body: RuleCreate) -> RuleView:
    with unit_of_work() as uow:
        return services.add_rule(uow, actor, plan_id, body.model_dump())


@router.patch(
    "/rules/{rule_id}",
    response_model=RuleView,
    responses=error_responses(404, 409),
    summary="Change a rule; the rule as it will be is validated again",
)
def update_rule(actor: CurrentActor, rule_id: PathId, body: RuleUpdate) -> RuleView:
    with unit_of_work() as uow:
        return services.update_rule(uow, actor, rule_id, body.model_dump(exclude_unset=True))


# -- commit ---------------------------------------------------------------------------------------


@router.post(
    "/commit",
    response_model=CommitResult,
    responses=error_responses(404, 409),
    summary="Commit a venture's incentives for a date (a job run), or compute them (dry run)",
    description=(
        "`venture` is the venture's code or id. A dry run writes nothing and shows the rows a "
        "commit would write. A live commit replaces that day's rows and answers the run "
        "(`run_id`, `status`, `error`) with the rows it wrote. 409 when a commit of the same "
        "venture and date is running."
    ),
)
def commit(actor: CurrentActor, body: CommitInput) -> CommitResult:
    result = services.commit(actor, body.venture, body.date, dry_run=body.dry_run)
    if result.status == "SKIPPED_LOCKED":
        raise Conflict(
            f"A commit of {result.venture_code} for {result.business_date} is already running."
        )
    return result


# -- daily rows -----------------------------------------------------------------------------------


@router.get(
    "/daily",
    response_model=PageOut[DailyView],
    responses=error_responses(404),
    summary="Daily incentive rows, newest first: the caller's own (mine) or a venture's",
    description=(
        "`scope=mine` (default): the caller's own rows, optionally of one `venture`. "
        "`scope=venture`: every row of `venture` (required), for the roles that may read a "
        "venture's incentives."
    ),
)
def daily(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    scope: Annotated[
        str, Query(pattern=r"^(mine|venture)$", description="`mine` or `venture`.")
    ] = "mine",
    venture: Annotated[VentureRef | None, Query()] = None,
    date_from: Annotated[
        dt.date | None, Query(alias="from", description="First business date.")
    ] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="Last business date.")] = None,
) -> PageOut[DailyView]:
    try:
        with read_only() as uow:
            venture_id = _venture_id(uow, actor, venture) if venture else None
            page = list_daily(
                uow,
                actor,
                scope=scope,
                venture_id=venture_id,
                start=date_from,
                end=date_to,
                cursor=cursor,
                limit=limit,
            )
    except Invalid as exc:  # the domain names its arguments; the client knows the parameters
        names = {"start": "from", "end": "to", "venture_id": "venture"}
        raise Invalid({names.get(k, k): v for k, v in exc.fields.items()}) from None
    return PageOut[DailyView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


# -- explain the change ---------------------------------------------------------------------------

# Run ids are ``20261127T070000-3fa9c1d2``; anything else cannot name a run.
_RUN_ID = r"^[A-Za-z0-9_.:-]+$"


@router.get(
    "/explain",
    response_model=Explanation,
    responses=error_responses(404),
    summary="What changed between two runs of the same key, per user and rule, and why",
    description=(
        "`a` and `b`: two runs of the same job, venture and dates (incentives-daily, "
        "incentives-backfill or payouts); `before` is the one that started first. Per user and "
        "rule: the metric value and the amount before and after (only what differs); per user "
        "and day: the amount before and after with a sentence saying why; the input rows that "
        "changed (a load by its reference). A run you may not read answers 404 like an unknown "
        "one; runs of different keys 400 naming `b`."
    ),
)
def explain(
    actor: CurrentActor,
    a: Annotated[str, Query(min_length=1, max_length=40, pattern=_RUN_ID, description="A run id.")],
    b: Annotated[
        str, Query(min_length=1, max_length=40, pattern=_RUN_ID, description="Another run id.")
    ],
    user: Annotated[
        str | None, Query(max_length=254, description="Only this user (email).")
    ] = None,
) -> Explanation:
    with read_only() as uow:
        return explain_runs(uow, actor, a, b, user=user or None)
