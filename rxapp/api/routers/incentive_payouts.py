"""``/api/v1/incentives/payouts``: the periods' payouts, their creation (a run of the payouts
notebook), the approval of a run, payment and void.

Thin calls of ``domain.incentives.payout_services``: reading needs ``incentives.payouts.read``
(leadership, FINANCE, ACCOUNTING, AUDITOR), creating, paying and voiding
``incentives.payouts.manage`` (CEO, ADMIN, FINANCE), approving ``incentives.payouts.approve``
(CEO, FINANCE), always within the caller's ventures: anything outside them answers 404 like
something that does not exist. Creating and approving run a notebook (seconds): the answer comes
when the run has ended.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from domain.db import read_only, unit_of_work
from domain.incentives.models import PayoutStatus
from domain.incentives.payout_services import (
    ApprovalResult,
    ApproveInput,
    PayoutCreateInput,
    PayoutRunResult,
    PayoutView,
    VoidInput,
    approve_run,
    create_payouts,
    list_payouts,
    mark_paid,
    void_payout,
)
from domain.pagination import DEFAULT_PAGE_SIZE
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import PageOut, PathId, error_responses

router = APIRouter(
    prefix="/incentives/payouts",
    tags=["incentives: payouts"],
    responses=error_responses(400, 401, 403),
)


@router.get(
    "",
    response_model=PageOut[PayoutView],
    responses=error_responses(404),
    summary="Payouts of the caller's ventures, newest period first (keyset pages)",
)
def payouts_list(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: Annotated[str | None, Query(max_length=20, description="A venture code.")] = None,
    status: PayoutStatus | None = None,
    run_id: Annotated[
        str | None, Query(max_length=40, description="The run that wrote them.")
    ] = None,
) -> PageOut[PayoutView]:
    with read_only() as uow:
        page = list_payouts(
            uow, actor, venture=venture, status=status, run_id=run_id, cursor=cursor, limit=limit
        )
    return PageOut[PayoutView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "",
    response_model=PayoutRunResult,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Create a period's CALCULATED payouts (a payouts run); 409 when they exist",
)
def payouts_create(actor: CurrentActor, body: PayoutCreateInput) -> PayoutRunResult:
    """``replace`` re-runs a period whose payouts are all still CALCULATED. The answer names the
    run (its status and error when the notebook failed) and the payouts it wrote."""
    return create_payouts(
        actor, body.venture, body.period_start, body.period_end, replace=body.replace
    )


@router.post(
    "/approve",
    response_model=ApprovalResult,
    responses=error_responses(404, 409),
    summary="Approve a payouts run as a whole, after re-verifying it (FINANCE, CEO)",
)
def payouts_approve(actor: CurrentActor, body: ApproveInput) -> ApprovalResult:
    """409 when the run does not verify (the message says what changed and advises a re-run
    with replace), when it is already approved, or while another approval of it is running."""
    return approve_run(actor, body.run_id)


@router.post(
    "/{payout_id}/pay",
    response_model=PayoutView,
    responses=error_responses(404, 409),
    summary="Mark an APPROVED payout PAID",
)
def payout_pay(actor: CurrentActor, payout_id: PathId) -> PayoutView:
    with unit_of_work() as uow:
        return mark_paid(uow, actor, payout_id)


@router.post(
    "/{payout_id}/void",
    response_model=PayoutView,
    responses=error_responses(404, 409),
    summary="Void a payout with a reason (a PAID one only with force, FINANCE or CEO)",
)
def payout_void(actor: CurrentActor, payout_id: PathId, body: VoidInput) -> PayoutView:
    with unit_of_work() as uow:
        return void_payout(uow, actor, payout_id, body.reason, force=body.force)
