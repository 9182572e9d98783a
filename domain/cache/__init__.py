"""The read cache of dashboards and leaderboards: one helper, keyed by (what, scope, parameters).

Use (one line, after the permission check and after resolving the ventures the read covers)::

    return cache.cached("freight.dashboard", actor, params, venture_ids, load, FreightDashboard)

Keys. ``vcc:c:<what>:<scope>:<params>:<generations>`` where

- ``scope`` is the reader's role and scope (``all`` or the venture ids, ``all`` or the office ids)
  and, for a personal read (``personal=True``), the user id: a reader with a different scope can
  never compute another's key, so an entry is never served across scopes;
- ``params`` is a hash of the read's parameters (dates, filters) as JSON;
- ``generations`` are the generation counters of each (what, venture) the read covers.

Invalidation. ``invalidate(what, venture_id)`` bumps the (what, venture) counter (Redis ``INCR``,
so every process sharing Redis sees it): every reader whose read covers that venture computes a
new key on the next read and misses; old entries are never served again and age out (TTL, LRU).
Event handlers call it from ``uow.after_commit`` so the bump happens only once the rows the next
read will see are committed.

Backends. In-process LRU with TTL (``Settings.cache_ttl_seconds``, ``cache_max_entries``) unless
``REDIS_URL`` is set. Values go to Redis as the pydantic model's JSON (Decimal kept exact as a
string, dates ISO) and come back through ``model_validate_json``: never pickle. Redis down: the
read goes to the database, nothing fails, ``health()`` says ``degraded`` and Redis is not retried
for ``RETRY_AFTER`` seconds (the error is logged once per outage).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel

from domain.access.actor import Actor
from domain.settings import get_settings

log = logging.getLogger("domain.cache")

M = TypeVar("M", bound=BaseModel)
CacheState = Literal["ok", "in_process", "degraded"]

RETRY_AFTER = 5.0  # seconds without trying Redis after it failed
PREFIX = "vcc:"
# The generation every invalidation of a venture bumps, whatever its "what": the key of the reads
# that combine several wings' numbers (``cached(..., across=True)``).
ANY = "*"


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"cache parameter of type {type(value).__name__} is not JSON")


def scope_part(actor: Actor, *, personal: bool = False) -> str:
    """The reader's part of a key: role, ventures, offices (and the user for personal reads)."""
    s = actor.scope
    ventures = "all" if s.all_ventures else ",".join(map(str, sorted(s.venture_ids)))
    offices = "all" if s.all_offices else ",".join(map(str, sorted(s.office_ids)))
    part = f"{actor.role}|v={ventures}|o={offices}"
    if personal:
        part += f"|u={actor.user_id}"
    return part


