"""``/api/v1/health`` reports the cache (spec: Caching; issue: Redis down at run time: reads fall
back to the database, health says degraded, nothing fails)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from domain import cache
from tests.api.conftest import as_user


@pytest.fixture
def refusing_redis(db) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: connections are refused
    url = f"redis://127.0.0.1:{port}/0"
    cache.use_cache(cache.build(url))
    try:
        yield url
    finally:
        cache.use_cache(None)


def test_health_reports_a_reachable_redis(redis_cache, client: TestClient) -> None:
    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    assert (resp.json()["status"], resp.json()["cache"]) == ("ok", "ok")


def test_redis_down_is_degraded_and_dashboards_still_answer(
    demo, refusing_redis, client: TestClient
) -> None:
    kpi = client.get("/api/v1/freight/kpi", headers=as_user("head.freight@vcc.example"))
    assert kpi.status_code == 200 and kpi.json()["venture_ids"]
    again = client.get("/api/v1/freight/kpi", headers=as_user("head.freight@vcc.example"))
    assert again.status_code == 200 and again.json()["current"] == kpi.json()["current"]
    health = client.get("/api/v1/health")
    assert health.status_code == 200  # the instance still serves: keep it in the pool
    assert (health.json()["status"], health.json()["cache"]) == ("degraded", "degraded")
    assert str(refusing_redis.rsplit(":", 1)[1]) not in health.text
