"""The cross-venture overview for leadership (spec/briefing-and-dashboards.md, Dashboards): one
row per venture in the reader's scope with its headline numbers, money per currency, each row
linking to the venture's dashboard; leadership only; bad ranges and out-of-scope ventures refused
naming the field; read through the cache, never stale after a write."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain import clock
from domain.analytics.overview import Overview, overview
from domain.bpo.dashboard import bpo_dashboard
from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, Invalid, NotFound
from domain.freight.dashboard import freight_dashboard
from domain.holdings.queries.totals import holdings_dashboard
from domain.holdings.services import accounts
from domain.hospitality.dashboard import hospitality_dashboard
from domain.money import Currency
from tests.helpers import actor, venture_id
from tests.integration.holdings.conftest import account_of

CEO = "ceo@vcc.example"
NY = "America/New_York"
EVERY_VENTURE = {"AFL", "MBR", "RTR", "HHG", "PBP", "LGY", "KSH"}


def read(email: str, start: date | None = None, end: date | None = None, **kw) -> Overview:
    with read_only() as uow:
        return overview(uow, actor(email), start, end, **kw)


def numbers(o: Overview, code: str) -> dict[str, object]:
    [row] = [r for r in o.rows if r.code == code]
    return {n.metric: n for n in row.numbers}


def test_a_row_per_venture_in_scope_with_its_wings_headlines(demo) -> None:
    end = clock.today(NY) - timedelta(days=1)
    start = end - timedelta(days=13)
    o = read(CEO, start, end)
    assert {r.code for r in o.rows} == EVERY_VENTURE
    assert (o.start, o.end) == (start, end)
    assert o.previous_end == start - timedelta(days=1)
    for r in o.rows:  # each row links to its venture's dashboard
        assert r.dashboard_path == f"/{r.section}/dashboard?venture={r.venture_id}"
    # The wing's numbers are its dashboard's for that venture and period.
    afl, hhg, pbp = venture_id("AFL"), venture_id("HHG"), venture_id("PBP")
    with read_only() as uow:
        f = freight_dashboard(uow, actor(CEO), start, end, venture_id=afl)
        h = hospitality_dashboard(uow, actor(CEO), start, end, venture_id=hhg)
        b = bpo_dashboard(uow, actor(CEO), start, end, venture_id=pbp)
    fr = numbers(o, "AFL")
    assert set(fr) == {"loads_delivered", "revenue", "margin_pct"}
    assert fr["loads_delivered"].value == f.current.loads_delivered
    assert fr["revenue"].value == f.current.revenue and fr["revenue"].currency == "USD"
    assert fr["margin_pct"].value == f.current.margin_pct
    assert fr["revenue"].previous == f.previous.revenue
    ho = numbers(o, "HHG")
    assert ho["occupancy"].value == h.current.occupancy and ho["revpar"].value == h.current.revpar
    bp = numbers(o, "PBP")
    assert bp["deals"].value == b.current.deals and bp["conversion"].value == b.current.conversion
    assert bp["revenue"].currency == "INR"  # the venture's own currency, never converted
    assert numbers(o, "LGY")["mrr"].currency == "USD"


def latest_snapshot(currency: Currency) -> int:
    from sqlmodel import col, select

    from domain.holdings.models import BankSnapshot

    acc = account_of(currency)
    with read_only() as uow:
        return int(
            uow.session.execute(
                select(BankSnapshot.id)
                .where(BankSnapshot.account_id == acc.id, BankSnapshot.day <= clock.today(NY))
                .order_by(col(BankSnapshot.day).desc())
                .limit(1)
            ).scalar_one()
        )


def test_holdings_balances_one_number_per_currency(demo) -> None:
    end = clock.today(NY)
    o = read(CEO, end - timedelta(days=6), end)
    ksh = numbers(o, "KSH")
    with read_only() as uow:
        dash = holdings_dashboard(uow, actor(CEO), end - timedelta(days=6), end)
    # One number per currency, each the dashboard's balance in that currency (never a total).
    assert {m for m in ksh} == {f"balance_{b.currency}" for b in dash.balances}
    assert {"balance_USD", "balance_INR"} <= set(ksh)
    for b in dash.balances:
        n = ksh[f"balance_{b.currency}"]
        assert n.value == b.amount and n.currency == str(b.currency)


def test_a_venture_head_sees_only_their_ventures(demo) -> None:
    assert {r.code for r in read("head.freight@vcc.example").rows} == {"AFL", "MBR", "RTR"}
    assert {r.code for r in read("head.bpo@vcc.example").rows} == {"PBP"}
    with pytest.raises(NotFound):  # another venture looks like one that does not exist
        read("head.bpo@vcc.example", venture_id=venture_id("AFL"))
    one = read("head.freight@vcc.example", venture_id=venture_id("MBR"))
    assert [r.code for r in one.rows] == ["MBR"]


@pytest.mark.parametrize(
    "email",
    ["frontdesk.hhg@vcc.example", "finance@vcc.example", "lead.bpo@vcc.example"],
)
def test_only_leadership_reads_it(demo, email: str) -> None:
    with pytest.raises(Forbidden):
        read(email)


def test_bad_ranges_are_refused_naming_the_field(demo) -> None:
    end = clock.today(NY)
    with pytest.raises(Invalid) as err:
        read(CEO, end, end - timedelta(days=1))
    assert "end" in err.value.fields
    with pytest.raises(Invalid) as err:
        read(CEO, end - timedelta(days=800), end)
    assert "start" in err.value.fields
    with pytest.raises(Invalid) as err:
        read(CEO, None, end, preset="forever")
    assert "preset" in err.value.fields


def test_no_stale_read_after_a_write_of_any_wing(demo) -> None:
    """Through the cache: a read, an account's balance corrected, the next read has it."""
    today = clock.today(NY)
    week = today - timedelta(days=6)

    def usd() -> Decimal | None:
        return numbers(read(CEO, week, today), "KSH")["balance_USD"].value

    before = usd()
    assert before is not None and usd() == before  # the second read: the cached entry
    with unit_of_work() as uow:
        snap = accounts.update_snapshot(
            uow, actor("finance@vcc.example"), latest_snapshot(Currency.USD), {"balance": "0.01"}
        )
    assert snap.day <= today
    after = usd()
    assert after is not None and after != before
    assert after < before  # one account's balance went down to a cent, the others unchanged


def test_a_missing_day_is_computed_once_and_noted(demo) -> None:
    from sqlalchemy import delete

    from domain import cache
    from domain.freight.models import FreightKpiDaily

    afl = venture_id("AFL")
    day = clock.today(NY) - timedelta(days=4)
    with unit_of_work() as uow:
        uow.session.execute(
            delete(FreightKpiDaily).where(
                FreightKpiDaily.venture_id == afl, FreightKpiDaily.day == day
            )
        )
    cache.use_cache(None)
    o = read(CEO, day, day, venture_id=afl)
    assert o.computed_now == [day] and o.computed_note.startswith("1 day was computed now")
    again = read(CEO, day, day, venture_id=afl)  # from the cache: nothing computed now
    assert again.computed_now == [] and again.computed_note == ""
    cache.use_cache(None)
    assert read(CEO, day, day, venture_id=afl).computed_now == []  # stored
