"""Leaderboards through the cache (spec: Caching, "a delivered load invalidates that venture's ...
leaderboard"): a board read before a delivered load is not served after it (this week, this
month, all time, the office's board; every reader, each with their own rank), in-process and with
a real Redis, and in another process sharing that Redis; another venture's boards keep their
keys; a login moves each venture it awards in; an award that moves no points (a redelivery, a
disabled venture) invalidates nothing; the rebuild invalidates its venture."""

from __future__ import annotations

from decimal import Decimal

from domain import cache
from domain.db import read_only, unit_of_work
from domain.events.dispatcher import dispatch_event
from domain.freight import services as freight
from domain.gamification import queries
from domain.gamification.queries import LEADERBOARD, Leaderboard
from domain.gamification.rebuild import rebuild
from tests.helpers import actor, office_id, user_id, venture_id
from tests.integration.freight.conftest import make_carrier, make_load
from tests.integration.gamification.conftest import set_config
from tests.integration.gamification.test_triggers import _outbox_id

CEO = "ceo@vcc.example"
READERS = ("csr.afl@vcc.example", "manager.afl@vcc.example", "head.freight@vcc.example")
SALES = "csr.afl@vcc.example"  # an AFL member in New York HQ: on the venture's and office's boards
POINTS = 25  # LOAD_COMPLETED in the spec's default table


def in_transit_load() -> tuple[int, int]:
    """An AFL load (New York HQ) ready to deliver, sold by the HQ's CSR: (load id, sales user)."""
    ceo = actor(CEO)
    load = make_load(ceo, bill_amount="1500.00", sales_user_id=user_id(SALES))
    with unit_of_work() as uow:
        freight.transition_load(uow, ceo, load.id, {"status": "WORKING"})
    with unit_of_work() as uow:
        freight.cover_load(uow, ceo, load.id, make_carrier().id, cost_amount=Decimal("1200.00"))
    with unit_of_work() as uow:
        freight.transition_load(uow, ceo, load.id, {"status": "IN_TRANSIT"})
    return load.id, load.sales_user_id


def deliver(load_id: int) -> None:
    """The real action; the outbox dispatches its events inline after the commit."""
    with unit_of_work() as uow:
        freight.deliver_load(uow, actor(CEO), load_id)


def board(email: str, code: str = "AFL", period: str = "week", **kw: object) -> Leaderboard:
    with read_only() as uow:
        return queries.leaderboard(uow, actor(email), venture_id(code), period=period, **kw)


def points_of(b: Leaderboard, user: int) -> int:
    return next((r.points for r in b.rows if r.user_id == user), 0)


def boards() -> dict[tuple[str, str, str], Leaderboard]:
    """Every AFL board each reader may open (the office's for the office's manager too)."""
    out = {(e, "AFL", p): board(e, period=p) for e in READERS for p in queries.PERIODS}
    hq = office_id("AFL", "New York HQ")
    out[("manager.afl@vcc.example", "AFL/HQ", "week")] = board(
        "manager.afl@vcc.example", office_id=hq
    )
    return out


def key(email: str, code: str) -> str:
    """The reader's key of a board: it changes exactly when the venture's generation does."""
    return cache.get_cache().key(LEADERBOARD, actor(email), {}, [venture_id(code)])


def no_stale_board_after_a_delivery() -> None:
    load_id, sales = in_transit_load()
    before = boards()
    assert boards() == before  # the second read is the cached one
    mbr = board("lead.mbr@vcc.example", "MBR")
    mbr_key, afl_key = key("lead.mbr@vcc.example", "MBR"), key("csr.afl@vcc.example", "AFL")

    deliver(load_id)

    after = boards()
    for where, old in before.items():
        new = after[where]
        assert points_of(new, sales) == points_of(old, sales) + POINTS, where
        email = where[0]
        me = new.me
        # Each reader's own row is theirs, with the rank it has in the fresh ranking.
        assert me is None or (me.user_id == actor(email).user_id and new.rows[me.rank - 1] == me)
    # Exactly the affected keys: AFL's boards moved on, MBR's key (and entry) did not.
    assert key("csr.afl@vcc.example", "AFL") != afl_key
    assert key("lead.mbr@vcc.example", "MBR") == mbr_key
    assert board("lead.mbr@vcc.example", "MBR") == mbr


def test_no_stale_leaderboard_after_a_delivered_load_in_process(db, demo) -> None:
    assert cache.health() == "in_process"
    no_stale_board_after_a_delivery()


