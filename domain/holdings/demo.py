"""Demo holdings data for the HOLDINGS venture (KSH): assets, bank accounts in USD and INR, and
a balance snapshot on the last day of each month for the two years before the anchor.

Sizes: small keeps 2 accounts and 4 assets (48 snapshots: the demo fixture is used by hundreds
of tests), medium 4 accounts and 8 assets, large 6 accounts and 16 assets. Everything comes from
``ctx.rng`` and the anchor; rows go in with one bulk insert per table.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import insert

from domain import clock
from domain.holdings import kpi
from domain.holdings.models import AssetType, BankAccount, BankSnapshot, HoldingAsset
from domain.money import Currency, to_money

if TYPE_CHECKING:
    from domain.demo import DemoContext

VENTURE = "KSH"
MONTHS = 24
ACCOUNTS = [
    ("Chase", "Operating", Currency.USD, 250_000),
    ("HDFC Bank", "Kolkata operating", Currency.INR, 18_000_000),
    ("Bank of America", "Reserve", Currency.USD, 900_000),
    ("ICICI Bank", "Fixed deposit", Currency.INR, 45_000_000),
    ("Wells Fargo", "Payroll", Currency.USD, 120_000),
    ("State Bank of India", "Payroll", Currency.INR, 6_000_000),
]
ASSETS = [
    ("Midtown office floor", AssetType.REAL_ESTATE, "New York, NY", Currency.USD, 4_200_000),
    ("Salt Lake office", AssetType.REAL_ESTATE, "Kolkata", Currency.INR, 95_000_000),
    ("Delivery van fleet", AssetType.VEHICLE, "Newark, NJ", Currency.USD, 310_000),
    ("Index fund portfolio", AssetType.INVESTMENT, None, Currency.USD, 1_750_000),
    ("Server racks", AssetType.EQUIPMENT, "Secaucus, NJ", Currency.USD, 85_000),
    ("Government bonds", AssetType.INVESTMENT, None, Currency.INR, 30_000_000),
    ("Company cars", AssetType.VEHICLE, "Kolkata", Currency.INR, 7_500_000),
    ("Warehouse lot", AssetType.REAL_ESTATE, "Edison, NJ", Currency.USD, 2_300_000),
]
SIZES = {"small": (2, 4), "medium": (4, 8), "large": (6, 16)}


# Days up to the anchor whose balances the demo stores (two 90-day dashboard periods).
KPI_DAYS = 180


def month_ends(anchor: date, months: int) -> list[date]:
    """The last day of each of the ``months`` months before the anchor's month, ascending."""
    out: list[date] = []
    day = anchor.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        out.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return sorted(out)


def seed(ctx: DemoContext) -> None:
    venture = ctx.ventures.get(VENTURE)
    if venture is None or venture.id is None:
        return
    n_accounts, n_assets = SIZES[str(ctx.size)]
    session = ctx.uow.session
    rng = ctx.rng
    assets = []
    for i in range(n_assets):
        name, kind, where, cur, value = ASSETS[i % len(ASSETS)]
        suffix = f" {i // len(ASSETS) + 1}" if i >= len(ASSETS) else ""
        assets.append(
            {
                "venture_id": venture.id,
                "name": name + suffix,
                "type": kind,
                "location": where,
                "value_estimate": to_money(Decimal(value) * Decimal(rng.uniform(0.9, 1.1))),
                "currency": cur,
                "acquired_on": ctx.anchor - timedelta(days=rng.randint(400, 4000)),
                "created_at": ctx.as_of,
                "updated_at": ctx.as_of,
            }
        )
    session.execute(insert(HoldingAsset), assets)
    days = month_ends(ctx.anchor, MONTHS)
    snapshots = []
    for i in range(n_accounts):
        bank, name, cur, base = ACCOUNTS[i]
        account = BankAccount(
            venture_id=venture.id,
            bank=bank,
            name=name,
            last4=f"{rng.randint(0, 9999):04d}",
            currency=cur,
            created_at=ctx.as_of,
            updated_at=ctx.as_of,
        )
        session.add(account)
        session.flush()
        balance = Decimal(base)
        for day in days:
            balance = balance * Decimal(str(round(rng.uniform(0.96, 1.06), 4)))
            snapshots.append(
                {
                    "account_id": account.id,
                    "venture_id": venture.id,
                    "day": day,
                    "balance": to_money(balance),
                    "currency": cur,
                    "created_at": ctx.as_of,
                    "updated_at": ctx.as_of,
                }
            )
    session.execute(insert(BankSnapshot), snapshots)
    # The dashboards' pre-aggregate: the last KPI_DAYS days written by the wing's KPI write.
    today = clock.business_date(ctx.as_of, venture.timezone)
    written = kpi.recompute_days_in(
        session.connection(), venture.id, [today - timedelta(days=i) for i in range(KPI_DAYS)]
    )
    ctx.count("holdings balance days", len({r.day for r in written}))
    ctx.count("holding assets", len(assets))
    ctx.count("bank accounts", n_accounts)
    ctx.count("bank snapshots", len(snapshots))
