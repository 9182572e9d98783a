"""``/api/v1/freight``: venture isolation (a load of another venture is 404 for every verb, and
nothing changes), bad bodies answered 400 naming each field, refused transitions 409, cursor pages
that cover every row once, the KPI endpoint's shape, and the issue's flow over HTTP."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from domain import clock
from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.freight import services
from domain.freight.models import FreightQuote, Load, LoadEvent, Outreach
from domain.freight.queries import LoadFilter, list_loads
from domain.integrations.sms import RecordingSmsSender, set_sms_sender
from tests.api.conftest import as_user, assert_error
from tests.helpers import actor, office_id, venture_id
from tests.integration.freight.conftest import customer_of, make_carrier, make_load

API = "/api/v1/freight"
CEO = "ceo@vcc.example"
CSR_B = "csr.mbr@vcc.example"  # CSR of MBR only
LEAD_B = "lead.mbr@vcc.example"  # TEAM_LEAD of MBR: every freight action, in MBR


@pytest.fixture
def sms() -> Any:
    sender = RecordingSmsSender()
    set_sms_sender(sender)
    yield sender
    set_sms_sender(None)


def _snapshot() -> dict[str, Any]:
    with read_only() as uow:
        s = uow.session
        return {
            "loads": sorted(
                s.execute(
                    select(Load.id, Load.status, Load.carrier_id, Load.miles, Load.updated_at)
                ).all()
            ),
            "events": s.execute(select(func.count()).select_from(LoadEvent)).scalar_one(),
            "outreach": sorted(s.execute(select(Outreach.id, Outreach.awarded_carrier_id)).all()),
            "quotes": sorted(s.execute(select(FreightQuote.id, FreightQuote.status)).all()),
            "audit": s.execute(
                select(func.count())
                .select_from(AuditLog)
                .where(~AuditLog.action.startswith("auth."))
            ).scalar_one(),
        }


def _quote(status: str = "ACCEPTED", code: str = "AFL") -> int:
    ceo = actor(CEO)
    with unit_of_work() as uow:
        quote = services.create_quote(
            uow,
            ceo,
            {
                "venture_id": venture_id(code),
                "customer_id": customer_of(code),
                "pickup_city": "Albany",
                "pickup_state": "NY",
                "drop_city": "Boston",
                "drop_state": "MA",
                "quoted_rate": "1200.00",
            },
        )
    path = {"DRAFT": [], "SENT": ["SENT"], "ACCEPTED": ["SENT", "ACCEPTED"]}[status]
    for s in path:
        with unit_of_work() as uow:
            services.set_quote_status(uow, ceo, quote.id, {"status": s})
    return quote.id


def _all_ids(client: TestClient, headers: dict[str, str], **params: Any) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        q = {**params, **({"cursor": cursor} if cursor else {})}
        resp = client.get(f"{API}/loads", params=q, headers=headers)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        ids += [x["id"] for x in body["items"]]
        if not body["has_more"]:
            assert body["next_cursor"] is None
            return ids
        cursor = body["next_cursor"]


def _load_body(code: str = "AFL", **overrides: Any) -> dict[str, Any]:
    return {
        "venture_id": venture_id(code),
        "office_id": office_id(code, "New York HQ" if code == "AFL" else "Jersey City"),
        "customer_id": customer_of(code),
        "pickup_city": "Newark",
        "pickup_state": "NJ",
        "pickup_date": "2026-12-01",
        "drop_city": "Chicago",
        "drop_state": "IL",
        "drop_date": "2026-12-03",
        "miles": 800,
        "equipment": "DRY_VAN",
        "bill_amount": "2400.00",
    } | overrides


def test_another_ventures_load_is_404_for_every_verb(demo, client: TestClient, sms) -> None:
    load = make_load(CEO)  # AFL
    carrier = make_carrier()
    with unit_of_work() as uow:
        out = services.send_outreach(
            uow,
            actor(CEO),
            {"load_id": load.id, "channel": "SMS", "carrier_ids": [carrier.id], "body": "Load?"},
        )
    quote = _quote()
    before = _snapshot()
    for who in (CSR_B, LEAD_B):
        h = as_user(who)
        ids = _all_ids(client, h, limit=200)
        assert load.id not in ids and ids  # they do see their own venture's loads
        assert _all_ids(client, h, venture=venture_id("AFL")) == []
        assert _all_ids(client, h, q=load.reference) == []
        assert_error(client.get(f"{API}/loads/{load.id}", headers=h), 404, "not_found")
        for body in (
            {"status": "WORKING"},
            {"status": "LOST", "lost_reason": "RATE"},
            {"status": "COVERED", "carrier_id": carrier.id},
        ):
            resp = client.patch(f"{API}/loads/{load.id}", json=body, headers=h)
            assert_error(resp, 404, "not_found")
        resp = client.post(f"{API}/loads", json=_load_body("AFL"), headers=h)
        assert_error(resp, 404, "not_found")
        resp = client.post(f"{API}/quotes/{quote}/convert", headers=h)
        assert_error(resp, 404, "not_found")
    lead = as_user(LEAD_B)
    send = {"load_id": load.id, "channel": "SMS", "carrier_ids": [carrier.id], "body": "Mine?"}
    assert_error(client.post(f"{API}/outreach", json=send, headers=lead), 404, "not_found")
    award = client.post(
        f"{API}/outreach/{out.id}/award", json={"carrier_id": carrier.id}, headers=lead
    )
    assert_error(award, 404, "not_found")
    resp = client.get(f"{API}/kpi", params={"venture": venture_id("AFL")}, headers=lead)
    assert_error(resp, 404, "not_found")
    # A CSR's role has no dashboard and no outreach at all: 403, not a hint about AFL.
    csr = as_user(CSR_B)
    assert_error(client.get(f"{API}/kpi", headers=csr), 403, "forbidden")
    assert_error(client.post(f"{API}/outreach", json=send, headers=csr), 404, "not_found")
    assert _snapshot() == before


def test_bad_bodies_are_400_naming_each_field(demo, client: TestClient) -> None:
    h = as_user(CEO)
    err = assert_error(client.post(f"{API}/loads", json={}, headers=h), 400, "invalid")
    assert {"venture_id", "office_id", "customer_id", "pickup_city", "drop_date"} <= set(
        err["fields"]
    )
    # The wording of the web forms (domain.schemas.friendly_message), not Pydantic's.
    assert err["fields"]["pickup_city"] == "is required"  # type: ignore[index]
    err = assert_error(
        client.post(
            f"{API}/loads",
            json=_load_body(pickup_state="ZZ", bill_amount="-5", colour="red"),
            headers=h,
        ),
        400,
        "invalid",
    )
    assert {"pickup_state", "bill_amount", "colour"} <= set(err["fields"])
    assert err["fields"]["colour"] == "is not a field of this form"  # type: ignore[index]
    err = assert_error(
        client.post(f"{API}/loads", json=_load_body(drop_date="2026-11-01"), headers=h),
        400,
        "invalid",
    )
    assert err["fields"] == {"drop_date": "must be on or after the pickup date"}
    resp = client.post(
        f"{API}/loads", content=b"{not json", headers={**h, "content-type": "application/json"}
    )
    assert_error(resp, 400, "invalid")
    resp = client.post(f"{API}/loads", json=_load_body(HOSPITALITY=1), headers=h)
    assert_error(resp, 400, "invalid")
    hotel = _load_body() | {"venture_id": venture_id("HHG")}
    err = assert_error(client.post(f"{API}/loads", json=hotel, headers=h), 400, "invalid")
    assert "venture_id" in err["fields"]

    load = make_load(CEO)
    for body, field in (
        ({"status": "FLYING"}, "status"),
        ({"status": "LOST"}, "lost_reason"),
        ({"status": "LOST", "lost_reason": "BORED"}, "lost_reason"),
        ({"status": "WORKING", "carrier_id": 1}, "carrier_id"),
        ({"note": "no status"}, "status"),
        ({"status": "WORKING", "note": "x" * 501}, "note"),
    ):
        resp = client.patch(f"{API}/loads/{load.id}", json=body, headers=h)
        err = assert_error(resp, 400, "invalid")
        assert field in err["fields"], (body, err)
    for bad in ("0", "abc", "99999999999"):
        resp = client.get(f"{API}/loads/{bad}", headers=h)
        assert_error(resp, 400, "invalid")
    assert_error(client.get(f"{API}/loads", params={"status": "NOPE"}, headers=h), 400, "invalid")
    assert_error(
        client.get(f"{API}/loads", params={"cursor": "garbage"}, headers=h), 400, "invalid"
    )


def test_refused_transitions_are_409_and_change_nothing(demo, client: TestClient) -> None:
    h = as_user(CEO)
    load = make_load(CEO)
    before = _snapshot()
    err = assert_error(
        client.patch(f"{API}/loads/{load.id}", json={"status": "DELIVERED"}, headers=h),
        409,
        "conflict",
    )
    assert "OPEN" in err["message"] and "DELIVERED" in err["message"]
    assert _snapshot() == before
    same = client.patch(f"{API}/loads/{load.id}", json={"status": "open"}, headers=h)
    assert same.status_code == 200 and same.json()["status"] == "OPEN"  # same-to-same: no-op
    assert _snapshot() == before
    lost = client.patch(
        f"{API}/loads/{load.id}", json={"status": "LOST", "lost_reason": "RATE"}, headers=h
    )
    assert lost.status_code == 200 and lost.json()["lost_reason"] == "RATE"
    err = assert_error(
        client.patch(f"{API}/loads/{load.id}", json={"status": "WORKING"}, headers=h),
        409,
        "conflict",
    )
    assert "final" in err["message"]
    assert_error(client.post(f"{API}/quotes/{_quote('DRAFT')}/convert", headers=h), 409, "conflict")


def test_cursor_pages_cover_every_row_once(demo, client: TestClient) -> None:
    who = "head.freight@vcc.example"
    h = as_user(who)
    with read_only() as uow:
        expected: list[int] = []
        cursor = None
        while True:
            page = list_loads(uow, actor(who), LoadFilter(), cursor=cursor, limit=200)
            expected += [x.id for x in page.items]
            if not page.has_more:
                break
            cursor = page.next_cursor
    assert len(expected) > 500
    got = _all_ids(client, h, limit=97)
    assert got == expected and len(set(got)) == len(got)
    lost_or_delivered = _all_ids(client, h, status=["LOST", "DELIVERED"], limit=150)
    with read_only() as uow:
        statuses = dict(
            uow.session.execute(
                select(Load.id, Load.status).where(Load.id.in_(lost_or_delivered))  # type: ignore[attr-defined]
            ).all()
        )
    assert {s.value for s in statuses.values()} == {"LOST", "DELIVERED"}
    assert len(set(lost_or_delivered)) == len(lost_or_delivered)
    first = client.get(f"{API}/loads", params={"limit": 5}, headers=h).json()
    assert len(first["items"]) == 5 and first["has_more"] and first["next_cursor"]
    item = first["items"][0]
    assert {"id", "reference", "status", "bill_amount", "margin", "customer_name"} <= set(item)
    assert_error(client.get(f"{API}/loads", params={"limit": 201}, headers=h), 400, "invalid")


def test_kpi_endpoint_shape(demo, client: TestClient) -> None:
    h = as_user("head.freight@vcc.example")
    body = client.get(f"{API}/kpi", headers=h).json()
    assert set(body) >= {
        "start",
        "end",
        "previous_start",
        "previous_end",
        "venture_ids",
        "currency",
        "current",
        "previous",
        "headlines",
        "series",
        "computed_now",
        "rows",
    }
    start, end = date.fromisoformat(body["start"]), date.fromisoformat(body["end"])
    assert (end - start).days == 29 and len(body["series"]) == 30
    assert sorted(body["venture_ids"]) == sorted(venture_id(c) for c in ("AFL", "MBR", "RTR"))
    assert [h_["metric"] for h_ in body["headlines"]][:4] == [
        "loads_created",
        "loads_covered",
        "loads_delivered",
        "loads_lost",
    ]
    assert body["currency"] == "USD"
    rows = body["rows"]
    assert {r["venture_id"] for r in rows} <= set(body["venture_ids"])
    assert sum(r["loads_created"] for r in rows) == body["current"]["loads_created"]
    one = client.get(
        f"{API}/kpi",
        params={"from": "2026-01-01", "to": "2026-01-07", "venture": venture_id("MBR")},
        headers=h,
    ).json()
    assert one["start"] == "2026-01-01" and len(one["series"]) == 7
    assert one["venture_ids"] == [venture_id("MBR")] and one["previous_end"] == "2025-12-31"
    err = assert_error(
        client.get(f"{API}/kpi", params={"from": "2026-02-01", "to": "2026-01-01"}, headers=h),
        400,
        "invalid",
    )
    assert "to" in err["fields"]
    err = assert_error(
        client.get(f"{API}/kpi", params={"from": "2020-01-01", "to": "2026-01-01"}, headers=h),
        400,
        "invalid",
    )
    assert "from" in err["fields"]
    assert_error(client.get(f"{API}/kpi", params={"from": "soon"}, headers=h), 400, "invalid")


def test_the_issue_flow_over_http(demo, client: TestClient, sms) -> None:
    h = as_user("manager.afl@vcc.example")
    created = client.post(f"{API}/loads", json=_load_body(bill_amount="3000.00"), headers=h)
    assert created.status_code == 201, created.text
    load = created.json()
    assert load["status"] == "OPEN" and load["reference"].startswith("AFL-")
    url = f"{API}/loads/{load['id']}"
    detail = client.get(url, headers=h).json()
    assert [t["status"] for t in detail["allowed_transitions"]] == ["WORKING", "DORMANT", "LOST"]

    carriers = [make_carrier() for _ in range(2)]
    preview = client.post(
        f"{API}/outreach",
        json={
            "load_id": load["id"],
            "channel": "SMS",
            "carrier_ids": [c.id for c in carriers],
            "body": "Take it?",
            "dry_run": True,
        },
        headers=h,
    )
    assert preview.status_code == 200 and len(preview.json()["recipients"]) == 2
    assert sms.messages == []
    sent = client.post(
        f"{API}/outreach",
        json={
            "load_id": load["id"],
            "channel": "SMS",
            "carrier_ids": [c.id for c in carriers],
            "body": "Take it?",
        },
        headers=h,
    )
    assert sent.status_code == 201, sent.text
    out = sent.json()
    assert out["sent_count"] == 2 and out["can_award"] and len(sms.messages) == 2
    awarded = client.post(
        f"{API}/outreach/{out['id']}/award",
        json={"carrier_id": carriers[0].id, "cost_amount": "2100.00"},
        headers=h,
    )
    assert awarded.status_code == 200, awarded.text
    assert awarded.json()["awarded_carrier_id"] == carriers[0].id
    again = client.post(
        f"{API}/outreach/{out['id']}/award", json={"carrier_id": carriers[1].id}, headers=h
    )
    assert_error(again, 409, "conflict")
    delivered = client.patch(url, json={"status": "DELIVERED", "note": "POD signed"}, headers=h)
    assert delivered.status_code == 200 and delivered.json()["margin"] == "900.00"
    detail = client.get(url, headers=h).json()
    assert [e["to_status"] for e in detail["timeline"]] == [
        "OPEN",
        "WORKING",
        "COVERED",
        "DELIVERED",
    ]
    assert detail["allowed_transitions"] == [] and not detail["can_edit"]
    today = clock.today("America/New_York")
    kpi = client.get(
        f"{API}/kpi",
        params={"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat()},
        headers=h,
    ).json()
    day = next(p for p in kpi["series"] if p["day"] == today.isoformat())
    assert day["loads_delivered"] >= 1 and float(day["revenue"]) >= 3000

    quote = _quote()
    first = client.post(f"{API}/quotes/{quote}/convert", headers=h)
    second = client.post(f"{API}/quotes/{quote}/convert", json={}, headers=h)
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and first.json()["quote_id"] == quote


def test_garbage_into_every_freight_body_route_is_400(demo, client: TestClient) -> None:
    h = as_user(CEO) | {"Content-Type": "application/json"}
    load = make_load(CEO)
    garbage = [b"{", b"[]", b'"x"', b"1e999999", b'{"a":' * 50, b"\x00\x01", b'{"l": "\\ud800"}']
    for method, path in (
        ("POST", f"{API}/loads"),
        ("PATCH", f"{API}/loads/{load.id}"),
        ("POST", f"{API}/quotes/1/convert"),
        ("POST", f"{API}/outreach"),
        ("POST", f"{API}/outreach/1/award"),
    ):
        for content in garbage:
            resp = client.request(method, path, content=content, headers=h)
            assert_error(resp, 400, "invalid")


def test_outreach_statuses_and_a_retry_of_the_failed_over_http(
    demo, client: TestClient, sms
) -> None:
    h = as_user("manager.afl@vcc.example")
    load = client.post(f"{API}/loads", json=_load_body(), headers=h).json()
    carriers = [make_carrier() for _ in range(2)]
    sms.fail_numbers.add(carriers[1].phone)
    body = {
        "load_id": load["id"],
        "channel": "SMS",
        "carrier_ids": [c.id for c in carriers],
        "body": "Take it?",
    }
    out = client.post(f"{API}/outreach", json=body, headers=h).json()
    status = {r["carrier_id"]: (r["status"], r["error"]) for r in out["recipients"]}
    assert status[carriers[0].id] == ("SENT", None)
    assert status[carriers[1].id][0] == "FAILED" and "undeliverable" in status[carriers[1].id][1]
    assert out["can_retry"] and (out["sent_count"], out["failed_count"]) == (1, 1)

    sms.fail_numbers.clear()
    retried = client.post(f"{API}/outreach/{out['id']}/retry", headers=h)
    assert retried.status_code == 200, retried.text
    assert {r["status"] for r in retried.json()["recipients"]} == {"SENT"}
    assert [m.to for m in sms.messages] == [carriers[0].phone, carriers[1].phone]
    read = client.get(f"{API}/outreach/{out['id']}", headers=h).json()
    assert read["sent_count"] == 2 and not read["can_retry"]
    assert_error(client.post(f"{API}/outreach/{out['id']}/retry", headers=h), 409, "conflict")
    other = as_user(LEAD_B)  # freight in MBR only: AFL's outreach does not exist for them
    assert_error(client.get(f"{API}/outreach/{out['id']}", headers=other), 404, "not_found")
