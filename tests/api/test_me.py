"""``/me`` and ``/me/sections`` for every demo login, against the spec computed here
independently (spec/access.md, "Accessible sections")."""

from __future__ import annotations

from fastapi.testclient import TestClient

from domain.access.auth import authenticate, start_impersonation
from domain.access.roles import Role
from domain.db import unit_of_work
from domain.demo.org import STAFF, VENTURES
from tests.api.conftest import as_user, assert_error, bearer, session_token
from tests.helpers import user_id

# spec/access.md, written out again on purpose (not imported from the code under test).
SECTION_OF_TYPE = {
    "LOGISTICS": "freight",
    "TRANSPORT": "freight",
    "HOSPITALITY": "hospitality",
    "BPO": "bpo",
    "SAAS": "saas",
    "HOLDINGS": "holdings",
}
ALL_VENTURE_ROLES = {"CEO", "ADMIN", "COO", "AUDITOR", "HR_ADMIN"}
OPERATIONS_WITHOUT_VENTURES = {
    "CEO",
    "ADMIN",
    "COO",
    "VENTURE_HEAD",
    "AUDITOR",
    "FINANCE",
    "HR_ADMIN",
}
ADMIN_SECTION = {"CEO", "ADMIN", "COO", "HR_ADMIN", "FINANCE"}
TYPE_OF_CODE = {code: vtype.value for code, _slug, _name, vtype, *_ in VENTURES}


def expected_codes(role: str, codes: list[str]) -> set[str]:
    return set(TYPE_OF_CODE) if role in ALL_VENTURE_ROLES else set(codes)


def expected_sections(role: str, codes: list[str]) -> set[str]:
    in_scope = expected_codes(role, codes)  # every demo venture is active
    sections = {"command_center"} | {SECTION_OF_TYPE[TYPE_OF_CODE[c]] for c in in_scope}
    if in_scope or role in OPERATIONS_WITHOUT_VENTURES:
        sections.add("operations")
    if role in ADMIN_SECTION:
        sections.add("admin")
    return sections


def test_sections_of_each_demo_login_match_the_spec(demo, client: TestClient) -> None:
    wrong: dict[str, object] = {}
    for email, _name, role_enum, codes, _offices in STAFF:
        role = role_enum.value
        headers = as_user(email)
        resp = client.get("/api/v1/me/sections", headers=headers)
        assert resp.status_code == 200, resp.text
        keys = [s["key"] for s in resp.json()["items"]]
        if set(keys) != expected_sections(role, codes) or len(keys) != len(set(keys)):
            wrong[email] = {"got": keys, "expected": sorted(expected_sections(role, codes))}
        assert keys[0] == "command_center" and all(s["title"] for s in resp.json()["items"])

        me = client.get("/api/v1/me", headers=headers).json()
        assert me["user"]["email"] == email and me["role"] == role == me["user"]["role"]
        assert {v["code"] for v in me["ventures"]} == expected_codes(role, codes), email
        assert me["impersonating"] is False and me["real_user"] is None
    assert not wrong, wrong
    assert {row[2] for row in STAFF} == set(Role)  # every role has a demo login


def test_acting_as_someone_shows_their_sections_and_the_real_user(
    org_demo, client: TestClient
) -> None:
    token = session_token("ceo@vcc.example")
    ceo = authenticate(token)
    with unit_of_work() as uow:
        start_impersonation(uow, ceo, user_id("csr.afl@vcc.example"))
    me = client.get("/api/v1/me", headers=bearer(token)).json()
    assert me["user"]["email"] == "csr.afl@vcc.example" and me["role"] == Role.CSR
    assert me["impersonating"] is True
    assert me["real_user"] == {
        "id": user_id("ceo@vcc.example"),
        "email": "ceo@vcc.example",
        "name": "Maya Chen",
        "role": "CEO",
    }
    assert [v["code"] for v in me["ventures"]] == ["AFL"]
    keys = {
        s["key"] for s in client.get("/api/v1/me/sections", headers=bearer(token)).json()["items"]
    }
    assert keys == expected_sections("CSR", ["AFL"])


def test_the_callers_morning_email_over_http(org_demo, client: TestClient) -> None:
    """``/api/v1/me/briefing-digest``: a leader reads and switches their own choice; someone the
    digest is not for reads eligible false and is refused (403); a bad value names the field."""
    coo, csr = as_user("coo@vcc.example"), as_user("csr.afl@vcc.example")
    url = "/api/v1/me/briefing-digest"
    assert client.get(url, headers=coo).json() == {"eligible": True, "receive": True}
    resp = client.put(url, headers=coo, json={"receive": False})
    assert resp.status_code == 200 and resp.json() == {"eligible": True, "receive": False}
    assert client.get(url, headers=coo).json()["receive"] is False
    bad = client.put(url, headers=coo, json={"receive": "off"})
    assert bad.status_code == 400 and "receive" in bad.json()["error"]["fields"]
    assert client.get(url, headers=csr).json() == {"eligible": False, "receive": False}
    assert_error(client.put(url, headers=csr, json={"receive": True}), 403, "forbidden")
