"""``/api/v1/saas``: create, list, update, cancel over HTTP; bad input is 400 naming the field and
writes nothing; a second cancellation is 409; the ids of another SAAS venture are 404 to a reader
of LGY only; a user without the saas section is 403; the MRR KPI and the dashboard's shape."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.org import services as org_services
from domain.saas import services
from domain.saas.models import SaasSubscription
from tests.api.conftest import as_user, assert_error
from tests.helpers import actor, venture_id

API = "/api/v1/saas"
MANAGER = "coo@vcc.example"
FINANCE = "finance@vcc.example"  # LGY among its ventures, not the new one below
TODAY = clock.today("America/New_York")


def _subs() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(SaasSubscription)).scalar())


def test_customer_and_subscription_over_http(demo, client: TestClient) -> None:
    who = as_user(MANAGER)
    lgy = venture_id("LGY")
    resp = client.post(
        f"{API}/customers",
        headers=who,
        json={"venture_id": lgy, "name": "Api Co", "domain": "API.example"},
    )
    assert resp.status_code == 201, resp.text
    cid = resp.json()["id"]
    assert resp.json()["domain"] == "api.example" and resp.json()["currency"] == "USD"
    again = client.post(
        f"{API}/customers",
        headers=who,
        json={"venture_id": lgy, "name": "B", "domain": "api.example"},
    )
    assert "domain" in assert_error(again, 409, "conflict")["fields"]
    resp = client.patch(f"{API}/customers/{cid}", headers=who, json={"name": "Api Company"})
    assert resp.status_code == 200 and resp.json()["name"] == "Api Company"

    before = _subs()
    bad = client.post(
        f"{API}/subscriptions",
        headers=who,
        json={"customer_id": cid, "plan": "Growth", "mrr": "-1", "started_at": TODAY.isoformat()},
    )
    assert "mrr" in assert_error(bad, 400, "invalid")["fields"]
    assert _subs() == before
    start = TODAY - timedelta(days=5)
    resp = client.post(
        f"{API}/subscriptions",
        headers=who,
        json={
            "customer_id": cid,
            "plan": "Growth",
            "mrr": "199.00",
            "started_at": start.isoformat(),
        },
    )
    assert resp.status_code == 201, resp.text
    sid = resp.json()["id"]
    resp = client.patch(f"{API}/subscriptions/{sid}", headers=who, json={"mrr": "249.00"})
    assert resp.status_code == 200 and resp.json()["mrr"] == "249.00"
    early = client.post(
        f"{API}/subscriptions/{sid}/cancel",
        headers=who,
        json={"cancelled_at": (start - timedelta(days=1)).isoformat(), "reason": "x"},
    )
    assert "cancelled_at" in assert_error(early, 400, "invalid")["fields"]
    cancel = {"cancelled_at": TODAY.isoformat(), "reason": "Budget cut"}
    resp = client.post(f"{API}/subscriptions/{sid}/cancel", headers=who, json=cancel)
    assert resp.status_code == 200 and resp.json()["cancel_reason"] == "Budget cut"
    assert_error(
        client.post(f"{API}/subscriptions/{sid}/cancel", headers=who, json=cancel), 409, "conflict"
    )

    page = client.get(f"{API}/customers/{cid}", headers=as_user(FINANCE)).json()
    assert [s["id"] for s in page["subscriptions"]] == [sid]
    listed = client.get(
        f"{API}/subscriptions",
        headers=as_user(FINANCE),
        params={"customer": cid, "status": "cancelled"},
    ).json()
    assert [s["id"] for s in listed["items"]] == [sid]


def test_another_saas_ventures_ids_are_404_and_no_section_is_403(demo, client: TestClient) -> None:
    ceo = actor("ceo@vcc.example")
    with unit_of_work() as uow:
        other = org_services.create_venture(
            uow,
            ceo,
            {"code": "NSA", "slug": "nsa", "name": "Other SaaS", "type": "SAAS",
             "currency": "USD", "timezone": "UTC"},
        )  # fmt: skip
    with unit_of_work() as uow:
        cid = services.create_customer(
            uow, ceo, {"venture_id": other.id, "name": "Far", "domain": "far.example"}
        ).id
        sid = services.create_subscription(
            uow, ceo, {"customer_id": cid, "plan": "P", "mrr": "5", "started_at": TODAY}
        ).id
    fin, head = as_user(FINANCE), as_user("coo@vcc.example")
    assert client.get(f"{API}/customers/{cid}", headers=head).status_code == 200
    assert_error(client.get(f"{API}/customers/{cid}", headers=fin), 404, "not_found")
    assert_error(
        client.patch(f"{API}/customers/{cid}", headers=fin, json={"name": "x"}), 404, "not_found"
    )
    assert_error(
        client.patch(f"{API}/subscriptions/{sid}", headers=fin, json={"plan": "x"}),
        404,
        "not_found",
    )
    assert_error(
        client.post(
            f"{API}/subscriptions/{sid}/cancel",
            headers=fin,
            json={"cancelled_at": TODAY.isoformat(), "reason": "x"},
        ),
        404,
        "not_found",
    )
    assert_error(
        client.get(f"{API}/kpi/mrr", headers=fin, params={"venture": other.id}), 404, "not_found"
    )
    assert_error(
        client.get(f"{API}/dashboard", headers=fin, params={"venture": other.id}), 404, "not_found"
    )
    listed = client.get(f"{API}/subscriptions", headers=fin, params={"venture": other.id}).json()
    assert listed["items"] == []
    for path in ("/customers", "/subscriptions", "/kpi/mrr"):  # no saas section
        assert_error(
            client.get(f"{API}{path}", headers=as_user("csr.afl@vcc.example")), 403, "forbidden"
        )


def test_mrr_kpi_and_dashboard(demo, client: TestClient) -> None:
    fin = as_user(FINANCE)
    lgy = venture_id("LGY")
    kpi = client.get(f"{API}/kpi/mrr", headers=fin, params={"venture": lgy}).json()
    assert kpi["venture_code"] == "LGY" and kpi["currency"] == "USD"
    start = (TODAY - timedelta(days=89)).isoformat()
    dash = client.get(
        f"{API}/dashboard",
        headers=fin,
        params={"venture": lgy, "from": start, "to": TODAY.isoformat()},
    ).json()
    assert len(dash["mrr_line"]) == 90 and dash["mrr_end"] == kpi["mrr"]
    assert {"new_mrr", "expansion_mrr", "churned_mrr", "churned_logos"} <= set(dash["months"][0])
    bad = client.get(
        f"{API}/dashboard", headers=fin, params={"from": TODAY.isoformat(), "to": start}
    )
    assert "to" in assert_error(bad, 400, "invalid")["fields"]
