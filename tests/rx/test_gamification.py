"""The points pages at the state level (spec/events-and-gamification.md, Points, Leaderboards and
badges): as an employee (a CSR who delivers a load: My Day, My points, the leaderboard), as a
manager (office and period switches; no config) and as an out-of-scope user (another venture's
board is not found), and the config page of CEO, ADMIN and COO (refusals under the field they
name, nothing written; the next award uses what was saved)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.db import read_only, unit_of_work
from domain.freight import services as freight
from domain.gamification.services import get_config
from rxapp.state import gamification as gam_state
from rxapp.state.gamification import LeaderboardState, MyPointsState, PointsConfigState
from rxapp.state.ventures import MyDayState
from tests.helpers import actor, office_id, user_id, venture_id
from tests.integration.freight.conftest import make_carrier, make_load
from tests.rx.conftest import Tab, toasts

CSR = "csr.afl@vcc.example"
CEO = "ceo@vcc.example"
MANAGER = "manager.afl@vcc.example"
FRONT_DESK = "frontdesk.hhg@vcc.example"  # EMPLOYEE of HHG only


def deliver(sales_email: str, code: str = "AFL", office: str = "New York HQ") -> str:
    """A load of ``sales_email`` created by them and delivered (the real freight actions); its
    reference."""
    load = make_load(sales_email, code=code, office=office, bill_amount="1500.00")
    ceo = actor(CEO)
    with unit_of_work() as uow:
        freight.transition_load(uow, ceo, load.id, {"status": "WORKING"})
    with unit_of_work() as uow:
        freight.cover_load(uow, ceo, load.id, make_carrier().id, cost_amount=Decimal("1200.00"))
    with unit_of_work() as uow:
        freight.transition_load(uow, ceo, load.id, {"status": "IN_TRANSIT"})
    with unit_of_work() as uow:
        freight.deliver_load(uow, ceo, load.id)
    return load.reference


def _day_card(tab: Tab, code: str) -> tuple[str, str]:
    tab.call(MyDayState, "load")
    (row,) = [p for p in tab.state(MyDayState).points if p.code == code]
    return row.today, row.rank


def test_an_employee_delivers_a_load_and_sees_points_and_rank_move(tab: Tab) -> None:
    # A colleague of the CSR's office signs in first: 1 point today, reached before the CSR's.
    # (A colleague of another AFL office would not be on the CSR's board: only users in scope.)
    Tab().login(MANAGER)
    tab.login(CSR)  # the first login of the day: 1 point
    assert _day_card(tab, "AFL") == ("+1 today", "#2 this week")
    tab.call(LeaderboardState, "load")
    board = tab.state(LeaderboardState)
    assert board.venture_id == str(venture_id("AFL")) and board.period == "week"
    assert board.me_rank == 2 and board.me_points == "1 point" and board.me_in_rows

    reference = deliver(CSR)

    assert _day_card(tab, "AFL") == ("+26 today", "#1 this week")
    tab.call(LeaderboardState, "load")
    assert board.me_rank == 1 and board.me_points == "26 points"
    assert [r.rank for r in board.podium] == [1, 2] and board.podium[0].mine
    assert board.rows[0].name == "Emily Carter" and board.rows[0].points == "26"

    tab.call(MyPointsState, "load")
    mine = tab.state(MyPointsState)
    assert tab.session.ready_page == "my_points"
    assert mine.total == "26"
    assert [(b.code, b.points) for b in mine.balances] == [("AFL", "26")]
    newest = mine.rows[0]
    assert (newest.kind, newest.points, newest.venture_code) == ("LOAD_COMPLETED", "+25", "AFL")
    assert newest.reason == f"Load {reference} delivered"
    assert newest.link.startswith("/freight/loads/") and not newest.capped
    assert mine.rows[1].label == "First login of the day"
    assert mine.badges == []


def test_a_capped_award_says_why_in_the_history(tab: Tab) -> None:
    afl = venture_id("AFL")
    with unit_of_work() as uow:
        from domain.gamification.services import update_config

        update_config(uow, actor(CEO), afl, {"daily_caps": {"LOAD_COMPLETED": 1}})
    deliver(CSR)
    deliver(CSR)
    tab.login(CSR)
    tab.call(MyPointsState, "load")
    rows = tab.state(MyPointsState).rows
    loads = [r for r in rows if r.kind == "LOAD_COMPLETED"]
    assert [(r.points, r.capped) for r in loads] == [("0", True), ("+25", False)]


def test_history_walks_older_and_newer_pages(tab: Tab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gam_state, "PAGE_SIZE", 2)
    for _ in range(3):
        deliver(CSR)
    tab.login(CSR)  # 3 loads and the login: 4 awards
    tab.call(MyPointsState, "load")
    s = tab.state(MyPointsState)
    first = [r.id for r in s.rows]
    assert len(first) == 2 and s.has_older and not s.has_newer
    tab.call(MyPointsState, "older")
    second = [r.id for r in s.rows]
    assert len(second) == 2 and not set(first) & set(second) and not s.has_older
    tab.call(MyPointsState, "newer")
    assert [r.id for r in s.rows] == first


def test_my_rank_shows_when_i_am_below_the_rows_shown(
    tab: Tab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gam_state, "BOARD_ROWS", 1)
    deliver("manager.afl@vcc.example")  # the manager: 25
    tab.login(CSR)  # the CSR: 1
    tab.call(LeaderboardState, "load")
    s = tab.state(LeaderboardState)
    assert [r.name for r in s.rows] == ["Kevin Walsh"]
    assert s.me_rank == 2 and s.me_points == "1 point" and not s.me_in_rows


def test_a_manager_switches_office_and_period(tab: Tab) -> None:
    deliver(CSR)  # New York HQ
    deliver(MANAGER, office="Newark Desk")
    tab.login(MANAGER)
    tab.call(LeaderboardState, "load")
    s = tab.state(LeaderboardState)
    names = {o.label for o in s.offices}
    assert {"New York HQ", "Newark Desk"} <= names and "Kolkata Ops" not in names
    assert {r.name for r in s.rows} >= {"Emily Carter", "Kevin Walsh"}

    newark = office_id("AFL", "Newark Desk")
    tab.call(LeaderboardState, "choose_office", str(newark))
    assert {r.name for r in s.rows} == {"Kevin Walsh"} and s.me_rank == 1

    for period in ("month", "all", "week"):
        tab.call(LeaderboardState, "choose_period", period)
        assert s.period == period and s.me_rank == 1
    assert toasts(tab.call(LeaderboardState, "choose_period", "year"))
    assert s.period == "week"

    # An office of another venture (a hostile client): not found, nothing shown.
    tab.call(LeaderboardState, "choose_office", str(office_id("HHG", "Midtown Hotels")))
    assert s.not_found and s.rows == []

    # The manager has no config page, and the save handler refuses them; nothing written.
    tab.call(PointsConfigState, "load")
    assert tab.session.denied_page == "gamification_config"
    cfg = tab.state(PointsConfigState)
    cfg.venture_id = str(venture_id("AFL"))  # as if a client had it
    events = tab.call(PointsConfigState, "save", {"points.LOAD_COMPLETED": "99"})
    assert toasts(events) and "not allow" in " ".join(toasts(events))
    with read_only() as uow:
        assert get_config(uow, actor(CEO), venture_id("AFL")).points["LOAD_COMPLETED"] == 25


def test_out_of_scope_ventures_are_not_found(tab: Tab) -> None:
    deliver(CSR)
    tab.login(FRONT_DESK)
    tab.call(LeaderboardState, "load")
    s = tab.state(LeaderboardState)
    assert [o.label.split(" ")[0] for o in s.choices] == ["HHG"]
    assert all(r.name != "Emily Carter" for r in s.rows)
    tab.call(LeaderboardState, "choose_venture", str(venture_id("AFL")))
    assert s.not_found and s.rows == [] and s.podium == []
    tab.navigate(f"/points/leaderboard?venture={venture_id('AFL')}")
    tab.call(LeaderboardState, "load")
    assert s.not_found and s.rows == []

    tab.navigate("/points")
    tab.call(MyPointsState, "load")  # only their own awards: the login
    assert {r.venture_code for r in tab.state(MyPointsState).rows} == {"HHG"}
    tab.call(PointsConfigState, "load")
    assert tab.session.denied_page == "gamification_config"


@pytest.mark.parametrize("email", [CEO, "admin@vcc.example", "coo@vcc.example"])
def test_leadership_opens_the_config_page(tab: Tab, email: str) -> None:
    tab.login(email)
    tab.navigate("/points/config?venture=MBR")
    tab.call(PointsConfigState, "load")
    s = tab.state(PointsConfigState)
    assert tab.session.ready_page == "gamification_config"
    assert s.venture_code == "MBR" and s.enabled
    row = next(r for r in s.types if r.kind == "LOAD_COMPLETED")
    assert (row.default, row.points, row.cap, row.effective) == ("25", "", "", "25")
    tab.navigate("/points/config?venture=NOPE")
    tab.call(PointsConfigState, "load")
    assert s.not_found and s.types == []


def test_config_names_each_bad_field_then_saves_and_the_next_award_uses_it(tab: Tab) -> None:
    mbr = venture_id("MBR")
    tab.login("admin@vcc.example")
    tab.call(PointsConfigState, "load")
    tab.call(PointsConfigState, "choose_venture", str(mbr))
    s = tab.state(PointsConfigState)
    assert s.venture_code == "MBR"

    bad = {
        "enabled": "on",
        "points.LOAD_COMPLETED": "-5",
        "points.QUOTE_CONVERTED": "ten",
        "points.TASK_COMPLETED": "12",
        "cap.TASK_COMPLETED": "0",
    }
    tab.call(PointsConfigState, "save", bad)
    assert s.err["points.LOAD_COMPLETED"].startswith("Points cannot be negative")
    assert "whole number" in s.err["points.QUOTE_CONVERTED"]
    assert (
        "at least 1" in s.err["cap.TASK_COMPLETED"]
        and "set its points to 0" in (s.err["cap.TASK_COMPLETED"])
    )
    assert "points.TASK_COMPLETED" not in s.err
    assert any(e.startswith("Daily cap for Task completed") for e in s.errors)
    assert any(e.startswith("Points for Load delivered") for e in s.errors)
    with read_only() as uow:  # nothing written
        assert get_config(uow, actor(CEO), mbr).overrides == {}

    good = {"enabled": "on", "points.LOAD_COMPLETED": "40", "cap.TASK_COMPLETED": "3"}
    events = tab.call(PointsConfigState, "save", good)
    assert any("MBR" in t for t in toasts(events)) and s.err == {} and s.errors == []
    row = next(r for r in s.types if r.kind == "LOAD_COMPLETED")
    assert (row.points, row.effective) == ("40", "40")
    with read_only() as uow:
        view = get_config(uow, actor(CEO), mbr)
    assert view.overrides == {"LOAD_COMPLETED": 40} and view.daily_caps == {"TASK_COMPLETED": 3}

    csr = Tab()
    csr.login("csr.mbr@vcc.example")
    reference = deliver("csr.mbr@vcc.example", code="MBR", office="Jersey City")
    csr.call(MyPointsState, "load")
    newest = csr.state(MyPointsState).rows[0]
    assert (newest.reason, newest.points) == (f"Load {reference} delivered", "+40")

    # Switched off (the switch unchecked is absent from the form): the next load awards nothing.
    tab.call(PointsConfigState, "save", {"points.LOAD_COMPLETED": "40"})
    assert s.enabled is False
    deliver("csr.mbr@vcc.example", code="MBR", office="Jersey City")
    csr.call(MyPointsState, "load")
    assert csr.state(MyPointsState).rows[0].id == newest.id

    tab.call(PointsConfigState, "choose_venture", "999999")
    assert s.not_found and s.types == []


def test_the_sidebar_lists_the_points_pages_by_role(tab: Tab) -> None:
    def pages(email: str) -> set[str]:
        t = Tab()
        t.login(email)
        t.call(MyPointsState, "load")
        return {p.key for section in t.session.nav for p in section.pages}

    assert {"my_points", "leaderboard"} <= pages(CSR)
    assert "gamification_config" not in pages(CSR) | pages(MANAGER)
    assert "gamification_config" in pages("coo@vcc.example")
    assert user_id(CSR)  # the demo user exists
