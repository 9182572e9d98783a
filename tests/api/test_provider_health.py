"""An open circuit breaker of a provider in use: ``/api/v1/health`` says degraded (still 200, the
instance serves), and the admin jobs health lists each provider's breaker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from domain.integrations.http import breaker, reset_breakers
from domain.settings import reset_settings
from tests.api.conftest import as_user


@pytest.fixture
def sendgrid_configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("VCC_EMAIL_PROVIDER", "sendgrid")
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.test-key-0123456789")
    reset_settings()
    reset_breakers()
    yield
    monkeypatch.undo()
    reset_settings()
    reset_breakers()


def test_health_is_degraded_while_a_providers_breaker_is_open(
    org_demo, client: TestClient, sendgrid_configured: None
) -> None:
    ok = client.get("/api/v1/health")
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    assert ok.json()["providers"] == {"fmcsa": "fake", "sendgrid": "closed", "twilio": "fake"}

    breaker("sendgrid").open()
    degraded = client.get("/api/v1/health")
    assert degraded.status_code == 200
    assert degraded.json()["status"] == "degraded"
    assert degraded.json()["providers"]["sendgrid"] == "open"

    jobs = client.get("/api/v1/admin/jobs/health", headers=as_user("ceo@vcc.example")).json()
    sendgrid = next(p for p in jobs["providers"] if p["provider"] == "sendgrid")
    assert sendgrid["state"] == "open" and sendgrid["in_use"] and sendgrid["trial_at"]
    assert jobs["status"] in ("degraded", "failing")

    breaker("sendgrid").close()
    assert client.get("/api/v1/health").json()["status"] == "ok"
