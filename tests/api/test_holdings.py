"""The holdings API over HTTP: lists, create, update, the balances read; scope (another
venture's ids are 404), bad input (400 naming the field, nothing written) and the 409 of a
second balance of one (account, date)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from domain.money import Currency
from tests.api.conftest import as_user, assert_error
from tests.integration.holdings.conftest import (
    FINANCE,
    account_of,
    counts,
    ksh,
    second_holdings_venture,
)

API = "/api/v1/holdings"


def test_lists_create_update_and_balances(demo, client: TestClient) -> None:
    who = as_user(FINANCE)
    page = client.get(f"{API}/accounts?limit=1", headers=who)
    assert page.status_code == 200, page.text
    body = page.json()
    assert len(body["items"]) == 1 and body["has_more"] and body["next_cursor"]
    assert body["items"][0]["latest_balance"] is not None
    nxt = client.get(f"{API}/accounts?limit=1&cursor={body['next_cursor']}", headers=who).json()
    assert nxt["items"][0]["id"] != body["items"][0]["id"]

    made = client.post(
        f"{API}/accounts",
        headers=who,
        json={
            "venture_id": ksh(),
            "bank": "Chase",
            "name": "Escrow",
            "last4": "0042",
            "currency": "USD",
        },
    )
    assert made.status_code == 201, made.text
    account_id = made.json()["id"]
    renamed = client.patch(f"{API}/accounts/{account_id}", headers=who, json={"name": "Trust"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Trust"

    snap = client.post(
        f"{API}/snapshots",
        headers=who,
        json={"account_id": account_id, "day": "2026-11-20", "balance": "99.50"},
    )
    assert snap.status_code == 201, snap.text
    assert snap.json()["currency"] == "USD"
    fixed = client.patch(
        f"{API}/snapshots/{snap.json()['id']}", headers=who, json={"balance": "100.00"}
    )
    assert fixed.status_code == 200 and fixed.json()["balance"] == "100.00"
    listed = client.get(f"{API}/snapshots?account={account_id}", headers=who).json()
    assert [s["id"] for s in listed["items"]] == [snap.json()["id"]]

    asset = client.post(
        f"{API}/assets",
        headers=who,
        json={
            "venture_id": ksh(),
            "name": "Boat",
            "type": "VEHICLE",
            "value_estimate": "12000.00",
            "currency": "USD",
        },
    )
    assert asset.status_code == 201, asset.text
    moved = client.patch(
        f"{API}/assets/{asset.json()['id']}", headers=who, json={"location": "Pier 9"}
    )
    assert moved.status_code == 200 and moved.json()["location"] == "Pier 9"
    assert client.get(f"{API}/assets", headers=who).json()["items"]

    balances = client.get(f"{API}/balances?venture={ksh()}", headers=who)
    assert balances.status_code == 200, balances.text
    assert {t["currency"] for t in balances.json()["totals"]} == {"USD", "INR"}
    kpi = client.get(f"{API}/kpi?venture={ksh()}&preset=90", headers=who)
    assert kpi.status_code == 200, kpi.text
    assert {s["currency"] for s in kpi.json()["series"]} == {"USD", "INR"}
    assert_error(
        client.get(f"{API}/kpi?from=2026-01-10&to=2026-01-01", headers=who), 400, "invalid"
    )


def test_bad_input_is_400_naming_the_field_and_writes_nothing(demo, client: TestClient) -> None:
    who = as_user(FINANCE)
    before = counts()
    resp = client.post(
        f"{API}/accounts",
        headers=who,
        json={
            "venture_id": ksh(),
            "bank": "Chase",
            "name": "X",
            "last4": "4111111111111111",
            "currency": "USD",
        },
    )
    err = assert_error(resp, 400, "invalid")
    assert "last 4 digits only" in err["fields"]["last4"]  # type: ignore[index]
    inr = account_of(Currency.INR)
    resp = client.post(
        f"{API}/snapshots",
        headers=who,
        json={"account_id": inr.id, "day": "2026-11-20", "balance": "1.00", "currency": "USD"},
    )
    assert "currency" in assert_error(resp, 400, "invalid")["fields"]  # type: ignore[operator]
    assert counts() == before


def test_a_second_balance_of_one_day_is_409(demo, client: TestClient) -> None:
    who = as_user(FINANCE)
    usd = account_of(Currency.USD)
    body = {"account_id": usd.id, "day": "2026-11-20", "balance": "1.00"}
    assert client.post(f"{API}/snapshots", headers=who, json=body).status_code == 201
    err = assert_error(client.post(f"{API}/snapshots", headers=who, json=body), 409, "conflict")
    assert "day" in err["fields"]  # type: ignore[operator]


def test_another_ventures_ids_are_404_and_other_sections_403(demo, client: TestClient) -> None:
    venture, account_id, snap_id, asset_id = second_holdings_venture()
    who = as_user(FINANCE)  # KSH only
    for method, url, body in [
        ("PATCH", f"{API}/accounts/{account_id}", {"name": "x"}),
        ("PATCH", f"{API}/assets/{asset_id}", {"name": "x"}),
        ("PATCH", f"{API}/snapshots/{snap_id}", {"balance": "1.00"}),
        (
            "POST",
            f"{API}/snapshots",
            {"account_id": account_id, "day": "2026-11-20", "balance": "1.00"},
        ),
        ("GET", f"{API}/snapshots?account={account_id}", None),
        ("GET", f"{API}/kpi?venture={venture}", None),
        ("GET", f"{API}/balances?venture={venture}", None),
    ]:
        resp = client.request(method, url, headers=who, json=body)
        assert_error(resp, 404, "not_found")
    ids = {a["id"] for a in client.get(f"{API}/accounts?limit=200", headers=who).json()["items"]}
    assert account_id not in ids
    # No holdings section (a hotel's front desk, a hotel venture head): 403 before anything.
    for email in ("frontdesk.hhg@vcc.example", "head.hotels@vcc.example"):
        assert_error(client.get(f"{API}/accounts", headers=as_user(email)), 403, "forbidden")
