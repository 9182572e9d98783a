"""The briefing page at the state level (spec briefing-and-dashboards.md): one day of items in
the reader's scope, the summary line "N fires, N storms, N wins", fires then storms then wins,
each grouped by venture; the day picker moves the page; another venture's reader sees none of it."""

from __future__ import annotations

from datetime import date, timedelta

from domain.briefing.models import Section, Severity
from domain.briefing.services import add_item
from domain.db import unit_of_work
from rxapp.state.briefing import BriefingState
from tests.helpers import venture_id
from tests.rx.conftest import Tab

DAY = date(2031, 3, 4)  # far from the demo's own items


def _item(code: str, severity: Severity, key: str, section: Section = Section.FREIGHT) -> None:
    with unit_of_work() as uow:
        add_item(
            uow,
            venture_id=venture_id(code),
            business_date=DAY,
            section=section,
            severity=severity,
            title=f"{code} {key}",
            detail="evidence",
            link="/freight/loads?status=LOST",
            source_key=f"signal:test.{key}",
        )


def test_a_day_in_order_with_its_summary(tab: Tab) -> None:
    _item("MBR", Severity.WARN, "b")
    _item("AFL", Severity.INFO, "c")
    _item("AFL", Severity.CRITICAL, "a")
    _item("AFL", Severity.WARN, "d")
    _item("HHG", Severity.CRITICAL, "e", Section.HOSPITALITY)
    tab.login("ceo@vcc.example")
    s = tab.state(BriefingState)
    tab.call(BriefingState, "apply_day", {"day": DAY.isoformat()})
    assert s.summary == "2 fires, 2 storms, 1 win" and s.day_label
    assert [r.title for r in s.fires] == ["AFL a", "HHG e"]
    assert [r.title for r in s.storms] == ["AFL d", "MBR b"]
    assert [r.title for r in s.wins] == ["AFL c"]
    assert [r.venture_head for r in s.fires] == [True, True]
    assert s.fires[0].severity_label == "Fire" and s.fires[0].link.startswith("/freight/loads")

    tab.call(BriefingState, "shift_day", 1)
    assert s.f_day == (DAY + timedelta(days=1)).isoformat()
    assert s.fires == [] and s.summary == "0 fires, 0 storms, 0 wins"


def test_a_reader_sees_only_their_ventures_and_sections(tab: Tab) -> None:
    _item("AFL", Severity.CRITICAL, "a")
    _item("HHG", Severity.CRITICAL, "e", Section.HOSPITALITY)
    tab.login("manager.hotels@vcc.example")
    tab.call(BriefingState, "apply_day", {"day": DAY.isoformat()})
    s = tab.state(BriefingState)
    assert [r.title for r in s.fires] == ["HHG e"] and s.summary.startswith("1 fire,")
    tab.login("frontdesk.hhg@vcc.example")  # the front desk does not read hotel numbers
    tab.call(BriefingState, "apply_day", {"day": DAY.isoformat()})
    assert tab.state(BriefingState).fires == []


def test_my_day_card_says_the_morning_briefing(tab: Tab) -> None:
    from rxapp.state.ventures import MyDayState

    tab.login("ceo@vcc.example")
    tab.call(MyDayState, "load")
    s = tab.state(MyDayState)
    assert s.briefing_summary.endswith(("win", "wins")) and " fire" in s.briefing_summary
    assert s.briefing_day


def test_a_leader_switches_the_morning_email_off_and_on(tab: Tab) -> None:
    """The page's "Morning email" switch: shown to leadership with their own choice (on by
    default), saved by the domain; not shown to someone the digest is not for."""
    tab.login("coo@vcc.example")
    tab.call(BriefingState, "load")
    s = tab.state(BriefingState)
    assert s.digest_eligible and s.digest_on
    tab.call(BriefingState, "set_digest", False)
    assert not tab.state(BriefingState).digest_on
    tab.call(BriefingState, "load")  # read back from the database
    assert not tab.state(BriefingState).digest_on
    tab.call(BriefingState, "set_digest", True)
    assert tab.state(BriefingState).digest_on

    other = Tab()
    other.login("csr.afl@vcc.example")
    other.call(BriefingState, "load")
    assert not other.state(BriefingState).digest_eligible
    other.call(BriefingState, "set_digest", False)  # a forged event: refused by the domain
    assert not other.state(BriefingState).digest_on
