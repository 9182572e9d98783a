"""The SaaS wing: customers, subscriptions and their MRR (SAAS ventures only)."""
