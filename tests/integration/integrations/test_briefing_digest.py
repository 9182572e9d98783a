"""The morning email digest of the briefing (spec/briefing-and-dashboards.md, "Daily briefing":
"an optional morning email digest of the same items to leadership, one per reader, in their
scope") through the real SendGrid client against a local server that counts the requests per
recipient and fails some on purpose.

- Each leadership reader with items gets one email with the items of their ventures only,
  fires, then storms, then wins, each with its link; a reader with none gets no email.
- Once per (reader, date): a second run sends nothing; a digest the provider refused is sent
  by the next run, only that one; many runs at once (PostgreSQL) still send one each.
- The job runs the same through the runner (the notebook's kernel uses the fake sender).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlmodel import select
from werkzeug import Request, Response

from domain.briefing import digest
from domain.briefing.models import BriefingDigest, DigestStatus, Section, Severity
from domain.briefing.services import add_item
from domain.db import read_only, unit_of_work
from domain.integrations.sendgrid import SendGridEmailSender
from domain.jobs.models import RunStatus
from domain.jobs.runner import run_job
from tests.helpers import actor, user_id, venture_id

D = date(2025, 1, 7)  # a day the demo has no briefing item on
MAIL = "/v3/mail/send"


class SendGridServer:
    """Answers ``POST /v3/mail/send`` like SendGrid (202 and an ``X-Message-Id``), counting the
    requests per recipient; recipients in ``down`` get a 503 on every attempt."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.requests: Counter[str] = Counter()
        self.bodies: dict[str, dict[str, Any]] = {}
        self.down: set[str] = set()
        self._lock = threading.Lock()
        self._n = 0
        server.expect_request(MAIL, method="POST").respond_with_handler(self._handle)

    def _handle(self, request: Request) -> Response:
        body = json.loads(request.get_data())
        to = body["personalizations"][0]["to"][0]["email"]
        with self._lock:
            self.requests[to] += 1
            self._n += 1
            n = self._n
            if to in self.down:
                return Response("upstream busy", status=503)
            self.bodies[to] = body
        return Response("", status=202, headers={"X-Message-Id": f"sg-{n}"})

    def sender(self) -> SendGridEmailSender:
        return SendGridEmailSender(
            "SG.key",
            "briefing@vcc.example",
            self.server.url_for("/").rstrip("/"),
            sleep=lambda s: None,
        )

    def text(self, to: str) -> str:
        return str(self.bodies[to]["content"][0]["value"])

    def subject(self, to: str) -> str:
        return str(self.bodies[to]["subject"])


@pytest.fixture
def sendgrid(httpserver: HTTPServer) -> SendGridServer:
    return SendGridServer(httpserver)


def items_of_the_day() -> None:
    """A fire and a win in freight (AFL), a storm in hospitality (HHG), none in BPO (PBP)."""
    with unit_of_work() as uow:
        for code, section, severity, title, link in [
            ("AFL", Section.FREIGHT, Severity.CRITICAL, "Coverage fell 16.0 pts", "/freight/loads"),
            ("AFL", Section.FREIGHT, Severity.INFO, "Big load delivered: L-77", "/freight/loads"),
            ("HHG", Section.HOSPITALITY, Severity.WARN, "Midtown: occupancy down", "/hospitality"),
        ]:
            add_item(
                uow,
                venture_id=venture_id(code),
                business_date=D,
                section=section,
                severity=severity,
                title=title,
                detail=f"{code} evidence",
                link=link,
                source_key=f"signal:test.{severity.lower()}",
            )


def send(server: SendGridServer) -> digest.DigestRun:
    return digest.send_digests(D, dry_run=False, sender=server.sender())


def stored(email: str) -> BriefingDigest | None:
    with read_only() as uow:
        return uow.session.execute(
            select(BriefingDigest).where(
                BriefingDigest.user_id == user_id(email), BriefingDigest.business_date == D
            )
        ).scalar_one_or_none()