def params_part(params: Mapping[str, Any]) -> str:
    text = json.dumps(params, sort_keys=True, default=_json_default, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _gen_key(what: str, venture_id: int) -> str:
    return f"{PREFIX}g:{what}:{venture_id}"


class Backend(Protocol):
    def generations(self, keys: list[str]) -> list[int]: ...
    def bump(self, key: str) -> None: ...
    def get(self, key: str, model: type[M]) -> M | None: ...
    def put(self, key: str, value: BaseModel) -> None: ...
    def flush(self) -> int: ...


class InProcess:
    """LRU with TTL; ``now`` is injectable (tests move time without sleeping)."""

    def __init__(
        self, *, ttl: float, max_entries: int, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.now = now
        self._entries: OrderedDict[str, tuple[float, BaseModel]] = OrderedDict()
        self._gens: dict[str, int] = {}
        self._lock = threading.Lock()

    def generations(self, keys: list[str]) -> list[int]:
        with self._lock:
            return [self._gens.get(k, 0) for k in keys]

    def bump(self, key: str) -> None:
        with self._lock:
            self._gens[key] = self._gens.get(key, 0) + 1

    def get(self, key: str, model: type[M]) -> M | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            expires, value = hit
            if self.now() >= expires:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
        # Shared, not copied (a deep copy costs more than the read it saves): results are
        # read-only to callers, as every domain read result is.
        return value if isinstance(value, model) else None

    def put(self, key: str, value: BaseModel) -> None:
        with self._lock:
            self._entries[key] = (self.now() + self.ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def flush(self) -> int:
        with self._lock:
            n = len(self._entries)
            self._entries.clear()
            return n

    def __len__(self) -> int:
        return len(self._entries)


class RedisBackend:
    """Shared by every process using the same ``REDIS_URL``; entries expire by Redis TTL."""

    def __init__(self, url: str, *, ttl: float) -> None:
        import redis

        self.ttl = max(1, int(ttl))
        self.client: Any = redis.Redis.from_url(
            url, socket_connect_timeout=0.25, socket_timeout=0.5, health_check_interval=30
        )

    def generations(self, keys: list[str]) -> list[int]:
        if not keys:
            return []
        return [int(v) if v is not None else 0 for v in self.client.mget(keys)]

    def bump(self, key: str) -> None:
        self.client.incr(key)

    def get(self, key: str, model: type[M]) -> M | None:
        raw = self.client.get(key)
        return None if raw is None else model.model_validate_json(raw)

    def put(self, key: str, value: BaseModel) -> None:
        self.client.set(key, value.model_dump_json(), ex=self.ttl)

    def flush(self) -> int:
        """Delete the cached entries (not the generation counters, which must only grow)."""
        n = 0
        for key in self.client.scan_iter(match=f"{PREFIX}c:*", count=500):
            n += int(self.client.delete(key))
        return n


@dataclass
class _Health:
    failed_at: float | None = None
    last_error: str | None = None


class Cache:
    def __init__(self, backend: Backend, *, now: Callable[[], float] = time.monotonic) -> None:
        self.backend = backend
        self.now = now
        self._health = _Health()

    @property
    def shared(self) -> bool:
        return not isinstance(self.backend, InProcess)

    def _down(self) -> bool:
        failed = self._health.failed_at
        return failed is not None and self.now() - failed < RETRY_AFTER

    def _failed(self, exc: Exception) -> None:
        if self._health.failed_at is None:
            log.warning("cache: Redis unreachable, reading from the database: %s", exc)
        self._health = _Health(self.now(), f"{type(exc).__name__}: {exc}")

    def state(self) -> CacheState:
        if not self.shared:
            return "in_process"
        if self._down():
            return "degraded"
        try:
            self.backend.generations([f"{PREFIX}health"])
        except Exception as exc:
            self._failed(exc)
            return "degraded"
        self._health = _Health()
        return "ok"

    def key(
        self,
        what: str,
        actor: Actor,
        params: Mapping[str, Any],
        venture_ids: Iterable[int],
        *,
        personal: bool = False,
        across: bool = False,
    ) -> str:
        ids = sorted(set(venture_ids))
        gen_what = ANY if across else what
        gens = self.backend.generations([_gen_key(gen_what, v) for v in ids])
        covered = ",".join(f"{v}.{g}" for v, g in zip(ids, gens, strict=True))
        return (
            f"{PREFIX}c:{what}:{scope_part(actor, personal=personal)}:"
            f"{params_part(params)}:{covered}"
        )

    def cached(
        self,
        what: str,
        actor: Actor,
        params: Mapping[str, Any],
        venture_ids: Iterable[int],
        load: Callable[[], M],
        model: type[M],
        *,
        personal: bool = False,
        on_hit: Callable[[M], M] | None = None,
        across: bool = False,
    ) -> M:
        if self._down():
            return load()
        try:
            key = self.key(what, actor, params, venture_ids, personal=personal, across=across)
            hit = self.backend.get(key, model)
        except Exception as exc:
            self._failed(exc)
            return load()
        if hit is not None:
            return on_hit(hit) if on_hit else hit
        value = load()
        try:
            self.backend.put(key, value)
        except Exception as exc:
            self._failed(exc)
        return value

    def invalidate(self, what: str, venture_id: int) -> None:
        try:
            self.backend.bump(_gen_key(what, venture_id))
            self.backend.bump(_gen_key(ANY, venture_id))  # the reads across wings
        except Exception as exc:  # entries written before the outage age out by TTL
            self._failed(exc)

    def flush(self) -> int:
        return self.backend.flush()


_lock = threading.Lock()
_cache: Cache | None = None


def build(redis_url: str | None = None) -> Cache:
    settings = get_settings()
    url = redis_url if redis_url is not None else settings.redis_url
    if url:
        return Cache(RedisBackend(url, ttl=settings.cache_ttl_seconds))
    return Cache(InProcess(ttl=settings.cache_ttl_seconds, max_entries=settings.cache_max_entries))


def get_cache() -> Cache:
    global _cache
    with _lock:
        if _cache is None:
            _cache = build()
        return _cache


def use_cache(cache: Cache | None) -> None:
    """Replace the process's cache (tests; ``None`` rebuilds it from the settings on next use)."""
    global _cache
    with _lock:
        _cache = cache


def cached(
    what: str,
    actor: Actor,
    params: Mapping[str, Any],
    venture_ids: Iterable[int],
    load: Callable[[], M],
    model: type[M],
    *,
    personal: bool = False,
    on_hit: Callable[[M], M] | None = None,
    across: bool = False,
) -> M:
    """``load()`` through the cache. Call after ``actor.require(...)`` and after resolving
    ``venture_ids`` (the ventures the read covers, within the actor's scope); ``params`` are
    every input of the read besides the actor (resolved dates, filters). ``personal``: the
    result depends on the user, not only on the scope. ``on_hit`` adjusts a cached result
    (e.g. clears "computed now" notes that were true only of the read that stored it).
    ``across``: the read combines several wings' numbers (the leadership overview), so any
    invalidation of one of its ventures, whatever its "what", drops it."""
    return get_cache().cached(
        what,
        actor,
        params,
        venture_ids,
        load,
        model,
        personal=personal,
        on_hit=on_hit,
        across=across,
    )


def invalidate(what: str, venture_id: int) -> None:
    get_cache().invalidate(what, venture_id)


def invalidate_after_commit(uow: Any, what: str, venture_id: int) -> None:
    """Bump (what, venture) once ``uow`` commits (nothing on rollback)."""
    uow.after_commit(lambda: invalidate(what, venture_id))


def health() -> CacheState:
    return get_cache().state()
