"""The section rule over HTTP (spec/access.md, "Accessible sections"): an API of a section the
caller does not have answers 403, before it reads anything, for every route of the published
OpenAPI document; the Command center's routes stay open to everyone signed in.

The expected sections of each demo login come from the spec's rule applied to the README's table
of demo users (role and ventures), not from the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from rxapp.api import api
from tests.api.conftest import as_user, assert_error, seed_org

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

ALL_VENTURE_SECTIONS = {"freight", "hospitality", "bpo", "saas", "holdings"}

# email -> the sections spec/access.md gives that demo user (README: role, ventures).
EXPECTED_SECTIONS: dict[str, set[str]] = {
    # EMPLOYEE of HHG (hotels): its venture's section and operations, nothing else.
    "frontdesk.hhg@vcc.example": {"command_center", "hospitality", "operations"},
    # VENTURE_HEAD of HHG only: leadership, but no admin and no freight.
    "head.hotels@vcc.example": {"command_center", "hospitality", "operations"},
    # EMPLOYEE of PBP (BPO).
    "agent.pbp@vcc.example": {"command_center", "bpo", "operations"},
    # CSR of AFL (freight).
    "csr.afl@vcc.example": {"command_center", "freight", "operations"},
    # EMPLOYEE of LGY (SaaS).
    "success.lgy@vcc.example": {"command_center", "saas", "operations"},
    # FINANCE assigned to all seven ventures: every venture section, operations and admin.
    "finance@vcc.example": {"command_center", "operations", "admin"} | ALL_VENTURE_SECTIONS,
    # HR_ADMIN sees all ventures and has admin.
    "hr@vcc.example": {"command_center", "operations", "admin"} | ALL_VENTURE_SECTIONS,
}

API = "/api/v1"
# An id no demo row has: without the section rule a read by id would answer 404.
SOME_ID = "999999"
SOME_RUN = "20261127T070000-3fa9c1d2"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(api) as c:
        yield c


@pytest.fixture
def org_demo(db: TestDatabase) -> TestDatabase:
    """The demo organisation: ventures, offices, every demo login."""
    seed_org(db)
    return db


def section_of(path: str) -> str:
    """The navigation section a route belongs to (spec/access.md): the freight vertical's API is
    the freight section, the hotels' the hospitality section, tasks and EOD reports the
    operations section, the SaaS wing's the saas section, admin areas the admin
    section; me, quick links, ventures, tokens and
    health are the Command center (My Day, quick links, the profile's tokens), and so are
    incentives (everyone reads their own; the domain decides per venture) and leadership's
    overview of the ventures."""
    rest = path.removeprefix(API)
    if rest.startswith("/freight/") or rest == "/freight":
        return "freight"
    if rest.startswith("/operations/"):
        return "operations"
    if rest.startswith("/hospitality/"):
        return "hospitality"
    if rest.startswith("/saas/"):
        return "saas"
    if rest.startswith("/holdings/"):
        return "holdings"
    if rest.startswith("/bpo/"):
        return "bpo"
    if rest.startswith("/admin/jobs/runs"):
        # Executed runs and their files: ACCOUNTING (no Admin section) opens the finance runs of
        # its ventures (the payouts issue), so only the domain's run scope decides.
        return "command_center"
    if rest.startswith("/admin/"):
        return "admin"
    if re.match(r"^/(health|me|quick-links|ventures|auth/tokens|incentives|overview)(/|$)", rest):
        return "command_center"
    if rest.startswith("/gamification/"):
        # My points and the leaderboards are everyone's; the domain decides who edits a config.
        return "command_center"
    raise AssertionError(f"{path}: which section is this route? (add it to section_of)")


def _fill(path: str) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: SOME_RUN if m.group(1) == "run_id" else SOME_ID, path)


def _routes(client: TestClient) -> list[tuple[str, str]]:
    doc = client.get(f"{API}/openapi.json").json()
    return [
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {"headers": headers}
    if method in {"POST", "PUT", "PATCH"}:
        kwargs["json"] = {}
    return client.request(method, _fill(path), **kwargs)


def test_every_route_is_of_a_known_section(db, client: TestClient) -> None:
    routes = _routes(client)
    assert routes
    sections = {section_of(p) for _, p in routes}
    assert sections == {
        "command_center",
        "freight",
        "operations",
        "hospitality",
        "saas",
        "holdings",
        "bpo",
        "admin",
    }


@pytest.mark.parametrize("email", sorted(EXPECTED_SECTIONS))
def test_a_route_of_a_section_the_caller_lacks_is_403(
    org_demo, client: TestClient, email: str
) -> None:
    headers = as_user(email)
    expected = EXPECTED_SECTIONS[email]
    # The domain agrees with the spec about this user (else the walk below proves nothing).
    mine = client.get(f"{API}/me/sections", headers=headers).json()["items"]
    assert {s["key"] for s in mine} == expected

    checked = 0
    for method, path in _routes(client):
        section = section_of(path)
        if section == "command_center" and path == f"{API}/health":
            continue
        resp = _call(client, method, path, headers)
        where = f"{email} {method} {path}"
        if section not in expected:
            err = assert_error(resp, 403, "forbidden")
            assert "no access" in str(err["message"]).lower(), (where, err)
            checked += 1
        else:
            assert resp.status_code < 500, (where, resp.status_code, resp.text)
            if resp.status_code >= 400:
                assert set(resp.json()) == {"error"}, (where, resp.text)
            if section == "command_center" and resp.status_code == 403:
                # Open to everyone signed in: never refused for the section (a role may still
                # be refused an action, e.g. a CSR listing incentive plans).
                message = resp.json()["error"]["message"].lower()
                assert "no access" not in message, (where, resp.text)
    if expected >= {"freight", "admin"}:
        assert checked == 0
    else:
        assert checked > 0


def test_a_hotel_user_gets_403_not_empty_freight_data(org_demo, client: TestClient) -> None:
    """The review's case: a hotel-only user listing loads or reading the KPIs."""
    headers = as_user("frontdesk.hhg@vcc.example")
    for path in ("/freight/loads", "/freight/kpi", f"/freight/loads/{SOME_ID}"):
        assert_error(client.get(f"{API}{path}", headers=headers), 403, "forbidden")
    # ... and a write is refused before its body is even looked at.
    resp = client.post(f"{API}/freight/loads", json={"venture_id": 1}, headers=headers)
    assert_error(resp, 403, "forbidden")


def test_admin_routes_need_the_admin_section_and_the_permission(
    org_demo, client: TestClient
) -> None:
    # ADMIN: admin section and admin.jobs.read.
    admin = as_user("admin@vcc.example")
    assert client.get(f"{API}/admin/jobs/health", headers=admin).status_code == 200
    # FINANCE and the COO have the admin section but not admin.jobs.read (job health is the
    # global admins'): 403 from the permission table.
    for email in ("finance@vcc.example", "coo@vcc.example"):
        resp = client.get(f"{API}/admin/jobs/health", headers=as_user(email))
        err = assert_error(resp, 403, "forbidden")
        assert "no access" not in str(err["message"]).lower()
    # A VENTURE_HEAD has no admin section: 403 from the section rule.
    head = as_user("head.freight@vcc.example")
    err = assert_error(client.get(f"{API}/admin/jobs/health", headers=head), 403, "forbidden")
    assert "no access" in str(err["message"]).lower()
    # The runs are not behind the section: the domain refuses a role that reads no runs.
    err = assert_error(client.get(f"{API}/admin/jobs/runs", headers=head), 403, "forbidden")
    assert "no access" not in str(err["message"]).lower()