def test_each_reader_gets_one_email_with_their_ventures_only(demo, sendgrid) -> None:
    items_of_the_day()
    run = send(sendgrid)
    # The CEO, the COO and the admin read every venture; each venture head reads theirs.
    assert sendgrid.requests == Counter(
        {
            "ceo@vcc.example": 1,
            "coo@vcc.example": 1,
            "admin@vcc.example": 1,
            "head.freight@vcc.example": 1,
            "head.hotels@vcc.example": 1,
        }
    )
    assert run.summary | {"empty": 0} == {
        "readers": run.summary["readers"],
        "sent": 5,
        "failed": 0,
        "already": 0,
        "empty": 0,
        "would_send": 0,
        "opted_out": 0,
    }
    # The BPO head has no item on D: no email, no row.
    assert "head.bpo@vcc.example" not in sendgrid.requests
    assert stored("head.bpo@vcc.example") is None

    coo = sendgrid.text("coo@vcc.example")
    assert sendgrid.subject("coo@vcc.example") == "Briefing 7 Jan 2025: 1 fire, 1 storm, 1 win"
    fires, storms, wins = coo.index("FIRES"), coo.index("STORMS"), coo.index("WINS")
    assert fires < coo.index("Coverage fell") < storms < coo.index("Midtown") < wins
    assert wins < coo.index("Big load delivered")
    assert "http://localhost:3000/freight/loads" in coo
    assert "/briefing?date=2025-01-07" in coo

    freight = sendgrid.text("head.freight@vcc.example")
    assert "Coverage fell" in freight and "Big load delivered" in freight
    assert "HHG" not in freight and "Midtown" not in freight and "STORMS" not in freight
    assert sendgrid.subject("head.freight@vcc.example").endswith("1 fire, 0 storms, 1 win")
    hotels = sendgrid.text("head.hotels@vcc.example")
    assert "Midtown" in hotels and "AFL" not in hotels

    row = stored("coo@vcc.example")
    assert row is not None and row.status == DigestStatus.SENT and row.items == 3
    assert row.provider_message_id and row.provider_message_id.startswith("sg-")


def test_a_second_run_sends_nothing_and_a_refused_digest_is_sent_by_the_next(
    demo, sendgrid
) -> None:
    items_of_the_day()
    sendgrid.down.add("head.hotels@vcc.example")
    first = send(sendgrid)
    assert first.summary["sent"] == 4 and first.summary["failed"] == 1
    refused = stored("head.hotels@vcc.example")
    assert refused is not None and refused.status == DigestStatus.FAILED
    assert refused.last_error and "503" in refused.last_error
    tries = sendgrid.requests["head.hotels@vcc.example"]
    assert tries >= 1

    sendgrid.down.clear()
    second = send(sendgrid)
    assert second.summary["sent"] == 1 and second.summary["already"] == 4
    assert sendgrid.requests["head.hotels@vcc.example"] == tries + 1
    assert all(n == 1 for to, n in sendgrid.requests.items() if to != "head.hotels@vcc.example")
    again = stored("head.hotels@vcc.example")
    assert again is not None and again.status == DigestStatus.SENT and again.attempts == 2

    third = send(sendgrid)
    assert third.summary["sent"] == 0 and third.summary["already"] == 5
    assert sum(sendgrid.requests.values()) == 5 + tries


def test_a_dry_run_says_who_would_get_one_and_sends_nothing(demo, sendgrid) -> None:
    items_of_the_day()
    run = digest.send_digests(D, dry_run=True, sender=sendgrid.sender())
    assert run.summary["would_send"] == 5 and not sendgrid.requests
    assert stored("coo@vcc.example") is None


