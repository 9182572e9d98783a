"""``/api/v1/operations``: the flow over HTTP (a manager assigns, the assignee completes, an EOD
is submitted then resubmitted, reviewed, and the missing list), isolation (a task of HHG is 404
for a CSR of AFL on every verb, and nothing changes), bad bodies 400 naming the field, cursors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import as_user, assert_error
from tests.helpers import office_id, user_id, venture_id
from tests.integration.operations.conftest import CSR, FRONT_DESK, HOTEL_MANAGER, MANAGER

API = "/api/v1/operations"


def _task(client: TestClient, headers: dict[str, str], **body: object) -> dict[str, object]:
    data = {
        "venture_id": venture_id("AFL"),
        "title": "Call back the shipper",
        "assignee_id": user_id(CSR),
        "office_id": office_id("AFL", "New York HQ"),
    } | body
    resp = client.post(f"{API}/tasks", json=data, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_the_task_and_eod_flow(org_demo, client: TestClient) -> None:
    manager, csr = as_user(MANAGER), as_user(CSR)
    task = _task(client, manager)
    mine = client.get(f"{API}/tasks/mine", headers=csr).json()
    assert task["id"] in [t["id"] for t in mine["items"]]
    done = client.post(f"{API}/tasks/{task['id']}/complete", headers=csr)
    assert done.status_code == 200 and done.json()["status"] == "DONE"
    assert done.json()["completed_at"]
    first = client.post(
        f"{API}/eod", json={"venture_id": venture_id("AFL"), "summary": "Quoted"}, headers=csr
    )
    assert first.status_code == 201 and first.json()["first_submission"] is True
    again = client.post(
        f"{API}/eod", json={"venture_id": venture_id("AFL"), "summary": "Quoted more"}, headers=csr
    )
    assert again.status_code == 200 and again.json()["first_submission"] is False
    report = again.json()["report"]
    assert report["id"] == first.json()["report"]["id"]
    assert client.get(f"{API}/eod/mine", headers=csr).json()["items"][0]["id"] == report["id"]
    reviewed = client.post(
        f"{API}/eod/{report['id']}/review", json={"status": "REVIEWED"}, headers=manager
    )
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "REVIEWED"
    missing = client.get(f"{API}/eod/missing?venture={venture_id('AFL')}", headers=manager).json()
    hq = next(o for o in missing if o["office_name"] == "New York HQ")
    assert user_id(CSR) not in [p["user_id"] for p in hq["missing"]]
    assert_error(
        client.get(f"{API}/eod/missing?venture={venture_id('AFL')}", headers=csr), 403, "forbidden"
    )


def test_a_task_of_hhg_is_not_found_for_a_csr_of_afl(org_demo, client: TestClient) -> None:
    hotel = _task(
        client,
        as_user(HOTEL_MANAGER),
        venture_id=venture_id("HHG"),
        assignee_id=user_id(FRONT_DESK),
        office_id=office_id("HHG", "Midtown Hotels"),
    )
    csr = as_user(CSR)
    tid = hotel["id"]
    assert_error(client.get(f"{API}/tasks/{tid}", headers=csr), 404, "not_found")
    assert_error(client.post(f"{API}/tasks/{tid}/complete", headers=csr), 404, "not_found")
    assert_error(
        client.patch(f"{API}/tasks/{tid}", json={"status": "DONE"}, headers=csr), 404, "not_found"
    )
    listed = client.get(f"{API}/tasks?venture={venture_id('HHG')}", headers=csr).json()
    assert listed["items"] == []
    again = client.get(f"{API}/tasks/{tid}", headers=as_user(HOTEL_MANAGER)).json()
    assert again["status"] == "OPEN" and again["completed_at"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x"}, "venture_id"),
        ({"venture_id": 1, "title": ""}, "title"),
        ({"venture_id": 1, "title": "x", "priority": "URGENT"}, "priority"),
        ({"venture_id": 1, "title": "x", "due_date": "9999-01-01"}, "due_date"),
        ({"venture_id": True, "title": "x"}, "venture_id"),
    ],
)
def test_bad_task_bodies_name_the_field(org_demo, client: TestClient, body, field) -> None:
    err = assert_error(
        client.post(f"{API}/tasks", json=body, headers=as_user(MANAGER)), 400, "invalid"
    )
    assert field in err["fields"]  # type: ignore[operator]


def test_the_task_list_pages_with_a_cursor(org_demo, client: TestClient) -> None:
    manager = as_user(MANAGER)
    made = [_task(client, manager, title=f"Paged {i}")["id"] for i in range(3)]
    seen, cursor = [], None
    while True:
        url = f"{API}/tasks?limit=2&q=Paged" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=manager).json()
        seen += [t["id"] for t in page["items"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert seen == sorted(made, reverse=True)
    bulk = client.post(
        f"{API}/tasks/bulk-status", json={"task_ids": made, "status": "CANCELED"}, headers=manager
    )
    assert bulk.status_code == 200 and bulk.json() == {"changed": 3}
    assert_error(client.get(f"{API}/tasks?cursor=abc", headers=manager), 400, "invalid")
