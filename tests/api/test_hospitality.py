"""``/api/v1/hospitality``: the CSV upload's all-or-nothing answer over HTTP (multipart), a
review of HHG is 404 to a manager of AFL and 403 to a CSR (no hospitality section), a second
resolution is 409, the KPI dashboard's shape."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from domain.db import read_only
from domain.hospitality.models import HotelKpiDaily
from tests.api.conftest import as_user, assert_error
from tests.helpers import office_id
from tests.integration.hospitality.conftest import (
    MANAGER,
    hhg,
    hotels,
    kpi_csv,
    open_dispute,
    unanswered_low_review,
)

API = "/api/v1/hospitality"


def _rows() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(HotelKpiDaily)).scalar())


def test_the_csv_upload_over_http(demo, client: TestClient) -> None:
    who = as_user(MANAGER)
    url = f"{API}/ventures/{hhg()}/hotel-kpi/upload"
    before = _rows()
    bad = kpi_csv(3, bad={4: "HHG-INN,2026-01-01,abc,1,1.00,0,0,0"})
    resp = client.post(url, headers=who, files={"file": ("kpi.csv", bad, "text/csv")})
    body = assert_error(resp, 400, "invalid")
    assert body["fields"] == {"line 6: rooms_available": "must be a whole number, not 'abc'"}
    assert _rows() == before
    good = kpi_csv(3)
    resp = client.post(url, headers=who, files={"file": ("kpi.csv", good, "text/csv")})
    assert resp.status_code == 200, resp.text
    n = len(good.splitlines()) - 1
    assert resp.json()["rows_written"] == n and resp.json()["message"].startswith(f"{n} rows")
    template = client.get(f"{API}/ventures/{hhg()}/hotel-kpi/template.csv", headers=who)
    assert template.status_code == 200 and template.text.startswith("hotel_code,date,")


def test_a_review_of_hhg_is_out_of_reach_of_afl(demo, client: TestClient) -> None:
    review_id = unanswered_low_review()
    for who in ("csr.afl@vcc.example", "manager.afl@vcc.example"):  # no hospitality section
        headers = as_user(who)
        assert_error(client.get(f"{API}/reviews", headers=headers), 403, "forbidden")
        resp = client.post(
            f"{API}/reviews/{review_id}/response", headers=headers, json={"response_text": "x"}
        )
        assert_error(resp, 403, "forbidden")
    # Finance of HHG works at Midtown only: a Brooklyn hotel's dispute is as if missing.
    brooklyn = open_dispute(hotel_id=hotels()[-1].id)
    assert hotels()[-1].office_id == office_id("HHG", "Brooklyn Hotels")
    resp = client.post(
        f"{API}/disputes/{brooklyn}/resolve",
        headers=as_user("finance@vcc.example"),
        json={"status": "WON"},
    )
    assert_error(resp, 404, "not_found")
    ok = client.post(
        f"{API}/reviews/{review_id}/response",
        headers=as_user(MANAGER),
        json={"response_text": "Thank you"},
    )
    assert ok.status_code == 200 and ok.json()["responded_at"]


def test_a_second_resolution_is_409(demo, client: TestClient) -> None:
    dispute_id = open_dispute()
    who = as_user(MANAGER)
    url = f"{API}/disputes/{dispute_id}/resolve"
    assert client.post(url, headers=who, json={"status": "WON"}).status_code == 200
    assert_error(client.post(url, headers=who, json={"status": "LOST"}), 409, "conflict")


def test_the_kpi_dashboard(demo, client: TestClient) -> None:
    resp = client.get(f"{API}/kpi?venture={hhg()}", headers=as_user(MANAGER))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [h["metric"] for h in body["headlines"]][:3] == ["occupancy", "adr", "revpar"]
    assert len(body["series"]) == 30 and body["hotels"]
    assert_error(
        client.get(f"{API}/kpi?from=2026-01-10&to=2026-01-01", headers=as_user(MANAGER)),
        400,
        "invalid",
    )
