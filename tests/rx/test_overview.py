"""The leadership overview page, driven as a client would: a row per venture in scope with its
wing's headline numbers (the domain's, formatted), each linking to the venture's dashboard; the
range form refusing bad ranges in the domain's words; a venture head sees their ventures only;
an employee gets the 403 panel; a row's link chooses its venture on the dashboard it opens."""

from __future__ import annotations

from domain.db import read_only
from rxapp.state.freight_dashboard import FreightDashboardState
from rxapp.state.overview import OverviewState
from tests.helpers import actor, venture_id
from tests.rx.conftest import Tab


def _tab(email: str, path: str = "/overview") -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def test_a_row_per_venture_with_its_headlines_and_a_link(demo) -> None:
    from domain.analytics.overview import overview

    tab = _tab("ceo@vcc.example")
    tab.call(OverviewState, "load")
    state = tab.state(OverviewState)
    assert tab.session.ready_page == "overview"
    by_code = {r.code: r for r in state.rows}
    assert set(by_code) == {"AFL", "MBR", "RTR", "HHG", "PBP", "LGY", "KSH"}
    with read_only() as uow:
        expected = overview(uow, actor("ceo@vcc.example"))
    afl = by_code["AFL"]
    assert afl.path == f"/freight/dashboard?venture={venture_id('AFL')}"
    assert (afl.l1, afl.l2, afl.l3) == ("Loads delivered", "Revenue", "Margin")
    delivered = next(n for n in expected.rows if n.code == "AFL").numbers[0].value
    assert afl.v1 == f"{int(delivered or 0):,}"
    assert afl.v2.startswith("$") and by_code["PBP"].v3.startswith("₹")  # its own currency
    assert by_code["HHG"].l1 == "Occupancy" and by_code["LGY"].l1 == "MRR"
    assert state.f_from == expected.start.isoformat() and state.f_to == expected.end.isoformat()

    tab.call(OverviewState, "apply_range", {"from": "2026-12-10", "to": "2026-12-01"})
    assert state.range_error == "End date must be on or after the start date"
    tab.call(OverviewState, "apply_range", {"from": "2024-01-01", "to": "2026-12-01"})
    assert state.range_error == "Start date must be at most 731 days before the end date"
    tab.call(OverviewState, "apply_range", {"preset": "7"})
    assert state.range_error == "" and "(7 days)" in state.period


def test_a_venture_head_sees_their_ventures_and_an_employee_none(demo) -> None:
    tab = _tab("head.bpo@vcc.example")
    tab.call(OverviewState, "load")
    assert [r.code for r in tab.state(OverviewState).rows] == ["PBP"]

    tab = _tab("agent.pbp@vcc.example")
    tab.call(OverviewState, "load")
    assert tab.session.denied_page == "overview"
    assert tab.state(OverviewState).rows == []


def test_a_rows_link_opens_its_ventures_dashboard(demo) -> None:
    mbr = venture_id("MBR")
    tab = _tab("head.freight@vcc.example", f"/freight/dashboard?venture={mbr}")
    tab.call(FreightDashboardState, "load")
    assert tab.session.venture_filter == str(mbr)
    # A venture outside the reader's scope in a link is ignored (the filter stays as it was).
    tab = _tab("head.bpo@vcc.example", f"/overview?venture={mbr}")
    tab.call(OverviewState, "load")
    assert tab.session.venture_filter == ""
    assert [r.code for r in tab.state(OverviewState).rows] == ["PBP"]


def test_the_saas_page_says_which_days_it_computed(demo) -> None:
    """A dashboard whose range has days without stored numbers says so (here: SaaS)."""
    from datetime import timedelta

    from sqlalchemy import delete

    from domain import cache, clock
    from domain.db import unit_of_work
    from domain.saas.kpi import DASHBOARD
    from domain.saas.models import SaasMrrDaily
    from rxapp.state.saas_dashboard import SaasDashboardState

    lgy = venture_id("LGY")
    day = clock.today("America/New_York") - timedelta(days=2)
    tab = _tab("finance@vcc.example", "/saas/dashboard")
    tab.call(SaasDashboardState, "load")  # every day of the range stored...
    with unit_of_work() as uow:  # ... but one
        uow.session.execute(
            delete(SaasMrrDaily).where(SaasMrrDaily.venture_id == lgy, SaasMrrDaily.day == day)
        )
    # A delete by hand raises no event, so nothing invalidated the dashboard's cache entry: drop it
    # as a write of the wing would (without this the second read is the cached first one).
    cache.invalidate(DASHBOARD, lgy)
    tab.call(SaasDashboardState, "load")
    note = tab.state(SaasDashboardState).computed_note
    assert note.startswith("1 day was computed now") and clock.format_business_date(day) in note
    tab.call(SaasDashboardState, "load")
    assert tab.state(SaasDashboardState).computed_note == ""  # stored the first time
