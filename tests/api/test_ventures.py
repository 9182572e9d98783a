"""``/ventures``: scope, pages, and 404 for anything outside scope, identical to a missing id."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import as_user, assert_error
from tests.helpers import venture_id


def test_list_is_the_scope(org_demo, client: TestClient) -> None:
    page = client.get("/api/v1/ventures", headers=as_user("csr.mbr@vcc.example")).json()
    assert [v["code"] for v in page["items"]] == ["MBR"]
    assert (page["has_more"], page["next_cursor"]) == (False, None)
    names = [
        v["name"]
        for v in client.get("/api/v1/ventures", headers=as_user("ceo@vcc.example")).json()["items"]
    ]
    assert len(names) == 7 and names == sorted(names, key=str.casefold)


def test_pages_follow_the_cursor(org_demo, client: TestClient) -> None:
    headers = as_user("ceo@vcc.example")
    seen: list[str] = []
    sizes: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/ventures", params=params, headers=headers).json()
        seen += [v["code"] for v in page["items"]]
        sizes.append(len(page["items"]))
        if not page["has_more"]:
            assert page["next_cursor"] is None
            break
        cursor = page["next_cursor"]
    assert sizes == [3, 3, 1] and len(seen) == len(set(seen)) == 7


def test_detail_in_scope(org_demo, client: TestClient) -> None:
    resp = client.get(
        f"/api/v1/ventures/{venture_id('AFL')}", headers=as_user("csr.afl@vcc.example")
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["venture"]["code"] == "AFL" and body["venture"]["section"] == "freight"
    assert {o["name"] for o in body["offices"]} == {"New York HQ"}  # the CSR's office only
    assert body["members"] is None  # a CSR does not list colleagues
    assert all(link["venture_id"] == venture_id("AFL") for link in body["links"])


OUTSIDE = [
    ("csr.mbr@vcc.example", "AFL"),
    ("head.hotels@vcc.example", "PBP"),
    ("finance.india@vcc.example", "KSH"),
    ("agent.pbp@vcc.example", "HHG"),
]


def test_out_of_scope_venture_is_404_like_a_missing_one(org_demo, client: TestClient) -> None:
    for email, outside in OUTSIDE:
        headers = as_user(email)
        vid = venture_id(outside)
        hidden = client.get(f"/api/v1/ventures/{vid}", headers=headers)
        missing = client.get("/api/v1/ventures/999999", headers=headers)
        assert_error(hidden, 404, "not_found")
        assert_error(missing, 404, "not_found")
        # Same status, same body (the id asked for is the only difference), same headers.
        assert hidden.text.replace(str(vid), "ID") == missing.text.replace("999999", "ID")
        per_answer = {"content-length": "", "x-request-id": ""}  # differ for every answer
        assert dict(hidden.headers) | per_answer == dict(missing.headers) | per_answer


def test_bad_ids_are_400(org_demo, client: TestClient) -> None:
    headers = as_user("ceo@vcc.example")
    for bad in ["abc", "0", "-3", "1.5", str(2**31), str(2**63), "9" * 30]:
        err = assert_error(client.get(f"/api/v1/ventures/{bad}", headers=headers), 400, "invalid")
        assert list(err["fields"]) == ["venture_id"], (bad, err)  # type: ignore[call-overload]


BAD_LIST_PARAMS: list[tuple[dict[str, object], str]] = [
    ({"limit": 0}, "limit"),
    ({"limit": 201}, "limit"),
    ({"limit": "many"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": "W1sidiIsMV1d"}, "cursor"),  # a well-formed cursor of another list's shape
    ({"include_inactive": "perhaps"}, "include_inactive"),
]


def test_bad_list_params_are_400(org_demo, client: TestClient) -> None:
    headers = as_user("ceo@vcc.example")
    for params, field in BAD_LIST_PARAMS:
        resp = client.get("/api/v1/ventures", params=params, headers=headers)
        err = assert_error(resp, 400, "invalid")
        assert field in err["fields"], (params, err)  # type: ignore[operator]
