"""``vcc gamification rebuild``: the live path, then wipe and rebuild, gives the same events
(user, type, key, points, reason, business date, time) and the same balances."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select
from typer.testing import CliRunner

from domain import clock
from domain.access import auth
from domain.bpo import services as bpo
from domain.cli import app
from domain.db import read_only, unit_of_work
from domain.demo import DEMO_PASSWORD
from domain.freight import services as freight
from domain.gamification.models import EVENT_TYPES, GamificationBalance, GamificationEvent
from domain.gamification.reconcile import mismatches
from domain.hospitality import services as hotels
from domain.operations import services as operations
from domain.org.models import Venture
from tests.helpers import actor, venture_id
from tests.integration.bpo.conftest import AGENT, build_world, call
from tests.integration.freight.conftest import carrier_ids, make_load, sms  # noqa: F401
from tests.integration.freight.test_outreach import DISPATCHER, _send
from tests.integration.gamification.conftest import set_config
from tests.integration.gamification.test_freight_triggers import convert_a_quote
from tests.integration.gamification.test_triggers import _submit_eod, deliver_a_load
from tests.integration.hospitality.conftest import open_dispute, unanswered_low_review
from tests.integration.operations.conftest import CSR, make_task


def _state(venture: int) -> tuple[list[tuple], list[tuple]]:
    with read_only() as uow:
        events = sorted(
            (
                e.user_id,
                e.type,
                e.idempotency_key,
                e.points,
                e.reason,
                e.business_date,
                clock.ensure_utc(e.created_at),
                e.office_id,
            )
            for e in uow.session.execute(
                select(GamificationEvent).where(GamificationEvent.venture_id == venture)
            ).scalars()
        )
        balances = sorted(
            (b.user_id, b.points)
            for b in uow.session.execute(
                select(GamificationBalance).where(GamificationBalance.venture_id == venture)
            ).scalars()
        )
    return events, balances


def _wipe_and_rebuild(venture: int, code: str) -> str:
    """Delete the venture's awards and balances, then ``vcc gamification rebuild``: its output."""
    with unit_of_work() as uow:
        uow.session.execute(
            delete(GamificationEvent).where(GamificationEvent.venture_id == venture)
        )  # type: ignore[arg-type]
        uow.session.execute(
            delete(GamificationBalance).where(GamificationBalance.venture_id == venture)
        )  # type: ignore[arg-type]
    result = CliRunner().invoke(app, ["gamification", "rebuild", "--venture", code])
    assert result.exit_code == 0, result.output
    return result.output


def test_rebuild_equals_the_live_path(db, demo) -> None:
    afl = venture_id("AFL")
    set_config(afl, daily_caps={"LOAD_COMPLETED": 1})
    deliver_a_load()
    deliver_a_load()  # capped
    monday = date(2026, 6, 1)
    for d in (3, 0, 1, 4, 2):
        _submit_eod(monday + timedelta(days=d))
    with clock.frozen(datetime(2026, 11, 10, 15, 0, tzinfo=UTC)), unit_of_work() as uow:
        auth.login_with_password(uow, "dispatch.rtr@vcc.example", DEMO_PASSWORD)
    live = _state(afl)
    other = _state(venture_id("RTR"))
    assert any(e[1] == "PERFECT_WEEK_EOD" for e in live[0])
    assert any(e[4] == "capped" for e in live[0])
    result = _wipe_and_rebuild(afl, "AFL")
    assert "rebuilt AFL" in result
    assert _state(afl) == live
    assert _state(venture_id("RTR")) == other  # the other venture untouched


def _everything() -> tuple[dict[int, tuple[list[tuple], list[tuple]]], set[str]]:
    with read_only() as uow:
        ventures = list(uow.session.execute(select(Venture.id)).scalars())  # type: ignore[call-overload]
    states = {int(v): _state(int(v)) for v in ventures}
    kinds = {e[1] for events, _ in states.values() for e in events}
    return states, kinds


