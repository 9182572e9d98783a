"""``/api/v1/saas``: customers (list, create, update, a customer's page), subscriptions (list,
create, update, cancel) and the MRR KPI.

Thin calls of ``domain.saas``: the domain applies scope (a customer or subscription outside the
caller's ventures answers 404 exactly like a missing one), checks the role, validates (400 with
``fields``: a negative ``mrr``, a ``cancelled_at`` before the start, a customer of another
venture) and refuses a second cancellation (409).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from domain.db import read_only, unit_of_work
from domain.errors import Invalid
from domain.pagination import DEFAULT_PAGE_SIZE
from domain.saas import queries, services
from domain.saas.queries import SubscriptionFilter
from domain.saas.schemas import (
    CancelInput,
    CustomerInput,
    CustomerPageView,
    CustomerPatch,
    CustomerView,
    MrrKpiView,
    SaasDashboardView,
    SubscriptionInput,
    SubscriptionPatch,
    SubscriptionView,
)
from domain.schemas import BusinessDate
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import MAX_ID, PageOut, PathId, error_responses

router = APIRouter(prefix="/saas", tags=["saas"], responses=error_responses(400, 401, 403))

QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
DateFrom = Annotated[BusinessDate | None, Query(alias="from")]
DateTo = Annotated[BusinessDate | None, Query(alias="to")]


def _renamed(exc: Invalid) -> Invalid:
    names = {"start": "from", "end": "to", "venture_id": "venture"}
    return Invalid({names.get(k, k): v for k, v in exc.fields.items()})


# -- customers ------------------------------------------------------------------------------------


@router.get(
    "/customers",
    response_model=PageOut[CustomerView],
    summary="Customers in scope by name, each with its MRR today",
)
def saas_customers(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> PageOut[CustomerView]:
    with read_only() as uow:
        page = queries.list_customers(
            uow, actor, venture_id=venture, search=q, cursor=cursor, limit=limit
        )
    return PageOut[CustomerView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/customers",
    response_model=CustomerView,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Create a customer (its domain unique in the venture)",
)
def saas_create_customer(actor: CurrentActor, body: CustomerInput) -> CustomerView:
    with unit_of_work() as uow:
        return services.create_customer(uow, actor, body)


@router.get(
    "/customers/{customer_id}",
    response_model=CustomerPageView,
    responses=error_responses(404),
    summary="A customer with all its subscriptions",
)
def saas_customer(actor: CurrentActor, customer_id: PathId) -> CustomerPageView:
    with read_only() as uow:
        return queries.customer_page(uow, actor, customer_id)


@router.patch(
    "/customers/{customer_id}",
    response_model=CustomerView,
    responses=error_responses(404, 409),
    summary="Edit a customer's name or domain",
)
def saas_update_customer(
    actor: CurrentActor, customer_id: PathId, body: CustomerPatch
) -> CustomerView:
    with unit_of_work() as uow:
        return services.update_customer(uow, actor, customer_id, body)


# -- subscriptions --------------------------------------------------------------------------------


@router.get(
    "/subscriptions",
    response_model=PageOut[SubscriptionView],
    summary="Subscriptions in scope, newest start first",
)
def saas_subscriptions(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    customer: QueryId = None,
    plan: Annotated[str | None, Query(max_length=80)] = None,
    status: Annotated[str | None, Query(pattern="^(active|cancelled)$")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> PageOut[SubscriptionView]:
    filters = SubscriptionFilter(
        venture_id=venture,
        customer_id=customer,
        plan=plan,
        status=status,
        started_from=date_from,
        started_to=date_to,
    )
    with read_only() as uow:
        page = queries.list_subscriptions(uow, actor, filters, cursor=cursor, limit=limit)
    return PageOut[SubscriptionView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/subscriptions",
    response_model=SubscriptionView,
    status_code=201,
    responses=error_responses(404),
    summary="Subscribe a customer to a plan (MRR in the venture's currency)",
)
def saas_create_subscription(actor: CurrentActor, body: SubscriptionInput) -> SubscriptionView:
    with unit_of_work() as uow:
        return services.create_subscription(uow, actor, body)


@router.patch(
    "/subscriptions/{subscription_id}",
    response_model=SubscriptionView,
    responses=error_responses(404),
    summary="Change a subscription's plan or MRR",
)
def saas_update_subscription(
    actor: CurrentActor, subscription_id: PathId, body: SubscriptionPatch
) -> SubscriptionView:
    with unit_of_work() as uow:
        return services.update_subscription(uow, actor, subscription_id, body)


@router.post(
    "/subscriptions/{subscription_id}/cancel",
    response_model=SubscriptionView,
    responses=error_responses(404, 409),
    summary="Cancel on a date with a reason (once: a second cancellation is 409)",
)
def saas_cancel_subscription(
    actor: CurrentActor, subscription_id: PathId, body: CancelInput
) -> SubscriptionView:
    with unit_of_work() as uow:
        return services.cancel_subscription(uow, actor, subscription_id, body)


# -- KPI ------------------------------------------------------------------------------------------


@router.get(
    "/kpi/mrr",
    response_model=MrrKpiView,
    responses=error_responses(404),
    summary="A venture's MRR on a date (default its business date today)",
)
def saas_mrr(
    actor: CurrentActor,
    venture: QueryId = None,
    day: Annotated[BusinessDate | None, Query()] = None,
) -> MrrKpiView:
    try:
        with read_only() as uow:
            return queries.mrr_kpi(uow, actor, venture_id=venture, day=day)
    except Invalid as exc:
        raise _renamed(exc) from None


@router.get(
    "/dashboard",
    response_model=SaasDashboardView,
    responses=error_responses(404),
    summary="MRR line, monthly movements (new, expansion, contraction, churn) and top customers",
)
def saas_dashboard(
    actor: CurrentActor, venture: QueryId = None, date_from: DateFrom = None, date_to: DateTo = None
) -> SaasDashboardView:
    try:
        with read_only() as uow:
            return queries.saas_dashboard(
                uow, actor, venture_id=venture, start=date_from, end=date_to
            )
    except Invalid as exc:
        raise _renamed(exc) from None
