"""Subscription use cases: create, change plan or amount, cancel (once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from domain import cache
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Conflict, Invalid
from domain.org.models import Venture
from domain.saas import kpi
from domain.saas.access import get_subscription, require_customer_for_work
from domain.saas.audit import SaasAudit
from domain.saas.models import SaasSubscription
from domain.saas.rules import cancel_problem
from domain.saas.schemas import CancelInput, SubscriptionInput, SubscriptionPatch, SubscriptionView
from domain.saas.views import subscription_views
from domain.schemas import apply_patch, parse, patch_values


def create_subscription(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | SubscriptionInput
) -> SubscriptionView:
    inp = parse(SubscriptionInput, data)
    customer = require_customer_for_work(uow, actor, inp.customer_id)
    if inp.venture_id is not None and inp.venture_id != customer.venture_id:
        venture = uow.session.get(Venture, customer.venture_id)
        code = venture.code if venture else customer.venture_id
        raise Invalid.field("customer_id", f"is a customer of {code}, not of this venture")
    sub = SaasSubscription(
        customer_id=pk(customer),
        venture_id=customer.venture_id,
        plan=inp.plan,
        mrr=inp.mrr,
        started_at=inp.started_at,
    )
    uow.session.add(sub)
    uow.session.flush()
    kpi.subscriptions_changed(uow.session.connection(), sub.venture_id, sub.started_at)
    cache.invalidate_after_commit(uow, kpi.DASHBOARD, sub.venture_id)
    audit(
        uow,
        actor,
        SaasAudit.SUBSCRIPTION_CREATED,
        entity_type="saas_subscription",
        entity_id=sub.id,
        venture_id=sub.venture_id,
        detail={"customer_id": sub.customer_id, "plan": sub.plan, "mrr": sub.mrr},
    )
    return subscription_views(uow, [sub])[0]


def update_subscription(
    uow: UnitOfWork, actor: Actor, subscription_id: int, data: Mapping[str, Any] | SubscriptionPatch
) -> SubscriptionView:
    sub = get_subscription(uow, actor, subscription_id)
    actor.require("saas.subscriptions.manage", sub.venture_id)
    changes = patch_values(parse(SubscriptionPatch, data))
    before = apply_patch(sub, changes)
    uow.session.flush()
    if changes:
        kpi.subscriptions_changed(uow.session.connection(), sub.venture_id, sub.started_at)
        cache.invalidate_after_commit(uow, kpi.DASHBOARD, sub.venture_id)
    audit(
        uow,
        actor,
        SaasAudit.SUBSCRIPTION_UPDATED,
        entity_type="saas_subscription",
        entity_id=sub.id,
        venture_id=sub.venture_id,
        detail={"before": before, "after": changes},
    )
    return subscription_views(uow, [sub])[0]


def cancel_subscription(
    uow: UnitOfWork, actor: Actor, subscription_id: int, data: Mapping[str, Any] | CancelInput
) -> SubscriptionView:
    """Cancel a subscription on ``cancelled_at`` with a reason. A second cancellation (even one
    racing this one from another connection) is refused with Conflict: the write is one atomic
    ``UPDATE ... WHERE cancelled_at IS NULL``, so exactly one caller wins."""
    inp = parse(CancelInput, data)
    sub = get_subscription(uow, actor, subscription_id)
    actor.require("saas.subscriptions.manage", sub.venture_id)
    if problem := cancel_problem(sub.started_at, inp.cancelled_at):
        raise Invalid.field("cancelled_at", problem)
    if sub.cancelled_at is not None:
        raise Conflict(f"subscription {subscription_id} is already cancelled")
    result = uow.session.execute(
        update(SaasSubscription)
        .where(
            col(SaasSubscription.id) == subscription_id,
            col(SaasSubscription.cancelled_at).is_(None),
        )
        .values(
            cancelled_at=inp.cancelled_at,
            cancel_reason=inp.reason,
            cancelled_by_id=actor.user_id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"subscription {subscription_id} is already cancelled")
    uow.session.refresh(sub)
    kpi.subscriptions_changed(uow.session.connection(), sub.venture_id, inp.cancelled_at)
    cache.invalidate_after_commit(uow, kpi.DASHBOARD, sub.venture_id)
    audit(
        uow,
        actor,
        SaasAudit.SUBSCRIPTION_CANCELLED,
        entity_type="saas_subscription",
        entity_id=sub.id,
        venture_id=sub.venture_id,
        detail={"cancelled_at": inp.cancelled_at, "reason": inp.reason},
    )
    return subscription_views(uow, [sub])[0]
