"""``/api/v1/incentives``: plans and rules, the commit, the daily rows (cursor), with the same
errors as the rest of /api/v1. On the demo (AFL, MBR and RTR have a plan and 60 committed days)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from domain import clock
from domain.db import read_only
from domain.incentives.models import IncentiveDaily, IncentivePlan
from tests.api.conftest import api_token, as_user, assert_error, bearer
from tests.helpers import user_id, venture_id

API = "/api/v1/incentives"
FINANCE = "finance@vcc.example"
INDIA = "finance.india@vcc.example"


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from domain.jobs.config import reset_job_settings
    from domain.settings import reset_settings

    monkeypatch.setenv("VCC_REPORTS_DIR", str(tmp_path / "reports"))
    reset_settings()
    reset_job_settings()
    yield tmp_path / "reports"
    reset_settings()
    reset_job_settings()


def daily_count(**where: Any) -> int:
    with read_only() as uow:
        stmt = select(func.count()).select_from(IncentiveDaily)
        for k, v in where.items():
            stmt = stmt.where(getattr(IncentiveDaily, k) == v)
        return int(uow.session.execute(stmt).scalar_one())


def walk(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        resp = client.get(f"{API}/daily", params=query, headers=headers)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        items += body["items"]
        if not body["has_more"]:
            assert body["next_cursor"] is None
            return items
        cursor = body["next_cursor"]


def yesterday() -> str:
    return (clock.today("America/New_York") - timedelta(days=1)).isoformat()


def test_plans_list_create_update_retire_and_rules(demo, client: TestClient) -> None:
    h = as_user(FINANCE)
    resp = client.get(f"{API}/plans", headers=h)
    assert resp.status_code == 200
    codes = [p["venture_code"] for p in resp.json()["items"]]
    # The demo plans: three freight, one hotel, one BPO.
    assert codes == ["AFL", "HHG", "MBR", "PBP", "RTR"]
    afl = client.get(f"{API}/plans", params={"venture": "AFL"}, headers=h).json()["items"]
    assert [p["venture_code"] for p in afl] == ["AFL"] and len(afl[0]["rules"]) == 6
    by_id = client.get(f"{API}/plans", params={"venture": str(venture_id("AFL"))}, headers=h)
    assert by_id.json()["items"] == afl
    page = client.get(f"{API}/plans", params={"limit": 2}, headers=h).json()
    rest = client.get(f"{API}/plans", params={"cursor": page["next_cursor"]}, headers=h).json()
    assert [p["id"] for p in page["items"] + rest["items"]] == [
        p["id"] for p in resp.json()["items"]
    ]

    body = {
        "venture_id": venture_id("AFL"),
        "name": "AFL Night desk",
        "currency": "usd",
        "effective_from": yesterday(),
    }
    resp = client.post(f"{API}/plans", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    plan = resp.json()
    assert plan["status"] == "DRAFT" and plan["currency"] == "USD" and plan["can_manage"]
    err = assert_error(client.post(f"{API}/plans", json=body, headers=h), 409, "conflict")
    assert "name" in err["fields"]

    resp = client.patch(f"{API}/plans/{plan['id']}", json={"status": "ACTIVE"}, headers=h)
    assert resp.status_code == 200 and resp.json()["status"] == "ACTIVE"
    err = assert_error(
        client.patch(f"{API}/plans/{plan['id']}", json={"effective_to": "2001-01-01"}, headers=h),
        400,
        "invalid",
    )
    assert "effective_to" in err["fields"]

    rule = {
        "name": "Slab",
        "metric_key": "loads_delivered",
        "calc_type": "TIERED_SLAB",
        "config": {
            "mode": "retro",
            "tiers": [
                {"from": "0", "to": "3", "rate": "1"},
                {"from": "2", "to": None, "rate": "2"},
            ],
        },
    }
    err = assert_error(
        client.post(f"{API}/plans/{plan['id']}/rules", json=rule, headers=h), 400, "invalid"
    )
    assert "config.tiers[1].from" in err["fields"]
    rule["config"]["tiers"][1]["from"] = "3"
    resp = client.post(f"{API}/plans/{plan['id']}/rules", json=rule, headers=h)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["calc_type"] == "TIERED_SLAB" and created["plan_id"] == plan["id"]
    resp = client.patch(f"{API}/rules/{created['id']}", json={"roles": ["csr"]}, headers=h)
    assert resp.status_code == 200 and resp.json()["roles"] == ["CSR"]
    err = assert_error(
        client.patch(f"{API}/rules/{created['id']}", json={"metric_key": "nope"}, headers=h),
        400,
        "invalid",
    )
    assert "metric_key" in err["fields"]

    resp = client.post(f"{API}/plans/{plan['id']}/retire", headers=h)
    assert resp.status_code == 200 and resp.json()["status"] == "RETIRED"
    assert_error(
        client.patch(f"{API}/rules/{created['id']}", json={"rate": "3"}, headers=h), 400, "invalid"
    )
    assert_error(
        client.patch(f"{API}/plans/999999", json={"name": "x"}, headers=h), 404, "not_found"
    )
    assert_error(
        client.patch(f"{API}/rules/999999", json={"rate": "1"}, headers=h), 404, "not_found"
    )


def test_roles_that_may_not_manage_plans_get_403(demo, client: TestClient) -> None:
    plan_id = client.get(f"{API}/plans", headers=as_user(FINANCE)).json()["items"][0]["id"]
    h = as_user("accounting@vcc.example")  # reads plans, may not change them
    assert client.get(f"{API}/plans", headers=h).status_code == 200
    assert_error(client.post(f"{API}/plans/{plan_id}/retire", headers=h), 403, "forbidden")
    h = as_user("csr.afl@vcc.example")
    assert_error(client.get(f"{API}/plans", headers=h), 403, "forbidden")
    assert_error(
        client.post(f"{API}/commit", json={"venture": "AFL", "date": yesterday()}, headers=h),
        403,
        "forbidden",
    )


def test_commit_dry_run_writes_nothing_and_bad_input_names_the_field(
    demo, client: TestClient
) -> None:
    h = as_user(FINANCE)
    before = daily_count()
    resp = client.post(
        f"{API}/commit", json={"venture": "AFL", "date": yesterday(), "dry_run": True}, headers=h
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["dry_run"] and body["status"] == "DRY_RUN" and body["run_id"] is None
    assert body["rows"] and set(body["totals"]) == {"USD"}
    assert daily_count() == before
    tomorrow = (clock.today("America/New_York") + timedelta(days=1)).isoformat()
    err = assert_error(
        client.post(f"{API}/commit", json={"venture": "AFL", "date": tomorrow}, headers=h),
        400,
        "invalid",
    )
    assert "date" in err["fields"]
    err = assert_error(
        client.post(f"{API}/commit", json={"venture": "LGY", "date": yesterday()}, headers=h),
        400,
        "invalid",
    )
    assert "venture" in err["fields"]
    err = assert_error(
        client.post(f"{API}/commit", json={"date": yesterday()}, headers=h), 400, "invalid"
    )
    assert "venture" in err["fields"]
    assert daily_count() == before


def test_commit_live_is_a_run_that_replaces_the_day(demo, client: TestClient, reports) -> None:
    h = bearer(api_token(FINANCE))
    day = yesterday()
    resp = client.post(f"{API}/commit", json={"venture": venture_id("AFL"), "date": day}, headers=h)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "SUCCEEDED" and body["run_id"] and not body["dry_run"]
    assert daily_count(run_id=body["run_id"]) == len(body["rows"])
    assert daily_count(venture_id=venture_id("AFL")) > len(body["rows"])  # other days kept


def test_finance_of_pbp_cannot_reach_afl(demo, client: TestClient) -> None:
    h = as_user(INDIA)
    plan_id = next(
        p["id"]
        for p in client.get(f"{API}/plans", headers=as_user(FINANCE)).json()["items"]
        if p["venture_code"] == "AFL"
    )
    rule_id = client.get(f"{API}/plans", headers=as_user(FINANCE)).json()["items"][0]["rules"][0][
        "id"
    ]
    before = daily_count()
    # PBP's finance reads PBP's plan only.
    assert {p["venture_code"] for p in client.get(f"{API}/plans", headers=h).json()["items"]} == {
        "PBP"
    }
    for method, path, kwargs in [
        ("GET", f"{API}/plans", {"params": {"venture": "AFL"}}),
        ("GET", f"{API}/daily", {"params": {"scope": "venture", "venture": "AFL"}}),
        ("GET", f"{API}/daily", {"params": {"venture": "AFL"}}),
        ("PATCH", f"{API}/plans/{plan_id}", {"json": {"name": "Mine"}}),
        ("POST", f"{API}/plans/{plan_id}/retire", {}),
        ("PATCH", f"{API}/rules/{rule_id}", {"json": {"rate": "9"}}),
        (
            "POST",
            f"{API}/plans/{plan_id}/rules",
            {"json": {"name": "x", "metric_key": "loads_delivered", "calc_type": "FLAT_PER_UNIT"}},
        ),
        ("POST", f"{API}/commit", {"json": {"venture": "AFL", "date": yesterday()}}),
        ("POST", f"{API}/commit", {"json": {"venture": venture_id("AFL"), "date": yesterday()}}),
        (
            "POST",
            f"{API}/commit",
            {"json": {"venture": "AFL", "date": yesterday(), "dry_run": True}},
        ),
    ]:
        resp = client.request(method, path, headers=h, **kwargs)
        assert_error(resp, 404, "not_found")
    assert daily_count() == before
    with read_only() as uow:
        assert (
            uow.session.execute(select(IncentivePlan.status).where(IncentivePlan.id == plan_id))
            .scalar_one()
            .value
            == "ACTIVE"
        )


def test_daily_rows_mine_and_venture_with_cursor(demo, client: TestClient) -> None:
    csr = "csr.afl@vcc.example"
    mine = walk(client, as_user(csr), limit=7)
    assert mine and {r["user_id"] for r in mine} == {user_id(csr)}
    assert len(mine) == daily_count(user_id=user_id(csr))
    keys = [(r["business_date"], r["id"]) for r in mine]
    assert keys == sorted(keys, reverse=True)  # newest first, no repeats
    assert len(set(keys)) == len(keys)
    assert_error(
        client.get(
            f"{API}/daily", params={"scope": "venture", "venture": "AFL"}, headers=as_user(csr)
        ),
        403,
        "forbidden",
    )

    h = as_user(FINANCE)
    rows = walk(client, h, scope="venture", venture="AFL", limit=50)
    assert len(rows) == daily_count(venture_id=venture_id("AFL"))
    day = rows[0]["business_date"]
    one_day = walk(client, h, scope="venture", venture="AFL", **{"from": day, "to": day})
    assert one_day and {r["business_date"] for r in one_day} == {day}
    assert one_day[0]["breakdown"][0]["explanation"]
    err = assert_error(
        client.get(f"{API}/daily", params={"scope": "venture"}, headers=h), 400, "invalid"
    )
    assert "venture" in err["fields"]
    err = assert_error(
        client.get(
            f"{API}/daily",
            params={"scope": "venture", "venture": "AFL", "from": day, "to": "2000-01-01"},
            headers=h,
        ),
        400,
        "invalid",
    )
    assert "to" in err["fields"]
    assert_error(client.get(f"{API}/daily", params={"scope": "all"}, headers=h), 400, "invalid")
    assert_error(client.get(f"{API}/daily", params={"venture": "ZZZ"}, headers=h), 404, "not_found")
