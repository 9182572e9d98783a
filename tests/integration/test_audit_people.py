"""The audit page's user filter choices: people who appear in the log, for audit readers only."""

import pytest

from domain.access.audit import audit_people
from domain.access.auth import login_with_password
from domain.db import read_only, unit_of_work
from domain.demo import DEMO_PASSWORD
from domain.errors import Forbidden
from tests.helpers import actor


def test_people_in_the_log_for_audit_readers_only(demo) -> None:
    for email in ("csr.afl@vcc.example", "finance@vcc.example"):
        with unit_of_work() as uow:
            login_with_password(uow, email, DEMO_PASSWORD)
    with read_only() as uow:
        people = audit_people(uow, actor("auditor@vcc.example"))
    emails = [p.email for p in people]
    assert {"csr.afl@vcc.example", "finance@vcc.example"} <= set(emails)
    assert "ceo@vcc.example" not in emails  # never signed in: not in the log
    assert [p.name for p in people] == sorted(p.name for p in people)
    with read_only() as uow, pytest.raises(Forbidden):
        audit_people(uow, actor("csr.afl@vcc.example"))
