"""SaaS use cases, split by aggregate. Each: validate -> authorize (scope) -> change -> audit, in
the caller's unit of work (one transaction)."""

from __future__ import annotations

from domain.saas.services.customers import create_customer, update_customer
from domain.saas.services.subscriptions import (
    cancel_subscription,
    create_subscription,
    update_subscription,
)

__all__ = [
    "cancel_subscription",
    "create_customer",
    "create_subscription",
    "update_customer",
    "update_subscription",
]
