"""``GET /api/v1/health``: unauthenticated reachability for load balancers and monitors."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from domain.db import schema_status

log = logging.getLogger("rxapp.api")

router = APIRouter(tags=["health"])

DatabaseState = Literal["ok", "unmigrated", "outdated", "unreachable"]


class HealthOut(BaseModel):
    status: Literal["ok", "unavailable"]
    database: DatabaseState
    cache: Literal["ok", "unreachable", "not_configured"]


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
    summary="Database (and cache) reachability; no authentication",
)
def health() -> JSONResponse:
    database = database_state()
    # No cache exists yet (the analytics cache is not built yet): say so rather than pretend.
    out = HealthOut(
        status="ok" if database == "ok" else "unavailable",
        database=database,
        cache="not_configured",
    )
    return JSONResponse(out.model_dump(), status_code=200 if database == "ok" else 503)
