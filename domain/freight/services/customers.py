"""Customer use cases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Invalid, Unique, duplicates_as_conflict
from domain.freight.access import (
    get_customer,
    require_freight_venture,
)
from domain.freight.audit import FreightAudit
from domain.freight.models import (
    Customer,
)
from domain.freight.schemas import (
    CustomerInput,
    CustomerPatch,
    CustomerView,
)
from domain.freight.services._common import (
    _check_user,
    _venture,
)
from domain.freight.views import customer_views
from domain.org.models import Venture
from domain.schemas import apply_patch, parse, patch_values


def _customer_code_key(venture: Venture) -> Unique:
    return Unique(
        "freight_customer",
        ("venture_id", "code"),
        "code",
        f"is already used by another customer of {venture.code}",
    )


def create_customer(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | CustomerInput
) -> CustomerView:
    inp = parse(CustomerInput, data)
    venture = require_freight_venture(uow, actor, inp.venture_id)
    actor.require("freight.customers.manage", pk(venture))
    errors: dict[str, str] = {}
    _check_user(uow, errors, "sales_user_id", inp.sales_user_id, venture)
    _check_user(uow, errors, "csr_user_id", inp.csr_user_id, venture)
    if errors:
        raise Invalid(errors)
    customer = Customer(**inp.model_dump())
    with duplicates_as_conflict(uow.session, _customer_code_key(venture)):
        uow.session.add(customer)
    audit(
        uow,
        actor,
        FreightAudit.CUSTOMER_CREATED,
        entity_type="freight_customer",
        entity_id=customer.id,
        venture_id=customer.venture_id,
        detail={"code": customer.code, "name": customer.name},
    )
    return customer_views(uow, [customer])[0]


def update_customer(
    uow: UnitOfWork, actor: Actor, customer_id: int, data: Mapping[str, Any] | CustomerPatch
) -> CustomerView:
    customer = get_customer(uow, actor, customer_id)
    actor.require("freight.customers.manage", customer.venture_id)
    changes = patch_values(parse(CustomerPatch, data))
    venture = _venture(uow, customer.venture_id)
    errors: dict[str, str] = {}
    _check_user(uow, errors, "sales_user_id", changes.get("sales_user_id"), venture)
    _check_user(uow, errors, "csr_user_id", changes.get("csr_user_id"), venture)
    if errors:
        raise Invalid(errors)
    with duplicates_as_conflict(uow.session, _customer_code_key(venture)):
        before = apply_patch(customer, changes)
    audit(
        uow,
        actor,
        FreightAudit.CUSTOMER_UPDATED,
        entity_type="freight_customer",
        entity_id=customer.id,
        venture_id=customer.venture_id,
        detail={"before": before, "after": changes},
    )
    return customer_views(uow, [customer])[0]
