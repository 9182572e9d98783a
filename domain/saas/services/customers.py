"""SaaS customer use cases: create and edit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import cache
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Unique, duplicates_as_conflict
from domain.saas.access import get_customer, require_saas_venture
from domain.saas.audit import SaasAudit
from domain.saas.kpi import DASHBOARD
from domain.saas.models import SaasCustomer
from domain.saas.schemas import CustomerInput, CustomerPatch, CustomerView
from domain.saas.views import customer_views
from domain.schemas import apply_patch, parse, patch_values

DOMAIN_KEY = Unique(
    "saas_customer", ("venture_id", "domain"), "domain", "is already a customer of this venture"
)


def create_customer(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | CustomerInput
) -> CustomerView:
    inp = parse(CustomerInput, data)
    venture = require_saas_venture(uow, actor, inp.venture_id)
    actor.require("saas.customers.manage", pk(venture))
    customer = SaasCustomer(**inp.model_dump())
    with duplicates_as_conflict(uow.session, DOMAIN_KEY):
        uow.session.add(customer)
    audit(
        uow,
        actor,
        SaasAudit.CUSTOMER_CREATED,
        entity_type="saas_customer",
        entity_id=customer.id,
        venture_id=customer.venture_id,
        detail={"name": customer.name, "domain": customer.domain},
    )
    cache.invalidate_after_commit(uow, DASHBOARD, customer.venture_id)  # top customers' names
    return customer_views(uow, [customer])[0]


def update_customer(
    uow: UnitOfWork, actor: Actor, customer_id: int, data: Mapping[str, Any] | CustomerPatch
) -> CustomerView:
    customer = get_customer(uow, actor, customer_id)
    actor.require("saas.customers.manage", customer.venture_id)
    changes = patch_values(parse(CustomerPatch, data))
    with duplicates_as_conflict(uow.session, DOMAIN_KEY):
        before = apply_patch(customer, changes)
    audit(
        uow,
        actor,
        SaasAudit.CUSTOMER_UPDATED,
        entity_type="saas_customer",
        entity_id=customer.id,
        venture_id=customer.venture_id,
        detail={"before": before, "after": changes},
    )
    cache.invalidate_after_commit(uow, DASHBOARD, customer.venture_id)  # top customers' names
    return customer_views(uow, [customer])[0]
