"""``/quick-links``: what each user sees, personal links end to end, who may manage the others,
and bad bodies answered 400 naming each field."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import as_user, assert_error
from tests.helpers import venture_id

CSR = "csr.afl@vcc.example"


def test_a_csr_sees_global_their_venture_and_their_own_links(org_demo, client: TestClient) -> None:
    items = client.get("/api/v1/quick-links", headers=as_user(CSR)).json()["items"]
    owners = [q["owner"] for q in items]
    assert owners == ["global"] * 3 + ["venture"] * 2 + ["personal"]
    assert {q["venture_id"] for q in items if q["owner"] == "venture"} == {venture_id("AFL")}
    assert [q["editable"] for q in items] == [False] * 5 + [True]
    only_mine = client.get(
        "/api/v1/quick-links", params={"owner": "personal"}, headers=as_user(CSR)
    ).json()["items"]
    assert [q["label"] for q in only_mine] == ["My customer list"]
    groups = client.get("/api/v1/quick-links/groups", headers=as_user(CSR)).json()["items"]
    assert [(g["kind"], g["venture_code"]) for g in groups] == [
        ("global", None),
        ("venture", "AFL"),
        ("personal", None),
    ]


def test_pages_of_links_cover_the_list_once(org_demo, client: TestClient) -> None:
    headers = as_user("ceo@vcc.example")
    everything = client.get("/api/v1/quick-links", params={"limit": 200}, headers=headers).json()
    ids, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/quick-links", params=params, headers=headers).json()
        ids += [q["id"] for q in page["items"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert ids == [q["id"] for q in everything["items"]] and len(ids) == len(set(ids)) > 4


def test_personal_link_lifecycle(org_demo, client: TestClient) -> None:
    headers = as_user(CSR)
    made = client.post(
        "/api/v1/quick-links",
        json={"label": "  Rate sheet  ", "url": "https://rates.example/afl", "icon": "table"},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    link = made.json()
    assert (link["label"], link["owner"], link["editable"]) == ("Rate sheet", "personal", True)

    renamed = client.patch(
        f"/api/v1/quick-links/{link['id']}", json={"label": "Rates"}, headers=headers
    )
    assert renamed.status_code == 200 and renamed.json()["label"] == "Rates"
    assert renamed.json()["url"] == "https://rates.example/afl"
    assert renamed.json()["icon"] == "table"  # left out: kept
    # null clears the icon (optional) but is refused for the label, naming it.
    err = assert_error(
        client.patch(f"/api/v1/quick-links/{link['id']}", json={"label": None}, headers=headers),
        400,
        "invalid",
    )
    assert err["fields"] == {"label": "cannot be empty"}
    cleared = client.patch(
        f"/api/v1/quick-links/{link['id']}", json={"icon": None}, headers=headers
    )
    assert cleared.status_code == 200 and cleared.json()["icon"] is None
    assert cleared.json()["label"] == "Rates"

    mine = client.get("/api/v1/quick-links", params={"owner": "personal"}, headers=headers)
    order = [q["id"] for q in mine.json()["items"]]
    assert order[-1] == link["id"]
    reordered = client.put("/api/v1/quick-links/order", json={"ids": order[::-1]}, headers=headers)
    assert reordered.status_code == 200, reordered.text
    assert [q["id"] for q in reordered.json()["items"]] == order[::-1]
    again = client.get("/api/v1/quick-links", params={"owner": "personal"}, headers=headers)
    assert [q["id"] for q in again.json()["items"]] == order[::-1]

    assert client.delete(f"/api/v1/quick-links/{link['id']}", headers=headers).status_code == 204
    assert_error(
        client.patch(f"/api/v1/quick-links/{link['id']}", json={"label": "x"}, headers=headers),
        404,
        "not_found",
    )
    # Someone else's personal link does not exist for this user.
    other = client.post(
        "/api/v1/quick-links",
        json={"label": "Mine", "url": "https://x.example/"},
        headers=as_user("csr.mbr@vcc.example"),
    ).json()
    assert_error(
        client.delete(f"/api/v1/quick-links/{other['id']}", headers=headers), 404, "not_found"
    )


def test_global_and_venture_links_are_read_only_unless_managed(
    org_demo, client: TestClient
) -> None:
    items = client.get("/api/v1/quick-links", headers=as_user(CSR)).json()["items"]
    global_id = next(q["id"] for q in items if q["owner"] == "global")
    afl_link = next(q["id"] for q in items if q["owner"] == "venture")
    new_global = {"label": "Wiki", "url": "https://wiki.example/", "owner": "global"}

    assert_error(
        client.post("/api/v1/quick-links", json=new_global, headers=as_user(CSR)), 403, "forbidden"
    )
    assert_error(
        client.patch(f"/api/v1/quick-links/{global_id}", json={"label": "x"}, headers=as_user(CSR)),
        403,
        "forbidden",
    )
    assert_error(
        client.delete(f"/api/v1/quick-links/{afl_link}", headers=as_user(CSR)), 403, "forbidden"
    )
    # A link of a venture outside scope is not there at all.
    assert_error(
        client.delete(f"/api/v1/quick-links/{afl_link}", headers=as_user("csr.mbr@vcc.example")),
        404,
        "not_found",
    )

    admin = client.post(
        "/api/v1/quick-links", json=new_global, headers=as_user("admin@vcc.example")
    )
    assert admin.status_code == 201 and admin.json()["owner"] == "global"

    head = as_user("head.hotels@vcc.example")
    hhg = {"label": "PMS", "url": "https://pms.example/", "owner": "venture"}
    made = client.post(
        "/api/v1/quick-links", json=hhg | {"venture_id": venture_id("HHG")}, headers=head
    )
    assert made.status_code == 201 and made.json()["venture_id"] == venture_id("HHG")
    assert_error(
        client.post(
            "/api/v1/quick-links", json=hhg | {"venture_id": venture_id("AFL")}, headers=head
        ),
        404,
        "not_found",
    )


VALID = {"label": "Docs", "url": "https://docs.example/"}

BAD_CREATE: list[tuple[object, str]] = [
    ({"label": 123, "url": VALID["url"]}, "label"),  # wrong type
    ({"label": ["Docs"], "url": VALID["url"]}, "label"),
    ({"label": "Docs", "url": 42}, "url"),
    ({"url": VALID["url"]}, "label"),  # missing
    ({"label": "Docs"}, "url"),
    ({"label": "", "url": VALID["url"]}, "label"),
    ({"label": "Docs", "url": "javascript:alert(1)"}, "url"),  # bad scheme
    ({"label": "Docs", "url": "ftp://files.example/"}, "url"),
    ({"label": "Docs", "url": "https://"}, "url"),
    ({"label": "Docs", "url": "http://[::1"}, "url"),
    ({"label": "Docs", "url": "https://x.example/" + "a" * 2000}, "url"),  # too long
    ({"label": "L" * 81, "url": VALID["url"]}, "label"),  # too long label
    ({**VALID, "icon": "i" * 41}, "icon"),
    ({**VALID, "color": "red"}, "color"),  # extra field
    ({**VALID, "owner": "team"}, "owner"),
    ({**VALID, "owner": "venture"}, "venture_id"),
    ({**VALID, "venture_id": 1}, "venture_id"),  # only for venture links
    ({**VALID, "owner": "venture", "venture_id": "x"}, "venture_id"),
    ({**VALID, "owner": "venture", "venture_id": 10**20}, "venture_id"),
    ({"label": "a\x00b", "url": VALID["url"]}, "label"),
    ([VALID], "body"),  # not an object
    ("Docs", "body"),
    (None, "body"),
]


def test_bad_create_bodies_are_400_naming_the_field(org_demo, client: TestClient) -> None:
    headers = as_user(CSR)
    for body, field in BAD_CREATE:
        resp = client.post("/api/v1/quick-links", json=body, headers=headers)
        err = assert_error(resp, 400, "invalid")
        assert field in err["fields"], (body, err)  # type: ignore[operator]
    assert client.post("/api/v1/quick-links", json=VALID, headers=headers).status_code == 201


def test_bad_patch_and_order_bodies_are_400(org_demo, client: TestClient) -> None:
    headers = as_user(CSR)
    link = client.post("/api/v1/quick-links", json=VALID, headers=headers).json()
    url = f"/api/v1/quick-links/{link['id']}"
    cases: list[tuple[str, str, object, str]] = [
        ("PATCH", url, {"url": "mailto:a@b.example"}, "url"),
        ("PATCH", url, {"label": "x" * 81}, "label"),
        ("PATCH", url, {"label": 7}, "label"),
        ("PATCH", url, {"owner": "global"}, "owner"),  # not changeable
        ("PATCH", "/api/v1/quick-links/abc", {"label": "x"}, "link_id"),
        ("PUT", "/api/v1/quick-links/order", {"ids": [link["id"], 999_999]}, "ids"),
        ("PUT", "/api/v1/quick-links/order", {"ids": "1,2"}, "ids"),
        ("PUT", "/api/v1/quick-links/order", {"ids": [0]}, "ids.0"),
        ("PUT", "/api/v1/quick-links/order", {}, "ids"),
        ("PUT", "/api/v1/quick-links/order", {"ids": [], "owner": "venture"}, "venture_id"),
    ]
    for method, path, body, field in cases:
        resp = client.request(method, path, json=body, headers=headers)
        err = assert_error(resp, 400, "invalid")
        assert field in err["fields"], (method, path, body, err)  # type: ignore[operator]


MALFORMED: list[tuple[bytes, str]] = [
    (b'{"label": "Docs", "url": ', "application/json"),
    (b"{label: 'Docs'}", "application/json"),
    (b'{"label": "Docs"} trailing', "application/json"),
    (b"\xff\xfe\x00", "application/json"),
    (b"label=Docs&url=https://x.example/", "application/x-www-form-urlencoded"),
    (b'{"label": "Docs", "url": "https://x.example/"}', "text/plain"),
    (b'{"label": "Docs", "url": "https://x.example/"}', ""),
]


def test_malformed_or_non_json_bodies_are_400(org_demo, client: TestClient) -> None:
    for content, content_type in MALFORMED:
        headers = as_user(CSR) | ({"Content-Type": content_type} if content_type else {})
        resp = client.post("/api/v1/quick-links", content=content, headers=headers)
        err = assert_error(resp, 400, "invalid")
        assert "body" in err["fields"], (content, err)  # type: ignore[operator]