@pytest.mark.usefixtures("sms")
def test_rebuild_of_every_venture_of_a_demo_world_equals_the_live_path(db, demo) -> None:
    """Every trigger, through the real actions, in four ventures (a cap, a perfect week out of
    order, logins of a two-venture user on two days); then every venture's points are wiped and
    rebuilt with the CLI: the same events and balances everywhere, and the reconciliation finds
    nothing."""
    afl = venture_id("AFL")
    set_config(afl, daily_caps={"TASK_COMPLETED": 1})
    deliver_a_load()
    convert_a_quote()
    load = make_load("ceo@vcc.example")
    carriers = carrier_ids(2)
    out = _send(load.id, carriers)
    with unit_of_work() as uow:
        freight.award_outreach(
            uow, actor(DISPATCHER), out.id, {"carrier_id": carriers[0], "cost_amount": "1900.00"}
        )
    for _ in range(2):  # the second is capped
        task = make_task()
        with unit_of_work() as uow:
            operations.complete_task(uow, actor(CSR), task.id)
    monday = date(2026, 6, 1)
    for d in (2, 4, 0, 3, 1):
        _submit_eod(monday + timedelta(days=d))
    review_id = unanswered_low_review()
    with unit_of_work() as uow:
        hotels.respond_to_review(
            uow, actor("frontdesk.hhg@vcc.example"), review_id, {"response_text": "Thank you"}
        )
    dispute_id = open_dispute()
    with unit_of_work() as uow:
        hotels.resolve_dispute(
            uow, actor("manager.hotels@vcc.example"), dispute_id, {"status": "WON"}
        )
    w = build_world()
    with unit_of_work() as uow:
        bpo.log_call(uow, actor(AGENT), call(w))
    for day in range(2):
        at = datetime(2026, 11, 10, 15, 0, tzinfo=UTC) + timedelta(days=day)
        with clock.frozen(at), unit_of_work() as uow:
            auth.login_with_password(uow, DISPATCHER, DEMO_PASSWORD)
    live, kinds = _everything()
    assert kinds == set(EVENT_TYPES)  # every one of the eleven types was awarded
    assert any(e[4] == "capped" for e in live[afl][0])
    assert mismatches() == []
    with unit_of_work() as uow:
        uow.session.execute(delete(GamificationEvent))
        uow.session.execute(delete(GamificationBalance))
    for venture in sorted(live):
        with read_only() as uow:
            found = uow.session.get(Venture, venture)
            assert found is not None
            code = found.code
        result = CliRunner().invoke(app, ["gamification", "rebuild", "--venture", code])
        assert result.exit_code == 0, result.output
    rebuilt, _ = _everything()
    assert rebuilt == live
    assert mismatches() == []


def test_a_login_is_rebuilt_in_the_ventures_the_user_belonged_to_that_day(db, demo) -> None:
    """The dispatcher (AFL and RTR) signs in on 10 Nov: a first-login award in each. Later they
    leave RTR. Rebuilding RTR replays the login into RTR still (they were a member that day):
    the same events as live. A login after leaving awards RTR nothing."""
    from domain.org.services import set_user_ventures
    from tests.helpers import user_id

    rtr, afl = venture_id("RTR"), venture_id("AFL")
    dispatcher = user_id(DISPATCHER)
    with clock.frozen(datetime(2026, 11, 10, 15, 0, tzinfo=UTC)), unit_of_work() as uow:
        auth.login_with_password(uow, DISPATCHER, DEMO_PASSWORD)
    live = _state(rtr)
    assert [e[1] for e in live[0] if e[0] == dispatcher] == ["FIRST_DAILY_LOGIN"]
    with unit_of_work() as uow:
        set_user_ventures(uow, actor("admin@vcc.example"), dispatcher, [afl])
    _wipe_and_rebuild(rtr, "RTR")
    assert _state(rtr) == live
    # Signing in now (no longer a member of RTR): AFL awards the day's first login, RTR nothing.
    with unit_of_work() as uow:
        auth.login_with_password(uow, DISPATCHER, DEMO_PASSWORD)
    assert _state(rtr) == live
    today_afl = clock.today("America/New_York")
    assert any(
        e[0] == dispatcher and e[1] == "FIRST_DAILY_LOGIN" and e[5] == today_afl
        for e in _state(afl)[0]
    )
