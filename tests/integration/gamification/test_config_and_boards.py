"""The config service (CEO, ADMIN, COO; refusals naming the field), leaderboards (ties by who
reached the score first, office scope), my points with badges, and the reconciliation chore."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from domain import clock
from domain.access.scope import Scope
from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, Invalid, NotFound
from domain.gamification import queries, services
from domain.gamification.award import award
from domain.gamification.models import GamificationBalance
from domain.gamification.reconcile import mismatches, reconcile
from domain.jobs.models import Alert, AlertKind
from tests.helpers import actor, office_id, user_id, venture_id
from tests.integration.gamification.conftest import awards
from tests.integration.gamification.test_triggers import _submit_eod, deliver_a_load

CSR = "csr.afl@vcc.example"
MANAGER = "manager.afl@vcc.example"


def test_only_ceo_admin_coo_edit_and_bad_input_names_the_field(db, demo) -> None:
    afl = venture_id("AFL")
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.update_config(uow, actor(MANAGER), afl, {"enabled": False})
    cases = [
        ({"points": {"LOAD_COMPLETED": -5}}, "points.LOAD_COMPLETED", "negative"),
        ({"daily_caps": {"LOAD_COMPLETED": 0}}, "daily_caps.LOAD_COMPLETED", "at least 1"),
        ({"points": {"NOT_A_TYPE": 5}}, "points.NOT_A_TYPE", "unknown event type"),
        ({"enabled": "yes"}, "enabled", "true or false"),
        # A cap of 0 next to points > 0, meant as "disable": refused, saying what to do instead.
        (
            {"points": {"LOAD_COMPLETED": 25}, "daily_caps": {"LOAD_COMPLETED": 0}},
            "daily_caps.LOAD_COMPLETED",
            "set its points to 0",
        ),
        ({"daily_caps": {"NOT_A_TYPE": 3}}, "daily_caps.NOT_A_TYPE", "unknown event type"),
        # A good change next to a bad one: refused whole, the good one not written either.
        (
            {"points": {"LOAD_COMPLETED": 40, "TASK_COMPLETED": -1}},
            "points.TASK_COMPLETED",
            "negative",
        ),
    ]
    for data, field, words in cases:
        with pytest.raises(Invalid) as err, unit_of_work() as uow:
            services.update_config(uow, actor("coo@vcc.example"), afl, data)
        assert words in err.value.fields[field]
    coo = actor("coo@vcc.example")
    elsewhere = replace(coo, scope=Scope(all_ventures=False, venture_ids=frozenset({afl})))
    with pytest.raises(NotFound), unit_of_work() as uow:
        services.update_config(uow, elsewhere, venture_id("HHG"), {"enabled": False})
    with read_only() as uow:
        kept = services.get_config(uow, coo, afl)
    assert kept.enabled is True and kept.overrides == {} and kept.daily_caps == {}
    load_id = deliver_a_load()  # and the awards still follow the default table
    mine = [a for a in awards("LOAD_COMPLETED") if a.idempotency_key.endswith(f":{load_id}")]
    assert [a.points for a in mine] == [25]


def test_an_admin_changes_points_and_the_next_award_uses_them(db, demo) -> None:
    afl = venture_id("AFL")
    with unit_of_work() as uow:
        view = services.update_config(
            uow, actor("admin@vcc.example"), afl, {"points": {"LOAD_COMPLETED": 40}}
        )
    assert view.points["LOAD_COMPLETED"] == 40 and view.points["QUOTE_CONVERTED"] == 50
    load_id = deliver_a_load()
    (got,) = [
        a for a in awards("LOAD_COMPLETED") if a.idempotency_key == f"load-delivered:{load_id}"
    ]
    assert got.points == 40


def test_a_change_names_only_what_it_changes_and_null_removes_an_override(db, demo) -> None:
    # The API's contract (PUT /gamification/config): a missing key keeps its value, a type named
    # sets its value, null removes it; types not named keep theirs.
    afl, coo = venture_id("AFL"), actor("coo@vcc.example")
    with unit_of_work() as uow:
        services.update_config(
            uow,
            coo,
            afl,
            {
                "points": {"LOAD_COMPLETED": 40, "TASK_COMPLETED": 5},
                "daily_caps": {"TASK_COMPLETED": 3},
            },
        )
    with unit_of_work() as uow:
        services.update_config(uow, coo, afl, {"points": {"LOAD_COMPLETED": 30}})
    with unit_of_work() as uow:
        services.update_config(uow, coo, afl, {"daily_caps": {"FIRST_DAILY_LOGIN": 1}})
    with read_only() as uow:
        seen = services.get_config(uow, coo, afl)
    assert seen.overrides == {"LOAD_COMPLETED": 30, "TASK_COMPLETED": 5}
    assert seen.daily_caps == {"TASK_COMPLETED": 3, "FIRST_DAILY_LOGIN": 1}
    with unit_of_work() as uow:
        services.update_config(
            uow,
            coo,
            afl,
            {"points": {"TASK_COMPLETED": None}, "daily_caps": {"TASK_COMPLETED": None}},
        )
    with read_only() as uow:
        seen = services.get_config(uow, coo, afl)
    assert seen.overrides == {"LOAD_COMPLETED": 30}
    assert seen.daily_caps == {"FIRST_DAILY_LOGIN": 1}
    assert seen.points["TASK_COMPLETED"] == 10  # back to the default table's value


def _give(
    user: int, venture: int, key: str, day: date, at: datetime, kind: str = "TASK_COMPLETED"
) -> None:
    with clock.frozen(at), unit_of_work() as uow:
        award(
            uow.session.connection(), user_id=user, venture_id=venture, kind=kind, key=key, day=day
        )


def test_leaderboard_ties_go_to_who_reached_the_score_first(db, demo) -> None:
    afl = venture_id("AFL")
    csr, manager = user_id(CSR), user_id(MANAGER)
    day = clock.today("America/New_York")
    noon = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=17)
    # Both reach 10 points this week; the manager got there first.
    _give(manager, afl, "t:m", day, noon)
    _give(csr, afl, "t:c", day, noon + timedelta(minutes=5))
    with read_only() as uow:
        board = queries.leaderboard(uow, actor(CSR), afl, period="week")
    mine = {r.user_id: r for r in board.rows}
    assert mine[manager].points == mine[csr].points
    assert mine[manager].rank < mine[csr].rank
    assert board.me is not None and board.me.user_id == csr
    with read_only() as uow:
        newark = queries.leaderboard(
            uow, actor(MANAGER), afl, office_id=office_id("AFL", "Newark Desk"), period="all"
        )
    assert csr not in {r.user_id for r in newark.rows}  # the CSR works in New York HQ
    with pytest.raises(NotFound), read_only() as uow:
        queries.leaderboard(uow, actor(CSR), venture_id("HHG"))
    with pytest.raises(Invalid), read_only() as uow:
        queries.leaderboard(uow, actor(CSR), afl, period="year")


def test_a_reader_with_assigned_offices_sees_only_the_users_of_those_offices(db, demo) -> None:
    """Spec: only users in scope are shown. The CSR works in AFL's New York HQ; the dispatcher
    in AFL's Newark Desk. The CSR's AFL board leaves the dispatcher out (ranks among the users
    it shows); the office manager of both offices and the freight head (every office) see both."""
    afl = venture_id("AFL")
    csr, dispatcher = user_id(CSR), user_id("dispatch.rtr@vcc.example")
    day = clock.today("America/New_York")
    noon = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=17)
    _give(dispatcher, afl, "t:d", day, noon)
    _give(dispatcher, afl, "t:d2", day, noon)  # 20 points: ahead of the CSR's 10
    _give(csr, afl, "t:c", day, noon)

    def seen(email: str, **kw: object) -> dict[int, int]:
        with read_only() as uow:
            board = queries.leaderboard(uow, actor(email), afl, period="week", **kw)
        return {r.user_id: r.rank for r in board.rows}

    mine = seen(CSR)
    assert dispatcher not in mine and csr in mine
    assert seen(MANAGER)[dispatcher] < seen(MANAGER)[csr]
    assert seen("head.freight@vcc.example")[dispatcher] < seen("head.freight@vcc.example")[csr]
    # The office board of Newark: the manager sees the dispatcher; the CSR may not open it.
    assert dispatcher in seen(MANAGER, office_id=office_id("AFL", "Newark Desk"))
    with pytest.raises(NotFound):
        seen(CSR, office_id=office_id("AFL", "Newark Desk"))
    # My Day's rank this week is the rank on the board the reader sees.
    with read_only() as uow:
        card = queries.my_day_card(uow, actor(CSR))
    assert [c.rank_this_week for c in card if c.venture_id == afl] == [mine[csr]]


def test_my_points_shows_balances_history_and_a_perfect_week_badge(db, demo) -> None:
    monday = date(2026, 6, 1)
    for d in range(5):
        _submit_eod(monday + timedelta(days=d))
    with read_only() as uow:
        mine = queries.my_points(uow, actor(CSR))
        card = queries.my_day_card(uow, actor(CSR))
    assert mine.total == sum(b.points for b in mine.balances)
    badges = {(b.key, b.earned_on) for b in mine.badges}
    assert ("perfect_week", monday + timedelta(days=4)) in badges
    assert ("on_a_roll", monday + timedelta(days=4)) in badges
    assert any(h.type == "PERFECT_WEEK_EOD" for h in mine.history)
    assert [c.venture_id for c in card] == [venture_id("AFL")]


def test_reconciliation_alerts_on_a_corrupted_balance(db, demo) -> None:
    afl, csr = venture_id("AFL"), user_id(CSR)
    deliver_a_load()
    _give(csr, afl, "t:r", date(2026, 6, 2), clock.now())
    assert mismatches() == []
    with unit_of_work() as uow:
        uow.session.execute(
            update(GamificationBalance)
            .where(GamificationBalance.user_id == csr, GamificationBalance.venture_id == afl)  # type: ignore[arg-type]
            .values(points=GamificationBalance.points + 7)
        )
    found = mismatches()
    assert [(m["user_id"], m["venture_id"], m["balance"] - m["events"]) for m in found] == [
        (csr, afl, 7)
    ]
    raised, _ = reconcile(None, clock.now(), found)
    assert raised == 1
    assert reconcile(None, clock.now(), found)[0] == 0  # said once while unacknowledged
    with read_only() as uow:
        kinds = list(
            uow.session.execute(select(Alert.kind).where(Alert.venture_id == afl)).scalars()
        )
    assert AlertKind.POINTS_BALANCE_MISMATCH in kinds
