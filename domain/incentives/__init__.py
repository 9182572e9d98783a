"""Incentives: plans and rules over a registry of metrics, the six calc types, the daily
commit that writes IncentiveDaily rows, and the payouts built on them.

``calc`` holds the calc types: their configs (validated when a rule is saved) and the pure
amount functions (Decimal in, cents out, no database).
"""
