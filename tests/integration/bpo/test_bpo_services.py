"""BPO services and queries on both databases (spec/operations.md, BPO; access.md scope):
bad calls name their field and write nothing, scope by every path (another venture's rows look
missing), an agent sees only their own calls, KPI upserts are idempotent, BpoCallCompleted is
handled once per call even when the dispatcher runs twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from domain.bpo import queries, services
from domain.bpo.models import BpoCallLog, BpoKpiDaily, BpoKpiRecord
from domain.bpo.queries import CallFilter, CallOutcome
from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.events.dispatcher import dispatch_event
from domain.events.models import OutboxDelivery, OutboxEvent
from tests.helpers import actor
from tests.integration.bpo.conftest import (
    AGENT,
    FINANCE_PBP,
    HEAD,
    KOLKATA,
    LEAD,
    OTHER_HEAD,
    build_world,
    call,
    this_morning,
)


def _count(model: type) -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(model)).scalar_one())


def _log(email: str, data: dict[str, object]):
    with unit_of_work() as uow:
        return services.log_call(uow, actor(email), data)


def test_an_agent_logs_a_call_and_sees_it_today_with_talk_seconds(demo) -> None:
    w = build_world()
    logged = _log(AGENT, call(w))
    assert logged.talk_seconds == 300 and logged.venture_id == w.pbp
    with read_only() as uow:
        mine = queries.my_calls_today(uow, actor(AGENT))
        assert [c.id for c in mine] == [logged.id]
        assert queries.my_calls_today(uow, actor(HEAD)) == []  # not the head's own calls


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"dial_count": 0}, "dial_count"),
        ({"ended_at": "ENDS_EARLY"}, "ended_at"),
        ({"campaign_id": "OTHER_CAMPAIGN"}, "campaign_id"),
        ({"campaign_id": "SECTOR_V"}, "agent_id"),  # the agent is not on that campaign
        ({"agent_id": "OTHER_AGENT"}, "agent_id"),
        ({"agent_id": "LEAD_AGENT"}, "agent_id"),  # an agent logs only for themselves
    ],
)
def test_a_bad_call_names_its_field_and_writes_nothing(demo, override, field) -> None:
    w = build_world()
    values = {
        "ENDS_EARLY": (this_morning() - timedelta(seconds=1)).isoformat(),
        "OTHER_CAMPAIGN": w.other_campaign,
        "SECTOR_V": w.campaign_sector_v,
        "OTHER_AGENT": w.other_agent,
        "LEAD_AGENT": w.lead_agent,
    }
    data = call(w, **{k: values.get(v, v) for k, v in override.items()})  # type: ignore[arg-type]
    with pytest.raises(Invalid) as err:
        _log(AGENT, data)
    assert field in err.value.fields, err.value.fields
    assert _count(BpoCallLog) == 0
    with read_only() as uow:
        assert (
            uow.session.execute(
                select(func.count())
                .select_from(OutboxEvent)
                .where(OutboxEvent.type == "BpoCallCompleted")
            ).scalar_one()
            == 0
        )


def test_a_manager_logs_for_an_agent_of_their_campaign(demo) -> None:
    w = build_world()
    logged = _log(LEAD, call(w, ended_at=None))
    assert logged.talk_seconds == 0
    with read_only() as uow:
        # no end, no BpoCallCompleted
        assert (
            uow.session.execute(
                select(func.count())
                .select_from(OutboxEvent)
                .where(OutboxEvent.type == "BpoCallCompleted")
            ).scalar_one()
            == 0
        )


def test_scope_by_every_path(demo) -> None:
    w = build_world()
    own = _log(AGENT, call(w))
    lead_call = _log(LEAD, call(w, agent_id=w.lead_agent, deal_won=False))
    with read_only() as uow:
        head = actor(HEAD)
        # the head reads every call of PBP, nothing of the other venture
        assert {c.id for c in queries.list_calls(uow, head).items} == {own.id, lead_call.id}
        for get, ident in [
            (queries.get_campaign_view, w.other_campaign),
            (queries.get_agent_view, w.other_agent),
        ]:
            with pytest.raises(NotFound):
                get(uow, head, ident)
        assert w.other_campaign not in {c.id for c in queries.list_campaigns(uow, head).items}
        assert w.other_agent not in {a.id for a in queries.list_agents(uow, head).items}
        # the agent reads only their own calls; the lead's call looks missing
        agent = actor(AGENT)
        assert [c.id for c in queries.list_calls(uow, agent).items] == [own.id]
        with pytest.raises(NotFound):
            queries.get_call_view(uow, agent, lead_call.id)
        with pytest.raises(Forbidden):
            queries.list_agents(uow, agent)
        # another venture's head sees nothing of BPO at all
        other = actor(OTHER_HEAD)
        assert queries.list_calls(uow, other).items == []
        assert queries.list_campaigns(uow, other).items == []
        with pytest.raises(NotFound):
            queries.get_call_view(uow, other, own.id)
        with pytest.raises(NotFound):
            queries.get_campaign_view(uow, other, w.campaign)
    # writes by id out of scope look missing too
    with unit_of_work() as uow, pytest.raises(NotFound):
        services.update_campaign(uow, actor(HEAD), w.other_campaign, {"active": False})
    with unit_of_work() as uow, pytest.raises(NotFound):
        services.update_agent(uow, actor(HEAD), w.other_agent, {"active": False})


def test_call_filters(demo) -> None:
    w = build_world()
    won = _log(AGENT, call(w))
    lost = _log(AGENT, call(w, connected=False, appointment_set=False, deal_won=False))
    today = this_morning().astimezone().date()
    with read_only() as uow:
        head = actor(HEAD)

        def ids(**kw: object) -> set[int]:
            return {c.id for c in queries.list_calls(uow, head, CallFilter(**kw)).items}  # type: ignore[arg-type]

        assert ids(outcome=CallOutcome.DEAL) == {won.id}
        assert ids(outcome=CallOutcome.NOT_CONNECTED) == {lost.id}
        assert ids(campaign_id=w.campaign_sector_v) == set()
        assert ids(agent_id=w.agent) == {won.id, lost.id}
        from domain import clock

        d = clock.today(KOLKATA)
        assert ids(venture_id=w.pbp, start=d, end=d) == {won.id, lost.id}
        assert ids(venture_id=w.pbp, start=d + timedelta(days=1)) == set()
        assert today is not None


def test_a_duplicate_campaign_name_is_a_conflict_on_name(demo) -> None:
    w = build_world()
    with unit_of_work() as uow, pytest.raises(Conflict) as err:
        services.update_campaign(uow, actor(HEAD), w.campaign_sector_v, {"name": "Solar leads"})
    assert "name" in err.value.fields


def _kpi(w, **overrides: object) -> dict[str, object]:
    from domain import clock

    return {
        "campaign_id": w.campaign,
        "agent_id": w.agent,
        "day": (clock.today(KOLKATA) - timedelta(days=1)).isoformat(),
        "calls": 40,
        "talk_seconds": 3600,
        "qa_score": "88.5",
        "appointments": 3,
        "deals": 1,
        "revenue": "2500.00",
    } | overrides


def test_kpi_upsert_is_idempotent_and_refuses_a_qa_score_outside_0_100(demo) -> None:
    w = build_world()
    for _ in range(2):
        with unit_of_work() as uow:
            services.upsert_kpi_record(uow, actor(LEAD), _kpi(w))
    with unit_of_work() as uow:
        view = services.upsert_kpi_record(uow, actor(LEAD), _kpi(w, calls=41))
    assert view.calls == 41 and view.qa_score == Decimal("88.5")
    assert _count(BpoKpiRecord) == 1
    for bad in ("100.5", "-1"):
        with unit_of_work() as uow, pytest.raises(Invalid) as err:
            services.upsert_kpi_record(uow, actor(LEAD), _kpi(w, qa_score=bad, calls=7))
        assert "qa_score" in err.value.fields
    with read_only() as uow:
        stored = uow.session.execute(select(BpoKpiRecord)).scalar_one()
        assert stored.calls == 41
        day = uow.session.execute(select(BpoKpiDaily)).scalar_one()  # the handler's day
        assert day.avg_qa == Decimal("88.5") and day.dials == 0
    # finance reads KPIs but writes none; an agent writes none
    for email in (FINANCE_PBP, AGENT):
        with unit_of_work() as uow, pytest.raises((Forbidden, NotFound)):
            services.upsert_kpi_record(uow, actor(email), _kpi(w))


def test_call_completed_is_handled_once_per_call_even_when_dispatched_twice(demo) -> None:
    w = build_world()
    _log(AGENT, call(w))
    _log(AGENT, call(w, connected=False, appointment_set=False, deal_won=False, revenue="0"))
    with read_only() as uow:
        ids = list(
            uow.session.execute(
                select(OutboxEvent.id).where(OutboxEvent.type == "BpoCallCompleted")
            ).scalars()
        )
        assert len(ids) == 2

    def day_row() -> tuple:
        with read_only() as uow:
            r = uow.session.execute(
                select(BpoKpiDaily).where(col(BpoKpiDaily.venture_id) == w.pbp)
            ).scalar_one()
            return (
                r.dials,
                r.connects,
                r.connect_rate,
                r.talk_minutes,
                r.avg_handle_seconds,
                r.appointments,
                r.deals,
                r.conversion,
                r.revenue,
            )

    # spec: dials 4 (2 + 2), connects 1, rate 1/4, talk 10 min, handle 600 s / 1 connect,
    # conversion 1 deal / 1 connect, revenue 1500
    expected = (
        4,
        1,
        Decimal("0.25"),
        Decimal("10"),
        Decimal("600"),
        1,
        1,
        Decimal("1"),
        Decimal("1500.00"),
    )
    assert day_row() == expected
    for event_id in ids:
        dispatch_event(event_id)  # already processed: nothing runs again
        dispatch_event(event_id, force=True)  # re-run: the day is recomputed, not incremented
    assert day_row() == expected
    with read_only() as uow:
        deliveries = uow.session.execute(
            select(func.count())
            .select_from(OutboxDelivery)
            .where(col(OutboxDelivery.event_id).in_(ids), OutboxDelivery.handler == "bpo.kpi_day")
        ).scalar_one()
        assert deliveries == 2  # one delivery row per call for the KPI handler
