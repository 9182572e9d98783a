"""``/api/v1/bpo``: cursor lists, create and update of campaigns and agents, a call logged over
HTTP shows on the caller's calls of today, a bad call is 400 naming the field and writes
nothing, a KPI record upserts (the same row twice), the KPI read, and scope: a call of another
agent or another office is 404 exactly like a missing one, and people without the BPO section
get 403 on every route."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from domain import clock
from domain.bpo.models import BpoCallLog, BpoKpiRecord
from domain.db import read_only
from tests.api.conftest import as_user, assert_error
from tests.bpo_world import AGENT, HEAD, LEAD, agent_of, campaign, log_call, world
from tests.helpers import office_id, venture_id

API = "/api/v1/bpo"


def _count(model: type) -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(model)).scalar())


def test_campaigns_and_agents_list_create_and_update(demo, client: TestClient) -> None:
    cid, aid = world()
    head = as_user(HEAD)
    first = client.get(f"{API}/campaigns?limit=1", headers=head)
    assert first.status_code == 200, first.text
    assert set(first.json()) == {"items", "next_cursor", "has_more"}
    names, cursor = [], None
    while True:
        url = f"{API}/campaigns?limit=1" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=head).json()
        names += [c["name"] for c in page["items"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert "Rx Solar" in names and names == sorted(names, key=str)

    body = {
        "venture_id": venture_id("PBP"),
        "office_id": office_id("PBP", "Sector V"),
        "name": "API Health",
        "client": "Acme Health",
    }
    created = client.post(f"{API}/campaigns", headers=head, json=body)
    assert created.status_code == 201, created.text
    new_id = created.json()["id"]
    assert_error(client.post(f"{API}/campaigns", headers=head, json=body), 409, "conflict")
    bad = client.post(f"{API}/campaigns", headers=head, json={**body, "name": ""})
    assert "name" in assert_error(bad, 400, "invalid")["fields"]  # type: ignore[operator]
    patched = client.patch(f"{API}/campaigns/{new_id}", headers=head, json={"active": False})
    assert patched.status_code == 200 and patched.json()["active"] is False

    agents = client.get(f"{API}/agents?campaign={cid}", headers=head)
    assert agents.status_code == 200 and aid in [a["id"] for a in agents.json()["items"]]
    paused = client.patch(f"{API}/agents/{aid}", headers=head, json={"active": False})
    assert paused.status_code == 200 and paused.json()["active"] is False
    again = client.patch(f"{API}/agents/{aid}", headers=head, json={"active": True})
    assert again.status_code == 200 and again.json()["campaign_id"] == cid
    # An agent reads campaigns (reference data) but not the agents list, nor manages.
    agent = as_user(AGENT)
    assert client.get(f"{API}/campaigns", headers=agent).status_code == 200
    assert_error(client.get(f"{API}/agents", headers=agent), 403, "forbidden")
    assert_error(client.post(f"{API}/campaigns", headers=agent, json=body), 403, "forbidden")


def test_an_agent_logs_a_call_and_reads_it_back(demo, client: TestClient) -> None:
    cid, aid = world()
    agent = as_user(AGENT)
    start = clock.now() - timedelta(minutes=20)
    before = _count(BpoCallLog)
    bad = client.post(
        f"{API}/calls",
        headers=agent,
        json={
            "campaign_id": cid,
            "agent_id": aid,
            "started_at": start.isoformat(),
            "ended_at": (start - timedelta(minutes=1)).isoformat(),
        },
    )
    assert "ended_at" in assert_error(bad, 400, "invalid")["fields"]  # type: ignore[operator]
    zero = client.post(
        f"{API}/calls",
        headers=agent,
        json={
            "campaign_id": cid,
            "agent_id": aid,
            "started_at": start.isoformat(),
            "dial_count": 0,
        },
    )
    assert "dial_count" in assert_error(zero, 400, "invalid")["fields"]  # type: ignore[operator]
    assert _count(BpoCallLog) == before

    ok = client.post(
        f"{API}/calls",
        headers=agent,
        json={
            "campaign_id": cid,
            "agent_id": aid,
            "started_at": start.isoformat(),
            "ended_at": (start + timedelta(minutes=4)).isoformat(),
            "dial_count": 3,
            "connected": True,
        },
    )
    assert ok.status_code == 201, ok.text
    call = ok.json()
    assert call["talk_seconds"] == 240 and call["agent_id"] == aid
    mine = client.get(f"{API}/calls/mine-today", headers=agent)
    assert mine.status_code == 200 and call["id"] in [c["id"] for c in mine.json()]
    one = client.get(f"{API}/calls/{call['id']}", headers=agent)
    assert one.status_code == 200 and one.json()["dial_count"] == 3
    listed = client.get(f"{API}/calls?outcome=CONNECTED&campaign={cid}", headers=as_user(HEAD))
    assert call["id"] in [c["id"] for c in listed.json()["items"]]
    none = client.get(f"{API}/calls?outcome=DEAL&campaign={cid}", headers=as_user(HEAD))
    assert call["id"] not in [c["id"] for c in none.json()["items"]]


def test_a_call_out_of_scope_is_404_and_other_sections_are_403(demo, client: TestClient) -> None:
    cid, aid = world()
    salt_lake_call = log_call(cid, aid, connected=True)
    sector_v = campaign("Rx Sector V", office="Sector V")
    other = agent_of("contractor.pbp@vcc.example", sector_v)
    sector_v_call = log_call(sector_v, other)
    # The agent reads only their own calls; the team lead of Salt Lake only Salt Lake's.
    assert_error(
        client.get(f"{API}/calls/{sector_v_call}", headers=as_user(AGENT)), 404, "not_found"
    )
    lead = as_user(LEAD)
    assert client.get(f"{API}/calls/{salt_lake_call}", headers=lead).status_code == 200
    assert_error(client.get(f"{API}/calls/{sector_v_call}", headers=lead), 404, "not_found")
    assert_error(client.get(f"{API}/calls/999999", headers=lead), 404, "not_found")
    # People of ventures without BPO: no section, 403 before anything runs.
    for who in ("manager.afl@vcc.example", "manager.hotels@vcc.example"):
        headers = as_user(who)
        assert_error(client.get(f"{API}/campaigns", headers=headers), 403, "forbidden")
        assert_error(client.get(f"{API}/calls/{salt_lake_call}", headers=headers), 403, "forbidden")


def test_a_kpi_record_upserts_and_the_kpi_read(demo, client: TestClient) -> None:
    cid, aid = world()
    log_call(cid, aid, connected=True, deal_won=True, revenue="2500.00")
    head = as_user(HEAD)
    day = (clock.now() - timedelta(days=2)).date().isoformat()
    body = {"campaign_id": cid, "agent_id": aid, "day": day, "calls": 40, "qa_score": "88.5"}
    before = _count(BpoKpiRecord)
    first = client.put(f"{API}/kpi-records", headers=head, json=body)
    assert first.status_code == 200, first.text
    again = client.put(f"{API}/kpi-records", headers=head, json={**body, "calls": 42})
    assert again.json()["id"] == first.json()["id"] and again.json()["calls"] == 42
    assert _count(BpoKpiRecord) == before + 1
    bad = client.put(f"{API}/kpi-records", headers=head, json={**body, "qa_score": "101"})
    assert "qa_score" in assert_error(bad, 400, "invalid")["fields"]  # type: ignore[operator]

    resp = client.get(f"{API}/kpi?venture={venture_id('PBP')}", headers=head)
    assert resp.status_code == 200, resp.text
    kpi = resp.json()
    assert [h["metric"] for h in kpi["headlines"]][:3] == ["dials", "connects", "connect_rate"]
    assert len(kpi["series"]) == 30 and kpi["currency"] == "INR"
    funnel = {f["name"]: f for f in kpi["funnel"]}
    assert funnel["Rx Solar"]["deals"] >= 1 and kpi["leaders"][0]["rank"] == 1
    assert kpi["rows"] and {"dials", "connects", "avg_qa"} <= set(kpi["rows"][0])
    assert_error(
        client.get(f"{API}/kpi?from=2026-01-10&to=2026-01-01", headers=head), 400, "invalid"
    )
    assert_error(client.get(f"{API}/kpi", headers=as_user(AGENT)), 403, "forbidden")
