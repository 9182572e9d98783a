"""The error model across the API: unknown paths and methods, unexpected errors, an unusable
database, the OpenAPI document, and the fall-through to Reflex when mounted."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlmodel import select
from starlette.responses import PlainTextResponse

from domain import db as dbmod
from domain.db import read_only
from domain.observability.models import ErrorEvent
from rxapp.api import api, create_api
from rxapp.api.deps import CurrentActor
from tests.api.conftest import as_user, assert_error, bearer
from tests.helpers import user_id


def test_unknown_api_paths_are_404_json(db, client: TestClient) -> None:
    for path in ("/api/v1/nope", "/api/v2/me", "/api/", "/api/v1/me/extra"):
        assert_error(client.get(path), 404, "not_found")


def test_a_known_path_with_another_method_is_405_with_allow(db, client: TestClient) -> None:
    resp = client.put("/api/v1/me")
    assert_error(resp, 405, "method_not_allowed")
    assert resp.headers["allow"] == "GET"
    resp = client.get("/api/v1/quick-links/12")
    assert_error(resp, 405, "method_not_allowed")
    assert resp.headers["allow"] == "PATCH, DELETE"


def test_an_unexpected_error_is_a_500_envelope_without_internals(db) -> None:
    router = APIRouter()

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret: password=hunter2 at /srv/app/file.py")

    with TestClient(create_api(router), raise_server_exceptions=False) as c:
        resp = c.get("/api/v1/boom")
    err = assert_error(resp, 500, "internal")
    assert "hunter2" not in resp.text and "Traceback" not in resp.text
    assert "fields" not in err
    # ... and the admins' errors page has it, with the stack the caller never saw.
    with read_only() as uow:
        (row,) = uow.session.execute(select(ErrorEvent)).scalars()
    assert (row.kind, row.where, row.count, row.last_user_id) == (
        "api",
        "GET /api/v1/boom",
        1,
        None,
    )
    assert "hunter2" in row.message and "RuntimeError" in row.stack


def test_an_unexpected_error_names_the_route_and_the_caller(org_demo) -> None:
    router = APIRouter()

    @router.get("/orders/{order_id}")
    def order(order_id: int, who: CurrentActor) -> None:
        raise KeyError(order_id)

    headers = as_user("ceo@vcc.example")
    with TestClient(create_api(router), raise_server_exceptions=False) as c:
        for n in (1, 2):
            assert_error(c.get(f"/api/v1/orders/{n}", headers=headers), 500, "internal")
    with read_only() as uow:
        (row,) = uow.session.execute(select(ErrorEvent)).scalars()
    assert (row.where, row.count) == ("GET /api/v1/orders/{order_id}", 2)
    assert row.last_user_id == user_id("ceo@vcc.example") and row.message == "2"


def test_an_unmigrated_database_is_503_not_500(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    dbmod.use_database(url)
    try:
        with TestClient(api) as c:
            health = c.get("/api/v1/health")
            assert health.status_code == 503
            assert health.json() == {
                "status": "unavailable",
                "database": "unmigrated",
                "cache": "in_process",
                "providers": {"fmcsa": "fake", "sendgrid": "fake", "twilio": "fake"},
            }
            assert_error(c.get("/api/v1/me", headers=bearer("some-session")), 503, "unavailable")
    finally:
        dbmod.use_database(None)
        dbmod.get_engine(url).dispose()


def test_an_unreachable_database_is_503() -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2"
    dbmod.use_database(url)
    try:
        with TestClient(api) as c:
            health = c.get("/api/v1/health")
        assert health.status_code == 503 and health.json()["database"] == "unreachable"
        assert "secret" not in health.text and "127.0.0.1" not in health.text
    finally:
        dbmod.use_database(None)
        dbmod.get_engine(url).dispose()


def test_health_needs_no_authentication(db, client: TestClient) -> None:
    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    assert resp.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "in_process",
        "providers": {"fmcsa": "fake", "sendgrid": "fake", "twilio": "fake"},
    }


def test_openapi_document(db, client: TestClient) -> None:
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    doc = resp.json()
    assert doc["info"]["title"] == "Venture Command Center API"
    paths = doc["paths"]
    expected = {
        ("get", "/api/v1/health"),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/me/sections"),
        ("get", "/api/v1/quick-links"),
        ("post", "/api/v1/quick-links"),
        ("patch", "/api/v1/quick-links/{link_id}"),
        ("delete", "/api/v1/quick-links/{link_id}"),
        ("put", "/api/v1/quick-links/order"),
        ("get", "/api/v1/ventures"),
        ("get", "/api/v1/ventures/{venture_id}"),
        ("post", "/api/v1/auth/tokens"),
        ("get", "/api/v1/auth/tokens"),
        ("delete", "/api/v1/auth/tokens/{token_id}"),
    }
    assert expected <= {(m, p) for p, item in paths.items() for m in item}
    assert '"422"' not in resp.text and "HTTPValidationError" not in resp.text
    assert set(doc["components"]["securitySchemes"]) == {"bearer", "session_cookie"}
    post = paths["/api/v1/quick-links"]["post"]
    assert post["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorEnvelope"
    )
    assert "security" not in paths["/api/v1/health"]["get"]
    assert client.get("/api/v1/docs").status_code == 200


def test_mounted_like_reflex_other_paths_fall_through(db) -> None:
    """``rx.App(api_transformer=api)`` mounts Reflex at "" inside the API app."""
    app = create_api()
    app.mount("", PlainTextResponse("reflex"))
    with TestClient(app) as c:
        assert c.get("/some/page").text == "reflex"
        assert c.get("/_event").text == "reflex"
        assert_error(c.get("/api/v1/nope"), 404, "not_found")
        assert_error(c.delete("/api/v1/me"), 405, "method_not_allowed")
        assert c.get("/api/v1/health").status_code == 200


AUTHENTICATED = [
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/me/sections"),
    ("GET", "/api/v1/me/briefing-digest"),
    ("PUT", "/api/v1/me/briefing-digest"),
    ("GET", "/api/v1/quick-links"),
    ("GET", "/api/v1/quick-links/groups"),
    ("POST", "/api/v1/quick-links"),
    ("PUT", "/api/v1/quick-links/order"),
    ("PATCH", "/api/v1/quick-links/1"),
    ("DELETE", "/api/v1/quick-links/1"),
    ("GET", "/api/v1/ventures"),
    ("GET", "/api/v1/ventures/1"),
    ("GET", "/api/v1/overview"),
    ("GET", "/api/v1/auth/tokens"),
    ("POST", "/api/v1/auth/tokens"),
    ("DELETE", "/api/v1/auth/tokens/1"),
    ("GET", "/api/v1/freight/loads"),
    ("POST", "/api/v1/freight/loads"),
    ("GET", "/api/v1/freight/loads/1"),
    ("PATCH", "/api/v1/freight/loads/1"),
    ("POST", "/api/v1/freight/quotes/1/convert"),
    ("POST", "/api/v1/freight/outreach"),
    ("POST", "/api/v1/freight/outreach/1/award"),
    ("GET", "/api/v1/freight/outreach/1"),
    ("POST", "/api/v1/freight/outreach/1/retry"),
    ("GET", "/api/v1/freight/kpi"),
    ("GET", "/api/v1/operations/tasks"),
    ("GET", "/api/v1/operations/tasks/mine"),
    ("POST", "/api/v1/operations/tasks"),
    ("GET", "/api/v1/operations/tasks/1"),
    ("PATCH", "/api/v1/operations/tasks/1"),
    ("POST", "/api/v1/operations/tasks/1/complete"),
    ("POST", "/api/v1/operations/tasks/bulk-status"),
    ("GET", "/api/v1/operations/eod"),
    ("GET", "/api/v1/operations/eod/mine"),
    ("POST", "/api/v1/operations/eod"),
    ("POST", "/api/v1/operations/eod/1/review"),
    ("GET", "/api/v1/operations/eod/missing"),
    ("GET", "/api/v1/hospitality/hotels"),
    ("GET", "/api/v1/hospitality/hotel-kpi"),
    ("PUT", "/api/v1/hospitality/hotel-kpi"),
    ("POST", "/api/v1/hospitality/ventures/1/hotel-kpi/upload"),
    ("GET", "/api/v1/hospitality/ventures/1/hotel-kpi/template.csv"),
    ("GET", "/api/v1/hospitality/reviews"),
    ("POST", "/api/v1/hospitality/reviews/1/response"),
    ("GET", "/api/v1/hospitality/disputes"),
    ("POST", "/api/v1/hospitality/disputes"),
    ("POST", "/api/v1/hospitality/disputes/1/resolve"),
    ("GET", "/api/v1/hospitality/kpi"),
    ("GET", "/api/v1/saas/customers"),
    ("POST", "/api/v1/saas/customers"),
    ("GET", "/api/v1/saas/customers/1"),
    ("PATCH", "/api/v1/saas/customers/1"),
    ("GET", "/api/v1/saas/subscriptions"),
    ("POST", "/api/v1/saas/subscriptions"),
    ("PATCH", "/api/v1/saas/subscriptions/1"),
    ("POST", "/api/v1/saas/subscriptions/1/cancel"),
    ("GET", "/api/v1/saas/kpi/mrr"),
    ("GET", "/api/v1/saas/dashboard"),
    ("GET", "/api/v1/holdings/assets"),
    ("POST", "/api/v1/holdings/assets"),
    ("PATCH", "/api/v1/holdings/assets/1"),
    ("GET", "/api/v1/holdings/accounts"),
    ("POST", "/api/v1/holdings/accounts"),
    ("PATCH", "/api/v1/holdings/accounts/1"),
    ("GET", "/api/v1/holdings/snapshots"),
    ("POST", "/api/v1/holdings/snapshots"),
    ("PATCH", "/api/v1/holdings/snapshots/1"),
    ("GET", "/api/v1/holdings/balances"),
    ("GET", "/api/v1/holdings/kpi"),
    ("GET", "/api/v1/bpo/campaigns"),
    ("POST", "/api/v1/bpo/campaigns"),
    ("GET", "/api/v1/bpo/campaigns/1"),
    ("PATCH", "/api/v1/bpo/campaigns/1"),
    ("GET", "/api/v1/bpo/agents"),
    ("POST", "/api/v1/bpo/agents"),
    ("PATCH", "/api/v1/bpo/agents/1"),
    ("GET", "/api/v1/bpo/calls"),
    ("POST", "/api/v1/bpo/calls"),
    ("GET", "/api/v1/bpo/calls/mine/today"),
    ("GET", "/api/v1/bpo/calls/1"),
    ("POST", "/api/v1/bpo/ventures/1/calls/import"),
    ("POST", "/api/v1/bpo/ventures/1/kpi-records/import"),
    ("PUT", "/api/v1/bpo/kpi-records"),
    ("GET", "/api/v1/bpo/ventures/1/kpi"),
    ("GET", "/api/v1/incentives/plans"),
    ("POST", "/api/v1/incentives/plans"),
    ("PATCH", "/api/v1/incentives/plans/1"),
    ("POST", "/api/v1/incentives/plans/1/retire"),
    ("POST", "/api/v1/incentives/plans/1/rules"),
    ("PATCH", "/api/v1/incentives/rules/1"),
    ("POST", "/api/v1/incentives/commit"),
    ("GET", "/api/v1/incentives/daily"),
    ("GET", "/api/v1/incentives/payouts"),
    ("POST", "/api/v1/incentives/payouts"),
    ("POST", "/api/v1/incentives/payouts/approve"),
    ("POST", "/api/v1/incentives/payouts/1/pay"),
    ("POST", "/api/v1/incentives/payouts/1/void"),
    ("GET", "/api/v1/incentives/explain"),
    ("GET", "/api/v1/admin/jobs/health"),
    ("GET", "/api/v1/admin/jobs/runs"),
    ("GET", "/api/v1/admin/jobs/runs/20261127T070000-3fa9c1d2"),
    ("GET", "/api/v1/admin/jobs/runs/20261127T070000-3fa9c1d2/html"),
    ("GET", "/api/v1/admin/jobs/runs/20261127T070000-3fa9c1d2/manifest"),
    ("GET", "/api/v1/admin/jobs/runs/20261127T070000-3fa9c1d2/notebook"),
    ("GET", "/api/v1/admin/jobs/runs/20261127T070000-3fa9c1d2/parquet"),
    ("GET", "/api/v1/gamification/me"),
    ("GET", "/api/v1/gamification/me/day"),
    ("GET", "/api/v1/gamification/leaderboard"),
    ("GET", "/api/v1/gamification/config/AFL"),
    ("PUT", "/api/v1/gamification/config/AFL"),
]


def test_every_route_but_health_needs_authentication(db, client: TestClient) -> None:
    documented = {
        (method.upper(), path)
        for path, item in client.get("/api/v1/openapi.json").json()["paths"].items()
        for method in item
        if path != "/api/v1/health"
    }
    assert len(documented) == len(AUTHENTICATED)  # a new route is added to this list
    for method, path in AUTHENTICATED:
        assert_error(client.request(method, path, json={}), 401, "unauthenticated")


def test_garbage_into_every_body_route_is_400(org_demo, client: TestClient) -> None:
    headers = as_user("ceo@vcc.example")
    garbage = [b"{", b"[]", b'"x"', b"1e999999", b'{"a":' * 50, b"\x00\x01", b'{"l": "\\ud800"}']
    routes = [
        ("POST", "/api/v1/quick-links"),
        ("PUT", "/api/v1/quick-links/order"),
        ("PATCH", "/api/v1/quick-links/1"),
        ("POST", "/api/v1/auth/tokens"),
    ]
    for method, path in routes:
        for content in garbage:
            resp = client.request(
                method,
                path,
                content=content,
                headers=headers | {"Content-Type": "application/json"},
            )
            assert resp.status_code == 400, (method, path, content, resp.text)
            assert_error(resp, 400, "invalid")


def test_text_no_database_can_store_is_400(org_demo, client: TestClient) -> None:
    headers = as_user("ceo@vcc.example") | {"Content-Type": "application/json"}
    for label in ('"a\\u0000b"', '"\\ud800"'):
        content = f'{{"label": {label}, "url": "https://x.example/"}}'.encode()
        resp = client.post("/api/v1/quick-links", content=content, headers=headers)
        assert "label" in assert_error(resp, 400, "invalid")["fields"]  # type: ignore[operator]


def test_every_answer_carries_a_request_id_and_a_500_quotes_it_in_the_log(db) -> None:
    import io
    import json
    import logging

    from domain.observability.logs import configure_logging

    router = APIRouter()

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    root = logging.getLogger()
    level = root.level
    out = io.StringIO()
    handler = configure_logging(json_format=True, level="INFO", stream=out)
    try:
        with TestClient(create_api(router), raise_server_exceptions=False) as c:
            ok = c.get("/api/v1/health")
            mine = c.get("/api/v1/health", headers={"X-Request-ID": "lb-42"})
            forged = c.get("/api/v1/health", headers={"X-Request-ID": "a b\tc"})
            failed = c.get("/api/v1/boom", headers={"X-Request-ID": "lb-500"})
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert len(ok.headers["x-request-id"]) == 16 and mine.headers["x-request-id"] == "lb-42"
    assert forged.headers["x-request-id"] != "a b\tc"
    err = assert_error(failed, 500, "internal")
    assert failed.headers["x-request-id"] == "lb-500" and "lb-500" in str(err["message"])
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    logged = [x for x in lines if x["message"].startswith("unhandled error in GET /api/v1/boom")]
    assert len(logged) == 1 and logged[0]["request_id"] == "lb-500"
    assert "RuntimeError: kaboom" in logged[0]["exc"]
