"""Who sees which SaaS rows: the scope rules of the wing in one place, as SQL clauses.

- Only SAAS ventures hold customers and subscriptions; every clause is limited to the SAAS
  ventures in the actor's scope (a row of any other venture is never read).
- SaaS rows belong to the venture, not to an office: every role with a ``saas.*`` permission
  sees those of the SAAS ventures in its scope.

A row out of scope answers ``NotFound`` exactly like a missing row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.org.models import Venture
from domain.saas.models import SAAS_VENTURE_TYPES, SaasCustomer, SaasSubscription


def saas_venture_ids(uow: UnitOfWork, actor: Actor) -> list[int]:
    """Ids of the SAAS ventures in the actor's scope."""
    stmt = select(Venture.id).where(
        col(Venture.type).in_(sorted(SAAS_VENTURE_TYPES)), actor.scope.venture_clause(Venture.id)
    )
    return sorted(uow.session.execute(stmt).scalars())


def venture_filter(
    uow: UnitOfWork, actor: Actor, column: Any, venture_id: int | None = None
) -> ColumnElement[bool]:
    """``column`` limited to the SAAS ventures in scope, narrowed to ``venture_id`` if given (a
    venture out of scope or of another type matches nothing)."""
    ids = saas_venture_ids(uow, actor)
    if venture_id is not None:
        ids = [venture_id] if venture_id in ids else []
    if not ids:
        return false()
    return col(column) == ids[0] if len(ids) == 1 else col(column).in_(ids)


def customer_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    return venture_filter(uow, actor, SaasCustomer.venture_id, venture_id)


def subscription_clause(
    uow: UnitOfWork, actor: Actor, venture_id: int | None = None
) -> ColumnElement[bool]:
    return venture_filter(uow, actor, SaasSubscription.venture_id, venture_id)


def get_customer(uow: UnitOfWork, actor: Actor, customer_id: int) -> SaasCustomer:
    actor.require("saas.customers.read")
    customer = uow.session.execute(
        select(SaasCustomer).where(col(SaasCustomer.id) == customer_id, customer_clause(uow, actor))
    ).scalar_one_or_none()
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer


def get_subscription(uow: UnitOfWork, actor: Actor, subscription_id: int) -> SaasSubscription:
    actor.require("saas.subscriptions.read")
    sub = uow.session.execute(
        select(SaasSubscription).where(
            col(SaasSubscription.id) == subscription_id, subscription_clause(uow, actor)
        )
    ).scalar_one_or_none()
    if sub is None:
        raise NotFound("subscription", subscription_id)
    return sub


def require_saas_venture(
    uow: UnitOfWork, actor: Actor, venture_id: int, *, field: str = "venture_id"
) -> Venture:
    """A venture in scope that may hold SaaS customers. Out of scope or missing: NotFound; of
    another type or inactive: Invalid on ``field``."""
    venture = uow.session.get(Venture, venture_id)
    if venture is None or not actor.scope.allows_venture(venture.id):
        raise NotFound("venture", venture_id)
    if venture.type not in SAAS_VENTURE_TYPES:
        raise Invalid.field(
            field,
            f"{venture.code} is a {venture.type.value} venture: only SAAS ventures hold "
            f"subscriptions",
        )
    if not venture.is_active:
        raise Invalid.field(field, f"{venture.code} is not active")
    return venture


def require_customer_for_work(
    uow: UnitOfWork, actor: Actor, customer_id: int, *, field: str = "customer_id"
) -> SaasCustomer:
    """A customer in scope the actor may subscribe (an id of another venture, out of scope,
    reads as not one of the actor's customers: Invalid naming ``field``, nothing written)."""
    actor.require("saas.subscriptions.manage")
    customer = uow.session.execute(
        select(SaasCustomer).where(col(SaasCustomer.id) == customer_id, customer_clause(uow, actor))
    ).scalar_one_or_none()
    if customer is None:
        raise Invalid.field(field, f"customer {customer_id} is not a customer of your ventures")
    actor.require("saas.subscriptions.manage", customer.venture_id)
    return customer
