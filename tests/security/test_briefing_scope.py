"""Briefing items about an owned entity follow that entity's own-work rule (spec access.md:
non-manager roles see what they own or are assigned): an item about a load reaches a reader only
if that reader may open the load. Items about no entity keep the venture rule."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.briefing.models import BriefingItem, Section, Severity
from domain.briefing.queries import firefront, list_briefing_items
from domain.briefing.services import add_item
from domain.db import read_only, unit_of_work
from domain.errors import NotFound
from domain.freight import services
from domain.freight.access import get_load
from domain.org.models import User
from tests.helpers import actor, venture_id
from tests.integration.freight.conftest import make_load


def _lose(load_id: int, note: str = "cheaper broker") -> None:
    with unit_of_work() as uow:
        services.mark_load_lost(uow, actor("ceo@vcc.example"), load_id, "RATE", note)


def _fires(who: Actor) -> set[int]:
    with read_only() as uow:
        return {i.id for i in firefront(uow, who, limit=200)}


def _listed(who: Actor) -> set[int]:
    out: set[int] = set()
    cursor = None
    with read_only() as uow:
        while True:
            page = list_briefing_items(uow, who, cursor=cursor, limit=200)
            out |= {i.id for i in page.items}
            if not page.has_more:
                return out
            cursor = page.next_cursor


def _may_open(who: Actor, load_id: int) -> bool:
    if not who.can("freight.loads.read"):
        return False
    with read_only() as uow:
        try:
            get_load(uow, who, load_id)
        except NotFound:
            return False
    return True


def _lost_item(load_id: int) -> BriefingItem:
    with read_only() as uow:
        return uow.session.execute(
            select(BriefingItem).where(col(BriefingItem.source_key) == f"load-lost:{load_id}")
        ).scalar_one()


def test_a_csr_does_not_see_the_fire_of_a_load_they_may_not_open(demo) -> None:
    load = make_load("ceo@vcc.example", bill_amount="7777.00")  # the CEO's load, in AFL
    _lose(load.id, note="secret note")
    item = _lost_item(load.id)
    csr = actor("csr.afl@vcc.example")
    assert not _may_open(csr, load.id)
    assert item.id not in _fires(csr)
    assert item.id not in _listed(csr)
    # Leadership of the venture still sees it.
    head = actor("head.freight@vcc.example")
    assert _may_open(head, load.id)
    assert item.id in _fires(head) and item.id in _listed(head)


def test_a_csr_sees_the_fire_of_their_own_load(demo) -> None:
    load = make_load("csr.afl@vcc.example")  # the creator owns it (sales user by default)
    _lose(load.id)
    item = _lost_item(load.id)
    csr = actor("csr.afl@vcc.example")
    assert _may_open(csr, load.id)
    assert item.id in _fires(csr) and item.id in _listed(csr)
    assert item.id not in _fires(actor("csr.mbr@vcc.example"))


def test_every_reader_sees_a_load_item_exactly_when_they_may_open_the_load(demo) -> None:
    """Every demo user against every load item of the demo (fires and wins): the briefing and
    get_load agree."""
    for who in (
        make_load("ceo@vcc.example"),
        make_load("csr.afl@vcc.example"),
        make_load("dispatch.rtr@vcc.example", code="RTR", office="Secaucus Yard"),
    ):
        _lose(who.id)
    with read_only() as uow:
        items = list(
            uow.session.execute(
                select(BriefingItem).where(col(BriefingItem.source_key).like("load-%"))
            ).scalars()
        )
        emails = list(
            uow.session.execute(
                select(User.email).where(
                    col(User.is_active).is_(True), ~col(User.is_service_account)
                )
            ).scalars()
        )
    since = clock.today("UTC").toordinal() - 5  # the firefront shows the last 7 days
    assert len(items) > 3 and len(emails) > 10
    for email in emails:
        who = actor(email)
        listed, fires = _listed(who), _fires(who)
        for item in items:
            load_id = int(item.source_key.split(":", 1)[1])
            expected = _may_open(who, load_id)
            assert (item.id in listed) is expected, (email, item.source_key)
            if item.severity is Severity.CRITICAL and item.business_date.toordinal() >= since:
                assert (item.id in fires) is expected, (email, item.source_key)


def test_items_about_no_entity_keep_the_venture_rule(demo) -> None:
    with unit_of_work() as uow:
        add_item(
            uow,
            venture_id=venture_id("AFL"),
            business_date=clock.today("America/New_York"),
            section=Section.WINS,  # a section every reader of the venture may read
            severity=Severity.CRITICAL,
            title="Record week across the venture",
            source_key="tasks-overdue",
        )
    with read_only() as uow:
        item_id = uow.session.execute(
            select(BriefingItem.id).where(col(BriefingItem.source_key) == "tasks-overdue")
        ).scalar_one()
    assert item_id in _fires(actor("csr.afl@vcc.example"))
    assert item_id in _fires(actor("carriers.afl@vcc.example"))
    assert item_id not in _fires(actor("csr.mbr@vcc.example"))


def test_an_item_key_of_an_entity_must_name_its_id(demo) -> None:
    import pytest

    with pytest.raises(ValueError, match="load"), unit_of_work() as uow:
        add_item(
            uow,
            venture_id=venture_id("AFL"),
            business_date=date(2026, 11, 26),
            section=Section.FREIGHT,
            severity=Severity.CRITICAL,
            title="broken",
            source_key="load-lost:abc",
        )


def test_hotel_and_team_signals_reach_their_sections_readers_only(demo) -> None:
    """A hotel KPI storm is read by those who read hotel numbers in that venture (the hotel
    manager), not by the front desk nor by another venture's manager; a missing-EOD storm by the
    team view's readers (managers), not by the employees named in it."""
    day = clock.today("America/New_York")
    hhg = venture_id("HHG")
    with unit_of_work() as uow:
        add_item(
            uow,
            venture_id=hhg,
            business_date=day,
            section=Section.HOSPITALITY,
            severity=Severity.CRITICAL,
            title="Hotel down",
            source_key="signal:hotel.kpi_drop:1",
        )
        add_item(
            uow,
            venture_id=hhg,
            business_date=day,
            section=Section.OPERATIONS,
            severity=Severity.CRITICAL,
            title="EODs missing",
            source_key="signal:ops.missing_eod:1",
        )
    with read_only() as uow:
        ids = {
            i.source_key: i.id
            for i in uow.session.execute(
                select(BriefingItem).where(col(BriefingItem.source_key).like("signal:%"))
            ).scalars()
        }
    hotel, team = ids["signal:hotel.kpi_drop:1"], ids["signal:ops.missing_eod:1"]
    manager = actor("manager.hotels@vcc.example")
    assert {hotel, team} <= _fires(manager) and {hotel, team} <= _listed(manager)
    front_desk = actor("frontdesk.hhg@vcc.example")
    assert not {hotel, team} & (_fires(front_desk) | _listed(front_desk))
    other = actor("manager.afl@vcc.example")
    assert not {hotel, team} & (_fires(other) | _listed(other))
