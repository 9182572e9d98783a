"""/api/v1/gamification: my points, the leaderboard in scope, the config (CEO, ADMIN, COO)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import as_user

API = "/api/v1/gamification"


def test_my_points_and_the_day_card(demo, client: TestClient) -> None:
    headers = as_user("csr.afl@vcc.example")
    mine = client.get(f"{API}/me", headers=headers)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["total"] == sum(b["points"] for b in body["balances"])
    day = client.get(f"{API}/me/day", headers=headers).json()
    assert [c["venture_code"] for c in day["items"]] == ["AFL"]


def test_the_leaderboard_is_the_callers_ventures_only(demo, client: TestClient) -> None:
    headers = as_user("csr.afl@vcc.example")
    board = client.get(
        f"{API}/leaderboard", params={"venture": "AFL", "period": "all"}, headers=headers
    )
    assert board.status_code == 200, board.text
    assert board.json()["podium"] == board.json()["rows"][:3]
    assert (
        client.get(f"{API}/leaderboard", params={"venture": "HHG"}, headers=headers).status_code
        == 404
    )
    bad = client.get(
        f"{API}/leaderboard", params={"venture": "AFL", "period": "year"}, headers=headers
    )
    assert bad.status_code == 400


def test_config_is_for_ceo_admin_coo_and_names_the_field(demo, client: TestClient) -> None:
    coo = as_user("coo@vcc.example")
    got = client.get(f"{API}/config/AFL", headers=coo)
    assert got.status_code == 200 and got.json()["points"]["LOAD_COMPLETED"] == 25
    put = client.put(f"{API}/config/AFL", json={"points": {"LOAD_COMPLETED": 40}}, headers=coo)
    assert put.status_code == 200 and put.json()["points"]["LOAD_COMPLETED"] == 40
    bad = client.put(f"{API}/config/AFL", json={"daily_caps": {"LOAD_COMPLETED": 0}}, headers=coo)
    assert bad.status_code == 400 and "daily_caps.LOAD_COMPLETED" in bad.json()["error"]["fields"]
    for body, field in (
        ({"points": {"LOAD_COMPLETED": -5}}, "points.LOAD_COMPLETED"),
        ({"points": {"NOT_A_TYPE": 5}}, "points.NOT_A_TYPE"),
    ):
        refused = client.put(f"{API}/config/AFL", json=body, headers=coo)
        assert refused.status_code == 400 and field in refused.json()["error"]["fields"]
    assert client.get(f"{API}/config/AFL", headers=coo).json()["points"]["LOAD_COMPLETED"] == 40
    manager = as_user("manager.afl@vcc.example")
    assert (
        client.put(f"{API}/config/AFL", json={"enabled": False}, headers=manager).status_code == 403
    )
    assert client.get(f"{API}/config/HHG", headers=manager).status_code == 404  # not in scope
