"""SaaS reads: customers, subscriptions, a customer's page, the dashboard and the MRR KPI."""

from __future__ import annotations

from domain.saas.queries.customers import customer_page, list_customers
from domain.saas.queries.dashboard import mrr_kpi, saas_dashboard
from domain.saas.queries.subscriptions import SubscriptionFilter, list_subscriptions

__all__ = [
    "SubscriptionFilter",
    "customer_page",
    "list_customers",
    "list_subscriptions",
    "mrr_kpi",
    "saas_dashboard",
]