@pytest.mark.postgres_only
def test_runs_at_once_send_one_email_per_reader(demo, sendgrid) -> None:
    items_of_the_day()
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def work() -> None:
        try:
            barrier.wait(timeout=60)
            send(sendgrid)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors
    assert len(sendgrid.requests) == 5 and set(sendgrid.requests.values()) == {1}


def test_the_job_runs_through_the_runner(demo, tmp_path: Path, monkeypatch) -> None:
    """The notebook's kernel sends with the fake sender, which appends to VCC_FAKE_MAIL_FILE."""
    mail = tmp_path / "mail.jsonl"
    monkeypatch.setenv("VCC_FAKE_MAIL_FILE", str(mail))
    items_of_the_day()
    run = run_job("briefing-digest", business_date=D, venture="all")
    assert run.status == RunStatus.SUCCEEDED, (run.error, run.error_cell)
    assert run.result_summary["sent"] == 5
    sent = [json.loads(line) for line in mail.read_text().splitlines()]
    assert sorted(m["to"] for m in sent) == sorted(
        [
            "admin@vcc.example",
            "ceo@vcc.example",
            "coo@vcc.example",
            "head.freight@vcc.example",
            "head.hotels@vcc.example",
        ]
    )
    again = run_job("briefing-digest", business_date=D, venture="all")
    assert again.status == RunStatus.SUCCEEDED and again.result_summary["sent"] == 0
    assert len(mail.read_text().splitlines()) == 5


def choose(email: str, receive: object) -> digest.DigestChoice:
    with unit_of_work() as uow:
        return digest.set_digest_choice(uow, actor(email), {"receive": receive})


def test_a_reader_who_switched_the_email_off_gets_none_until_they_switch_it_on(
    demo, sendgrid
) -> None:
    """The digest is optional per reader: the COO switches it off and is listed as opted out
    (no email, no row) while the others get theirs; switched on again, the next day's comes."""
    items_of_the_day()
    with read_only() as uow:
        assert digest.digest_choice(uow, actor("coo@vcc.example")) == digest.DigestChoice(
            eligible=True, receive=True
        )  # on unless switched off
    assert choose("coo@vcc.example", False).receive is False
    run = send(sendgrid)
    assert "coo@vcc.example" not in sendgrid.requests and stored("coo@vcc.example") is None
    assert run.summary["opted_out"] == 1 and run.summary["sent"] == 4
    assert [r["status"] for r in run.rows if r["email"] == "coo@vcc.example"] == ["opted_out"]

    assert choose("coo@vcc.example", True).receive is True
    assert send(sendgrid).summary["sent"] == 1  # the COO's, the others' are sent already
    assert sendgrid.requests["coo@vcc.example"] == 1


def test_only_leadership_chooses_and_a_bad_choice_names_the_field(demo) -> None:
    from domain.briefing.models import DigestPreference
    from domain.errors import Forbidden, Invalid

    with read_only() as uow:
        assert digest.digest_choice(uow, actor("csr.afl@vcc.example")) == digest.DigestChoice(
            eligible=False, receive=False
        )
    with pytest.raises(Forbidden):
        choose("csr.afl@vcc.example", False)
    for bad in ("no", None, 0):
        with pytest.raises(Invalid) as err:
            choose("coo@vcc.example", bad)
        assert "receive" in err.value.fields
    with read_only() as uow:
        assert uow.session.execute(select(DigestPreference)).all() == []  # nothing written


@pytest.mark.postgres_only
def test_switches_at_once_leave_one_row(demo) -> None:
    """Twelve switches of one reader from separate connections: one row (the upsert on the
    user's key), holding one of the values sent, and no error."""
    from domain.briefing.models import DigestPreference
    from tests.helpers import at_once

    _, errors = at_once(12, lambda i: choose("coo@vcc.example", i % 2 == 0))
    assert errors == []
    with read_only() as uow:
        rows = uow.session.execute(select(DigestPreference)).scalars().all()
    assert len(rows) == 1 and rows[0].user_id == user_id("coo@vcc.example")
