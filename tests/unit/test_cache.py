"""The read cache's own rules (spec: Caching): keyed by (what, scope, parameters), never served to
another scope, gone after its TTL, bounded, invalidated per (what, venture), exact Decimal through
Redis, and a Redis that refuses connections makes reads go to the source without failing."""

from __future__ import annotations

import socket
from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from domain import cache as cachemod
from domain.access.actor import Actor, Scope
from domain.access.roles import Role
from domain.cache import Cache, InProcess, RedisBackend


class Numbers(BaseModel):
    day: date
    revenue: Decimal
    n: int


def reader(*ventures: int, offices: tuple[int, ...] = (), user: int = 1) -> Actor:
    scope = Scope(
        all_ventures=not ventures,
        venture_ids=frozenset(ventures),
        all_offices=not offices,
        office_ids=frozenset(offices),
    )
    return Actor(
        user_id=user,
        role=Role.VENTURE_HEAD,
        scope=scope,
        real_user_id=user,
        real_role=Role.VENTURE_HEAD,
    )


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Loads:
    """A source that counts its reads."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Numbers:
        self.calls += 1
        return Numbers(day=date(2026, 12, 1), revenue=Decimal("1234.57"), n=self.calls)


def in_process(ttl: float = 300, max_entries: int = 100) -> tuple[Cache, Clock]:
    clock = Clock()
    return Cache(InProcess(ttl=ttl, max_entries=max_entries, now=clock), now=clock), clock


PARAMS = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}


def test_second_read_is_a_hit() -> None:
    c, _ = in_process()
    load = Loads()
    first = c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    second = c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    assert load.calls == 1 and second == first and second.revenue == Decimal("1234.57")


def test_a_reader_with_another_scope_never_gets_the_entry() -> None:
    c, _ = in_process()
    load = Loads()
    c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    # Same what, parameters and covered venture, other scopes: each misses.
    c.cached("x.dash", reader(1, 2), PARAMS, [1], load, Numbers)
    c.cached("x.dash", reader(1, offices=(7,)), PARAMS, [1], load, Numbers)
    c.cached("x.dash", reader(), PARAMS, [1], load, Numbers)
    assert load.calls == 4
    # A personal read is per user even with the same scope.
    c.cached("x.mine", reader(1, user=1), PARAMS, [1], load, Numbers, personal=True)
    c.cached("x.mine", reader(1, user=2), PARAMS, [1], load, Numbers, personal=True)
    assert load.calls == 6


def test_other_parameters_miss() -> None:
    c, _ = in_process()
    load = Loads()
    c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    c.cached("x.dash", reader(1), PARAMS | {"end": date(2026, 11, 29)}, [1], load, Numbers)
    assert load.calls == 2


def test_ttl_expiry_with_an_injected_clock() -> None:
    c, clock = in_process(ttl=300)
    load = Loads()
    c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    clock.t += 299
    c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    assert load.calls == 1
    clock.t += 1  # 300 s after it was stored: gone
    c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    assert load.calls == 2


def test_lru_bound_evicts_the_least_recently_used() -> None:
    c, _ = in_process(max_entries=3)
    load = Loads()

    def read(v: int) -> None:
        c.cached("x.dash", reader(v), PARAMS, [v], load, Numbers)

    for v in (1, 2, 3):
        read(v)
    read(1)  # 1 is now the most recently used
    read(4)  # evicts 2
    assert isinstance(c.backend, InProcess) and len(c.backend) == 3
    calls = load.calls
    read(1), read(3), read(4)
    assert load.calls == calls  # still cached
    read(2)
    assert load.calls == calls + 1


def test_invalidate_hits_exactly_that_venture_for_every_reader() -> None:
    c, _ = in_process()
    load = Loads()
    group, one, two = reader(), reader(1), reader(2)
    for who, ventures in ((group, [1, 2]), (one, [1]), (two, [2])):
        c.cached("x.dash", who, PARAMS, ventures, load, Numbers)
        c.cached("y.board", who, PARAMS, ventures, load, Numbers)
    assert load.calls == 6
    c.invalidate("x.dash", 1)
    for who, ventures in ((group, [1, 2]), (one, [1]), (two, [2])):
        c.cached("x.dash", who, PARAMS, ventures, load, Numbers)
        c.cached("y.board", who, PARAMS, ventures, load, Numbers)
    # The group's and venture 1's x.dash entries were read again; venture 2's and y.board not.
    assert load.calls == 8


def refused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again: connections to it are refused


def test_redis_refusing_connections_reads_the_source_and_reports_degraded() -> None:
    c = Cache(RedisBackend(f"redis://127.0.0.1:{refused_port()}/0", ttl=300))
    load = Loads()
    assert c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers).n == 1
    assert c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers).n == 2  # no cache, no error
    c.invalidate("x.dash", 1)  # no error either
    assert c.state() == "degraded"


def test_redis_keeps_decimal_exact_and_invalidates(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    c = Cache(RedisBackend(redis_url, ttl=300))
    load = Loads()
    c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    hit = c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    assert load.calls == 1
    assert hit.revenue == Decimal("1234.57") and str(hit.revenue) == "1234.57"
    assert hit.day == date(2026, 12, 1)
    assert c.state() == "ok"
    # Another process's cache object on the same Redis sees the bump.
    other = Cache(RedisBackend(redis_url, ttl=300))
    other.invalidate("x.dash", 1)
    c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    assert load.calls == 2
    assert c.flush() >= 1
    c.cached("x.dash", reader(1), PARAMS, [1], load, Numbers)
    assert load.calls == 3


def test_settings_choose_the_backend(redis_url: str) -> None:
    assert isinstance(cachemod.build("").backend, InProcess)
    assert isinstance(cachemod.build(redis_url).backend, RedisBackend)
    assert cachemod.Cache(InProcess(ttl=1, max_entries=1)).state() == "in_process"
