"""The dialer's call CSV (issue 14): all-or-nothing on both databases; a 10,000-line file with
one bad line writes nothing and names the line and field; the same file fixed writes every call
and the KPI days it touched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain import clock
from domain.bpo import services
from domain.bpo.csv_import import COLUMNS
from domain.bpo.models import BpoCallLog, BpoKpiDaily
from domain.db import read_only, unit_of_work
from domain.errors import Invalid
from tests.helpers import actor
from tests.integration.bpo.conftest import AGENT, HEAD, KOLKATA, LEAD, build_world

N = 10_000


def calls_csv(n: int, *, bad: dict[int, str] | None = None) -> bytes:
    """``n`` calls of the demo agent over the last 5 days (Kolkata); ``bad`` replaces the line
    at a 0-based data index."""
    start, _ = clock.day_bounds_utc(clock.today(KOLKATA) - timedelta(days=5), KOLKATA)
    lines = [",".join(COLUMNS)]
    for i in range(n):
        t = start + timedelta(seconds=37 * i)
        end = t + timedelta(seconds=30 + i % 200)
        won = "yes" if i % 50 == 0 else "no"
        text = (
            f"{AGENT},Solar leads,{t.isoformat()},{end.isoformat()},{1 + i % 3},"
            f"{'yes' if i % 4 == 0 else 'no'},no,{won},{'100.00' if won == 'yes' else '0'},"
        )
        lines.append((bad or {}).get(i, text))
    return ("\n".join(lines) + "\n").encode()


def _calls() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(BpoCallLog)).scalar_one())


def test_ten_thousand_lines_with_one_bad_write_nothing_then_all(demo) -> None:
    w = build_world()
    bad_end = "2020-01-01T00:00:00+00:00"
    line = f"{AGENT},Solar leads,2026-11-27T10:00:00+05:30,{bad_end},1,yes,no,no,0,"  # ends first
    data = calls_csv(N, bad={6_000: line})
    with unit_of_work() as uow, pytest.raises(Invalid) as err:
        services.import_calls_csv(uow, actor(HEAD), w.pbp, data)
    assert err.value.fields == {"line 6002: ended_at": "is before started_at"}
    assert "1 bad line" in str(err.value)
    assert _calls() == 0
    with unit_of_work() as uow:
        result = services.import_calls_csv(uow, actor(HEAD), w.pbp, calls_csv(N))
    assert result.rows_written == N and _calls() == N
    with read_only() as uow:
        days = list(uow.session.execute(select(BpoKpiDaily)).scalars())
        assert sum(d.dials for d in days) == sum(1 + i % 3 for i in range(N))
        assert sum(d.deals for d in days) == len(range(0, N, 50))
        assert len(days) == result.days


def test_every_bad_line_is_named_with_its_field(demo) -> None:
    w = build_world()
    data = calls_csv(
        5,
        bad={
            0: f"{AGENT},Nope,2026-11-27T10:00:00+05:30,,1,no,no,no,0,",
            1: f"{AGENT},Solar leads,2026-11-27T10:00:00,,0,maybe,no,no,-5,",
            2: "someone@else.example,Solar leads,2026-11-27T10:00:00+05:30,,1,no,no,no,0,",
        },
    )
    with unit_of_work() as uow, pytest.raises(Invalid) as err:
        services.import_calls_csv(uow, actor(HEAD), w.pbp, data)
    assert set(err.value.fields) == {
        "line 2: campaign",
        "line 3: started_at",
        "line 3: dial_count",
        "line 3: connected",
        "line 3: revenue",
        "line 4: agent_email",
    }
    assert _calls() == 0


def test_only_managers_import_and_another_venture_is_not_found(demo) -> None:
    from domain.errors import Forbidden, NotFound

    w = build_world()
    with unit_of_work() as uow, pytest.raises(Forbidden):
        services.import_calls_csv(uow, actor(AGENT), w.pbp, calls_csv(1))
    with unit_of_work() as uow, pytest.raises(NotFound):
        services.import_calls_csv(uow, actor(LEAD), w.other_venture, calls_csv(1))
    assert _calls() == 0
