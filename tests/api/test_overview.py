"""``/api/v1/overview``: leadership's rows per venture in scope over HTTP; 403 for others, 404 for
a venture outside scope, 400 naming ``from``/``to`` for a bad range."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import as_user, assert_error
from tests.helpers import venture_id

API = "/api/v1/overview"


def test_overview_over_http(demo, client: TestClient) -> None:
    body = client.get(API, headers=as_user("ceo@vcc.example")).json()
    assert {"start", "end", "previous_start", "previous_end", "rows", "computed_note"} <= set(body)
    codes = {r["code"] for r in body["rows"]}
    assert {"AFL", "HHG", "PBP", "LGY", "KSH"} <= codes
    afl = next(r for r in body["rows"] if r["code"] == "AFL")
    assert afl["dashboard_path"] == f"/freight/dashboard?venture={venture_id('AFL')}"
    revenue = next(n for n in afl["numbers"] if n["metric"] == "revenue")
    assert revenue["currency"] == "USD" and revenue["kind"] == "money"

    head = as_user("head.bpo@vcc.example")
    rows = client.get(API, headers=head).json()["rows"]
    assert [r["code"] for r in rows] == ["PBP"]
    assert_error(
        client.get(API, params={"venture": venture_id("AFL")}, headers=head), 404, "not_found"
    )
    assert_error(client.get(API, headers=as_user("agent.pbp@vcc.example")), 403, "forbidden")
    err = assert_error(
        client.get(API, params={"from": "2026-02-01", "to": "2026-01-01"}, headers=head),
        400,
        "invalid",
    )
    assert "to" in err["fields"]
    err = assert_error(
        client.get(API, params={"from": "2020-01-01", "to": "2026-01-01"}, headers=head),
        400,
        "invalid",
    )
    assert "from" in err["fields"]
