"""``vcc gamification rebuild``: the live path, then wipe and rebuild, gives the same events
(user, type, key, points, reason, business date, time) and the same balances."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select
from typer.testing import CliRunner

from domain import clock
from domain.access import auth
from domain.cli import app
from domain.db import read_only, unit_of_work
from domain.demo import DEMO_PASSWORD
from domain.gamification.models import GamificationBalance, GamificationEvent
from tests.helpers import venture_id
from tests.integration.gamification.conftest import set_config
from tests.integration.gamification.test_triggers import _submit_eod, deliver_a_load


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
    with unit_of_work() as uow:
        uow.session.execute(delete(GamificationEvent).where(GamificationEvent.venture_id == afl))  # type: ignore[arg-type]
        uow.session.execute(
            delete(GamificationBalance).where(GamificationBalance.venture_id == afl)
        )  # type: ignore[arg-type]
    result = CliRunner().invoke(app, ["gamification", "rebuild", "--venture", "AFL"])
    assert result.exit_code == 0, result.output
    assert "rebuilt AFL" in result.output
    assert _state(afl) == live
    assert _state(venture_id("RTR")) == other  # the other venture untouched
