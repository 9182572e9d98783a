"""Authentication of /api/v1: sessions (bearer or cookie), API tokens, and every way to fail."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from domain import clock
from domain.access.auth import logout
from domain.db import unit_of_work
from tests.api.conftest import api_token, as_user, assert_error, bearer, session_token
from tests.helpers import user_id

CSR = "csr.afl@vcc.example"


def test_no_credentials_is_401_with_the_envelope(org_demo, client: TestClient) -> None:
    resp = client.get("/api/v1/me")
    assert_error(resp, 401, "unauthenticated")
    assert resp.headers["www-authenticate"].startswith("Bearer")


FORGED = [
    "Bearer vcc_" + "A" * 43,  # looks like an API token, is not one
    "Bearer not-a-session-token",
    "Bearer " + "x" * 43,
    "Basic dXNlcjpwYXNz",  # another scheme never falls back to anything
    "Bearer",
    "vcc_forged",
]


def test_forged_credentials_are_401(org_demo, client: TestClient) -> None:
    for header in FORGED:
        resp = client.get("/api/v1/me", headers={"Authorization": header})
        assert_error(resp, 401, "unauthenticated")
        assert "user" not in resp.text, header


def test_a_forged_cookie_is_401(org_demo, client: TestClient) -> None:
    client.cookies.set("vcc_session", "forged-session")
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


def test_session_as_bearer_and_as_cookie(org_demo, client: TestClient) -> None:
    token = session_token(CSR)
    me = client.get("/api/v1/me", headers=bearer(token)).json()
    assert (me["user"]["email"], me["auth"]) == (CSR, "session")
    client.cookies.set("vcc_session", token)
    assert client.get("/api/v1/me").json()["user"]["email"] == CSR
    # A bad Authorization header is refused even when a valid cookie is present.
    assert_error(
        client.get("/api/v1/me", headers={"Authorization": "Basic eA=="}), 401, "unauthenticated"
    )


def test_a_cross_site_write_with_the_cookie_is_refused(org_demo, client: TestClient) -> None:
    client.cookies.set("vcc_session", session_token(CSR))
    cross_site = {"Sec-Fetch-Site": "cross-site"}
    assert client.get("/api/v1/me", headers=cross_site).status_code == 200
    resp = client.post("/api/v1/auth/tokens", headers=cross_site)
    assert_error(resp, 403, "forbidden")
    same_origin = {"Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/v1/auth/tokens", headers=same_origin).status_code == 201
    # A bearer token is never sent by a browser on its own: no such check.
    raw = api_token(CSR)
    resp = client.post("/api/v1/auth/tokens", headers=cross_site | bearer(raw))
    assert resp.status_code == 201


def test_expired_session_is_401(org_demo, client: TestClient) -> None:
    token = session_token(CSR)
    with clock.frozen(clock.now() + timedelta(hours=13)):  # idle limit is 12 h
        err = assert_error(client.get("/api/v1/me", headers=bearer(token)), 401, "unauthenticated")
    assert "expired" in str(err["message"])


def test_logged_out_session_is_401(org_demo, client: TestClient) -> None:
    token = session_token(CSR)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with unit_of_work() as uow:
        logout(uow, token)
    assert_error(client.get("/api/v1/me", headers=bearer(token)), 401, "unauthenticated")


def test_token_create_use_list_revoke(org_demo, client: TestClient) -> None:
    session = as_user(CSR)
    created = client.post("/api/v1/auth/tokens", json={"name": "ci", "days": 30}, headers=session)
    assert created.status_code == 201, created.text
    raw, view = created.json()["raw_token"], created.json()["token"]
    assert raw.startswith("vcc_") and view["prefix"] == raw[:12] and view["name"] == "ci"
    assert view["revoked_at"] is None and view["user_id"] == user_id(CSR)

    me = client.get("/api/v1/me", headers=bearer(raw)).json()
    assert (me["user"]["email"], me["auth"]) == (CSR, "token")

    listed = client.get("/api/v1/auth/tokens", headers=bearer(raw)).json()
    assert [t["id"] for t in listed["items"]] == [view["id"]]
    assert listed["items"][0]["last_used_at"] is not None  # the use above was recorded
    assert raw not in client.get("/api/v1/auth/tokens", headers=session).text  # shown once

    revoked = client.delete(f"/api/v1/auth/tokens/{view['id']}", headers=session)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    err = assert_error(client.get("/api/v1/me", headers=bearer(raw)), 401, "unauthenticated")
    assert "revoked" in str(err["message"])
    # Revoking again is harmless; the listing keeps the revoked token.
    assert client.delete(f"/api/v1/auth/tokens/{view['id']}", headers=session).status_code == 200
    assert client.get("/api/v1/auth/tokens", headers=session).json()["items"][0]["revoked_at"]


def test_a_token_can_revoke_itself(org_demo, client: TestClient) -> None:
    raw = api_token(CSR)
    token_id = client.get("/api/v1/auth/tokens", headers=bearer(raw)).json()["items"][0]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=bearer(raw)).status_code == 200
    assert_error(client.get("/api/v1/me", headers=bearer(raw)), 401, "unauthenticated")


def test_expired_api_token_is_401(org_demo, client: TestClient) -> None:
    raw = api_token(CSR, days=1)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    with clock.frozen(clock.now() + timedelta(days=2)):
        err = assert_error(client.get("/api/v1/me", headers=bearer(raw)), 401, "unauthenticated")
    assert "expired" in str(err["message"])


def test_someone_elses_token_is_not_found(org_demo, client: TestClient) -> None:
    api_token("csr.mbr@vcc.example")
    other_id = client.get("/api/v1/auth/tokens", headers=as_user("csr.mbr@vcc.example")).json()[
        "items"
    ][0]["id"]
    resp = client.delete(f"/api/v1/auth/tokens/{other_id}", headers=as_user(CSR))
    assert_error(resp, 404, "not_found")
    assert_error(
        client.delete("/api/v1/auth/tokens/999999", headers=as_user(CSR)), 404, "not_found"
    )


def test_only_global_admins_mint_tokens_for_others_and_only_for_service_accounts(
    org_demo, client: TestClient
) -> None:
    from domain.org.services import create_user
    from tests.helpers import actor

    other = user_id("csr.mbr@vcc.example")
    resp = client.post("/api/v1/auth/tokens", json={"user_id": other}, headers=as_user(CSR))
    assert_error(resp, 403, "forbidden")
    admin = as_user("admin@vcc.example")
    resp = client.post("/api/v1/auth/tokens", json={"user_id": other}, headers=admin)
    assert_error(resp, 403, "forbidden")  # a person's token is theirs alone
    with unit_of_work() as uow:
        bot = create_user(
            uow,
            actor("admin@vcc.example"),
            {
                "email": "bot@vcc.example",
                "name": "Bot",
                "role": "AUDITOR",
                "is_service_account": True,
            },
        ).id
    resp = client.post("/api/v1/auth/tokens", json={"user_id": bot}, headers=admin)
    assert resp.status_code == 201 and resp.json()["token"]["user_id"] == bot


def test_token_without_body_gets_the_defaults(org_demo, client: TestClient) -> None:
    resp = client.post("/api/v1/auth/tokens", headers=as_user(CSR))
    assert resp.status_code == 201, resp.text
    assert resp.json()["token"]["name"] == "API token"


BAD_TOKEN_BODIES: list[tuple[dict[str, object], str]] = [
    ({"days": 0}, "days"),
    ({"days": 367}, "days"),
    ({"days": "soon"}, "days"),
    ({"name": "n" * 81}, "name"),
    ({"name": 5}, "name"),
    ({"name": "a\x00b"}, "name"),
    ({"scope": "all"}, "scope"),  # unknown field
    ({"user_id": 10**20}, "user_id"),
]


def test_bad_token_bodies_are_400(org_demo, client: TestClient) -> None:
    headers = as_user(CSR)
    for body, field in BAD_TOKEN_BODIES:
        resp = client.post("/api/v1/auth/tokens", json=body, headers=headers)
        err = assert_error(resp, 400, "invalid")
        assert field in err["fields"], (body, err)  # type: ignore[operator]
