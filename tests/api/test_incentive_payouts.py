"""/api/v1/incentives/payouts: list, create (409 on a second create), approve by run, pay, void;
the domain's errors with their status codes; finance.india reaches no AFL payout (404)."""

from __future__ import annotations

from datetime import timedelta

from tests.api.conftest import as_user, assert_error
from tests.integration.payouts.conftest import period, reports  # noqa: F401 (a fixture)

BASE = "/api/v1/incentives/payouts"


def test_create_approve_pay_void_over_http(demo, reports, client) -> None:  # noqa: F811
    start, end = period(days=3)
    finance = as_user("finance@vcc.example")
    body = {"venture": "AFL", "period_start": str(start), "period_end": str(end)}
    created = client.post(BASE, json=body, headers=finance)
    assert created.status_code == 201, created.text
    run_id = created.json()["run_id"]
    assert created.json()["status"] == "SUCCEEDED" and created.json()["payouts"]

    again = assert_error(client.post(BASE, json=body, headers=finance), 409, "conflict")
    assert "payout already exists for this period" in str(again["message"])
    backwards = {**body, "period_end": str(start - timedelta(days=1))}
    bad = assert_error(client.post(BASE, json=backwards, headers=finance), 400, "invalid")
    assert "before the period's start" in bad["fields"]["period_end"]  # type: ignore[index]

    india = as_user("finance.india@vcc.example")
    assert_error(client.post(BASE, json=body, headers=india), 404, "not_found")
    assert_error(client.get(BASE, params={"venture": "AFL"}, headers=india), 404, "not_found")
    assert client.get(BASE, headers=india).json()["items"] == []
    assert_error(
        client.post(f"{BASE}/approve", json={"run_id": run_id}, headers=india), 404, "not_found"
    )
    accounting = as_user("accounting@vcc.example")
    listed = client.get(BASE, params={"venture": "AFL"}, headers=accounting)
    assert listed.status_code == 200 and len(listed.json()["items"]) == len(
        created.json()["payouts"]
    )
    assert_error(
        client.post(f"{BASE}/approve", json={"run_id": run_id}, headers=accounting),
        403,
        "forbidden",
    )

    some = created.json()["payouts"][0]["id"]
    assert_error(client.post(f"{BASE}/{some}/pay", headers=finance), 409, "conflict")
    assert_error(client.post(f"{BASE}/{some}/pay", headers=india), 404, "not_found")

    signed = client.post(f"{BASE}/approve", json={"run_id": run_id}, headers=finance)
    assert signed.status_code == 200, signed.text
    assert signed.json()["output_hash"] and signed.json()["approved_by"] == "Priya Nair"
    assert_error(
        client.post(f"{BASE}/approve", json={"run_id": run_id}, headers=finance), 409, "conflict"
    )

    paid = client.post(f"{BASE}/{some}/pay", headers=finance)
    assert paid.status_code == 200 and paid.json()["status"] == "PAID"
    assert_error(
        client.post(f"{BASE}/{some}/void", json={"reason": "oops"}, headers=finance),
        409,
        "conflict",
    )
    assert_error(
        client.post(f"{BASE}/{some}/void", json={"reason": ""}, headers=finance), 400, "invalid"
    )
    voided = client.post(
        f"{BASE}/{some}/void", json={"reason": "paid twice", "force": True}, headers=finance
    )
    assert voided.status_code == 200 and voided.json()["status"] == "VOID"
