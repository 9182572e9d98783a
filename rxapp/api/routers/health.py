"""``GET /api/v1/health``: unauthenticated reachability for load balancers and monitors."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from domain.cache import CacheState
from domain.cache import health as cache_health
from domain.db import schema_status
from domain.jobs.health import provider_health

log = logging.getLogger("rxapp.api")

router = APIRouter(tags=["health"])

DatabaseState = Literal["ok", "unmigrated", "outdated", "unreachable"]


BreakerState = Literal["closed", "open", "half-open", "fake"]


class HealthOut(BaseModel):
    # degraded: an external provider's circuit breaker is open (calls to it fail fast) or the
    # Redis cache is unreachable (reads go to the database); the instance still serves, so a
    # load balancer keeps it (200).
    status: Literal["ok", "degraded", "unavailable"]
    database: DatabaseState
    # ok: Redis answers; in_process: no REDIS_URL, each process has its own LRU; degraded: Redis
    # does not answer (domain/cache).
    cache: CacheState
    providers: dict[str, BreakerState] = {}


def database_state() -> DatabaseState:
    try:
        current, head = schema_status()
    except Exception as exc:  # the reason goes to the log, never to an unauthenticated caller
        log.warning("health: database unreachable: %s", exc)
        return "unreachable"
    if current is None:
        return "unmigrated"
    return "ok" if current == head else "outdated"


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "The database is not usable."}},
    summary="Database (and cache) reachability and the providers' breakers; no authentication",
)
def health() -> JSONResponse:
    database = database_state()
    providers: dict[str, BreakerState] = {
        p.provider: p.state if p.in_use else "fake"  # type: ignore[misc]
        for p in provider_health()
    }
    status: Literal["ok", "degraded", "unavailable"] = "ok"
    cache = cache_health()
    if database != "ok":
        status = "unavailable"
    elif "open" in providers.values() or cache == "degraded":
        status = "degraded"
    out = HealthOut(status=status, database=database, cache=cache, providers=providers)
    return JSONResponse(out.model_dump(), status_code=200 if database == "ok" else 503)