def test_no_stale_leaderboard_after_a_delivered_load_with_redis(db, demo, redis_cache) -> None:
    import redis

    assert cache.health() == "ok"
    no_stale_board_after_a_delivery()
    stored = redis.Redis.from_url(redis_cache).keys(f"vcc:c:{LEADERBOARD}:*")
    assert stored  # the boards were read through Redis


def test_each_reader_gets_their_own_rank_from_the_cached_ranking(db, demo) -> None:
    """The seller reads first (the ranking is cached), the freight head next and again: the
    head's row is never the seller's; a shorter limit cuts the same ranking, the seller's row
    still given."""
    load_id, sales = in_transit_load()
    deliver(load_id)
    seller = board(SALES, period="all")
    assert seller.me is not None and seller.me.user_id == sales and seller.me.points >= POINTS
    head_id = actor("head.freight@vcc.example").user_id
    for _ in range(2):
        head = board("head.freight@vcc.example", period="all")
        assert head.rows == seller.rows
        assert head.me is None or head.me.user_id == head_id  # theirs, never the seller's
    assert board(SALES, period="all", limit=1).rows == seller.rows[:1]
    assert board(SALES, period="all", limit=1).me == seller.me


def test_an_award_that_moves_no_points_invalidates_nothing(db, demo) -> None:
    """A redelivered event (the unique key awards nothing) and a disabled venture's delivery
    change no board, so AFL's key stays; the next delivery with points moves it."""
    load_id, _ = in_transit_load()
    deliver(load_id)
    afl_key = key("csr.afl@vcc.example", "AFL")
    dispatch_event(_outbox_id("LoadDelivered"))  # the handler runs again: nothing awarded
    assert key("csr.afl@vcc.example", "AFL") == afl_key

    set_config(venture_id("AFL"), enabled=False)
    disabled, _ = in_transit_load()
    deliver(disabled)
    assert key("csr.afl@vcc.example", "AFL") == afl_key

    set_config(venture_id("AFL"), enabled=True)
    enabled, _ = in_transit_load()
    deliver(enabled)
    assert key("csr.afl@vcc.example", "AFL") != afl_key


def test_the_rebuild_invalidates_its_venture_only(db, demo) -> None:
    afl_key, mbr_key = key("csr.afl@vcc.example", "AFL"), key("lead.mbr@vcc.example", "MBR")
    rebuild(actor("coo@vcc.example"), "AFL")
    assert key("csr.afl@vcc.example", "AFL") != afl_key
    assert key("lead.mbr@vcc.example", "MBR") == mbr_key


def test_a_login_invalidates_each_venture_it_awards_in(db, demo) -> None:
    """The dispatcher (AFL and RTR) logs in: a point in each, so both ventures' boards move on
    and MBR's do not; a second login the same day awards nothing and moves nothing."""
    from domain.access import auth
    from domain.demo import DEMO_PASSWORD

    def login() -> None:
        with unit_of_work() as uow:
            auth.login_with_password(uow, "dispatch.rtr@vcc.example", DEMO_PASSWORD, ip="10.0.0.1")

    reader = "head.freight@vcc.example"  # reads AFL, MBR and RTR
    before = {code: key(reader, code) for code in ("AFL", "MBR", "RTR")}
    login()
    after = {code: key(reader, code) for code in ("AFL", "MBR", "RTR")}
    assert after["AFL"] != before["AFL"] and after["RTR"] != before["RTR"]
    assert after["MBR"] == before["MBR"]
    login()
    assert {code: key(reader, code) for code in ("AFL", "MBR", "RTR")} == after


READER = """
import json
from domain.db import read_only
from domain.gamification.queries import leaderboard
from tests.helpers import actor, user_id, venture_id
with read_only() as uow:
    b = leaderboard(uow, actor("head.freight@vcc.example"), venture_id("AFL"), period="all")
sales = user_id("csr.afl@vcc.example")
print(json.dumps(next((r.points for r in b.rows if r.user_id == sales), 0)))
"""


def test_two_processes_sharing_redis_see_the_new_points(db, demo, redis_cache) -> None:
    """Another process reads (and stores) the board in Redis; this process delivers a load; the
    other process's next read has the points."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    import redis

    root = Path(__file__).resolve().parents[3]

    def other() -> int:
        env = os.environ | {"DATABASE_URL": db.url, "REDIS_URL": redis_cache}
        env["PYTHONPATH"] = str(root)
        out = subprocess.run(
            [sys.executable, "-c", READER],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return int(json.loads(out.stdout.strip().splitlines()[-1]))

    load_id, _ = in_transit_load()
    first = other()
    assert redis.Redis.from_url(redis_cache).keys(f"vcc:c:{LEADERBOARD}:*")
    deliver(load_id)
    assert other() == first + POINTS
