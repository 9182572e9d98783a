"""``/api/v1/bpo``: an agent logs a call and reads it in "my calls today"; another venture's
campaign, agent and call are 404; a CSR (no BPO section) is 403; the call CSV over multipart is
all-or-nothing; KPI record upsert and the KPI days read."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from domain import clock
from tests.api.conftest import as_user, assert_error
from tests.helpers import office_id
from tests.integration.bpo.conftest import (
    AGENT,
    HEAD,
    KOLKATA,
    LEAD,
    OTHER_HEAD,
    build_world,
    call,
    join_venture,
)
from tests.integration.bpo.test_bpo_csv import calls_csv
from tests.integration.bpo.test_bpo_kpi_csv import kpi_csv

API = "/api/v1/bpo"


def test_an_agent_logs_a_call_and_sees_it_today(demo, client: TestClient) -> None:
    w = build_world()
    resp = client.post(f"{API}/calls", headers=as_user(AGENT), json=call(w))
    assert resp.status_code == 201, resp.text
    logged = resp.json()
    assert logged["talk_seconds"] == 300
    today = client.get(f"{API}/calls/mine/today", headers=as_user(AGENT)).json()
    assert [c["id"] for c in today] == [logged["id"]]
    bad = client.post(f"{API}/calls", headers=as_user(AGENT), json=call(w, dial_count=0))
    assert assert_error(bad, 400, "invalid")["fields"] == {"dial_count": "must be at least 1"}
    listed = client.get(f"{API}/calls", headers=as_user(HEAD), params={"outcome": "DEAL"}).json()
    assert [c["id"] for c in listed["items"]] == [logged["id"]]


def test_another_ventures_ids_are_404_and_no_section_is_403(demo, client: TestClient) -> None:
    w = build_world()
    call_id = client.post(f"{API}/calls", headers=as_user(AGENT), json=call(w)).json()["id"]
    head = as_user(HEAD)
    assert_error(client.get(f"{API}/campaigns/{w.other_campaign}", headers=head), 404, "not_found")
    assert_error(
        client.patch(f"{API}/campaigns/{w.other_campaign}", headers=head, json={"active": False}),
        404,
        "not_found",
    )
    assert_error(
        client.patch(f"{API}/agents/{w.other_agent}", headers=head, json={"active": False}),
        404,
        "not_found",
    )
    # the lead's call is not the agent's own: it looks missing to the agent
    lead_call = client.post(
        f"{API}/calls", headers=as_user(LEAD), json=call(w, agent_id=w.lead_agent)
    ).json()["id"]
    assert_error(client.get(f"{API}/calls/{lead_call}", headers=as_user(AGENT)), 404, "not_found")
    assert client.get(f"{API}/calls/{call_id}", headers=as_user(AGENT)).status_code == 200
    assert_error(
        client.get(f"{API}/calls", headers=as_user("csr.afl@vcc.example")), 403, "forbidden"
    )


def test_campaign_create_update_and_csv_import(demo, client: TestClient) -> None:
    w = build_world()
    head = as_user(HEAD)
    created = client.post(
        f"{API}/campaigns",
        headers=head,
        json={
            "venture_id": w.pbp,
            "office_id": office_id("PBP", "Sector V"),
            "name": "Loans",
            "client": "Bank",
        },
    )
    assert created.status_code == 201, created.text
    patched = client.patch(
        f"{API}/campaigns/{created.json()['id']}", headers=head, json={"active": False}
    )
    assert patched.json()["active"] is False
    url = f"{API}/ventures/{w.pbp}/calls/import"
    bad = calls_csv(20, bad={3: f"{AGENT},Solar leads,nope,,1,no,no,no,0,"})
    resp = client.post(url, headers=head, files={"file": ("calls.csv", bad, "text/csv")})
    assert set(assert_error(resp, 400, "invalid")["fields"]) == {"line 5: started_at"}
    assert client.get(f"{API}/calls", headers=head).json()["items"] == []
    resp = client.post(url, headers=head, files={"file": ("calls.csv", calls_csv(20), "text/csv")})
    assert resp.status_code == 200, resp.text
    assert resp.json()["rows_written"] == 20 and resp.json()["message"].startswith("20 calls")
    day = clock.today(KOLKATA) - timedelta(days=1)
    rec = client.put(
        f"{API}/kpi-records",
        headers=as_user(LEAD),
        json={
            "campaign_id": w.campaign,
            "agent_id": w.agent,
            "day": day.isoformat(),
            "qa_score": "90",
        },
    )
    assert rec.status_code == 200, rec.text
    start = (day - timedelta(days=10)).isoformat()
    kpi = client.get(
        f"{API}/ventures/{w.pbp}/kpi", headers=head, params={"from": start, "to": day.isoformat()}
    )
    assert kpi.status_code == 200, kpi.text
    assert sum(d["dials"] for d in kpi.json()) == sum(1 + i % 3 for i in range(20))
    other = client.get(
        f"{API}/ventures/{w.other_venture}/kpi",
        headers=head,
        params={"from": start, "to": day.isoformat()},
    )
    assert_error(other, 404, "not_found")


def test_kpi_record_csv_import_all_or_nothing_and_another_ventures_head_is_404(
    demo, client: TestClient
) -> None:
    w = build_world()
    url = f"{API}/ventures/{w.pbp}/kpi-records/import"
    names = ["Solar leads"]
    bad = kpi_csv(names, 12, bad={4: f"{AGENT},Solar leads,2026-02-30,1,1,101,0,0,0"})
    resp = client.post(url, headers=as_user(HEAD), files={"file": ("kpi.csv", bad, "text/csv")})
    body = assert_error(resp, 400, "invalid")
    assert set(body["fields"]) == {"line 6: date", "line 6: qa_score"}
    day = (clock.today(KOLKATA) - timedelta(days=1)).isoformat()
    kpi = client.get(
        f"{API}/ventures/{w.pbp}/kpi", headers=as_user(HEAD), params={"from": day, "to": day}
    )
    assert kpi.json() == []  # nothing written
    good = kpi_csv(names, 12)
    for replaced in (0, 12):  # the same file twice: the same 12 records, replaced the 2nd time
        resp = client.post(
            url, headers=as_user(HEAD), files={"file": ("kpi.csv", good, "text/csv")}
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["rows_written"] == 12 and resp.json()["replaced"] == replaced
        assert resp.json()["message"].startswith("12 KPI records written")
    kpi = client.get(
        f"{API}/ventures/{w.pbp}/kpi", headers=as_user(HEAD), params={"from": day, "to": day}
    )
    assert kpi.json()[0]["avg_qa"] is not None
    # a head of another BPO venture: PBP does not exist for them; an agent: forbidden
    join_venture(OTHER_HEAD, w.other_venture)
    resp = client.post(
        url, headers=as_user(OTHER_HEAD), files={"file": ("kpi.csv", good, "text/csv")}
    )
    assert_error(resp, 404, "not_found")
    resp = client.post(url, headers=as_user(AGENT), files={"file": ("kpi.csv", good, "text/csv")})
    assert resp.status_code == 403, resp.text
