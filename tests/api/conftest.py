"""API tests: FastAPI's TestClient on the ``api`` object itself (no Reflex server), on SQLite and
PostgreSQL through the shared ``db``/``demo`` fixtures.

Most tests use ``org_demo``: the demo organisation alone (ventures, offices, every demo login,
quick links), which is all these routes read. The full ``demo`` seed also generates every
vertical's data and costs ~2 s a test; the per-login sections test runs on it once per database.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Iterator

import httpx
import pytest

with warnings.catch_warnings():  # starlette's notice about httpx, raised on import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from domain.access.auth import create_api_token, login_with_password
from domain.db import unit_of_work
from domain.demo import DEMO_PASSWORD, DemoContext, Size
from domain.demo import org as demo_org
from rxapp.api import api
from tests.conftest import TestDatabase
from tests.helpers import actor


def seed_org(database: TestDatabase) -> None:
    """The demo organisation (the first step of ``domain.demo.seed``), same size and seed."""
    with unit_of_work(database.engine) as uow:
        rng = random.Random(7)
        demo_org.seed(
            DemoContext(uow=uow, engine=database.engine, size=Size.SMALL, seed=7, rng=rng)
        )


@pytest.fixture
def org_demo(db: TestDatabase) -> TestDatabase:
    seed_org(db)
    return db


@pytest.fixture
def client() -> Iterator[TestClient]:
    # raise_server_exceptions (the default) turns any unhandled error into a failing test.
    with TestClient(api) as c:
        yield c


def session_token(email: str) -> str:
    """A web-session token, obtained the way the login page obtains one."""
    with unit_of_work() as uow:
        return login_with_password(uow, email, DEMO_PASSWORD).token


def api_token(email: str, *, days: int | None = None) -> str:
    with unit_of_work() as uow:
        _view, raw = create_api_token(uow, actor(email), days=days)
    return raw


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def as_user(email: str) -> dict[str, str]:
    return bearer(session_token(email))


def assert_error(resp: httpx.Response, status: int, code: str) -> dict[str, object]:
    """The response is the platform's error envelope with this status and code."""
    assert resp.status_code == status, (resp.status_code, resp.text)
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert err["code"] == code, body
    assert isinstance(err["message"], str) and err["message"], body
    assert set(err) <= {"code", "message", "fields"}, body
    return err
