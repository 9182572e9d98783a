"""Schemathesis against /api/v1/openapi.json with a valid token: schema examples, boundary values
(coverage phase) and generated valid and invalid requests (fuzzing phase) to every operation
never get a 5xx. Bounded and deterministic, so it is quick and the same on every run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from domain import db as dbmod
from rxapp.api import api
from tests.api.conftest import api_token, bearer, seed_org
from tests.conftest import BACKENDS

if TYPE_CHECKING:  # imported for annotations only: pytest would try to collect the class
    from tests.conftest import TestDatabase

# Examples per operation in the fuzzing phase (the coverage phase adds its boundary cases);
# operations that write get more, as they reach the database with what they were sent.
EXAMPLES = 10
WRITE_EXAMPLES = 20

CONFIG = SchemathesisConfig.from_dict(
    {
        "suppress-health-check": ["all"],
        "generation": {
            "mode": "all",  # valid and invalid requests
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        "operations": [
            {
                "include-method-regex": "^(POST|PUT|PATCH)$",
                "generation": {"max-examples": WRITE_EXAMPLES},
            }
        ],
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }
)
# Loading only reads the OpenAPI document (no database).
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api, config=CONFIG)


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_db(
    request: pytest.FixtureRequest, databases: dict[str, TestDatabase]
) -> Iterator[TestDatabase]:
    """One seeded database per backend for all operations (like ``org_demo``, seeded once: the
    operations run in document order, revoking tokens last)."""
    database = databases[request.param]
    dbmod.use_database(database.url)
    try:
        seed_org(database)
        yield database
    finally:
        dbmod.use_database(None)
        database.reset()


@pytest.fixture(scope="module")
def auth(fuzz_db: TestDatabase) -> dict[str, str]:
    return bearer(api_token("ceo@vcc.example"))  # a role that may attempt every write


@schema.parametrize()
def test_no_operation_answers_5xx(case: schemathesis.Case, auth: dict[str, str]) -> None:
    resp = case.call(headers=auth)
    assert resp.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {resp.status_code} {resp.text[:300]}\n"
        f"{case.as_curl_command()}"
    )
