"""The KPI-record CSV (issue 14: "CSV import of call logs and of KPI records, all-or-nothing
with every bad line named"), on both databases: a 10,000-line file with one bad line writes
nothing and names the line and field; several bad lines are each named; the file fixed writes
one record per (campaign, agent, date) and the KPI days it touched; the same file again leaves
the same records; only the venture's managers import, another venture's head finds no PBP."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain import clock
from domain.bpo import services
from domain.bpo.csv_import import KPI_COLUMNS, kpi_template_csv
from domain.bpo.models import BpoKpiDaily, BpoKpiRecord
from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, Invalid, NotFound
from domain.events.models import OutboxEvent
from tests.helpers import actor, office_id, user_id
from tests.integration.bpo.conftest import (
    AGENT,
    HEAD,
    KOLKATA,
    LEAD,
    OTHER_HEAD,
    World,
    build_world,
    join_venture,
)

N = 10_000
DAYS = 250
AGENTS = (AGENT, LEAD)  # both agents of every campaign below
CAMPAIGNS = N // (DAYS * len(AGENTS))  # 20: Solar leads and 19 more


def _campaigns(w: World) -> list[str]:
    """Solar leads and 19 more Salt Lake campaigns, each with both agents (built through the
    services), so 10,000 lines are 10,000 distinct (campaign, agent, date)."""
    names = ["Solar leads"] + [f"KPI {i:02}" for i in range(1, CAMPAIGNS)]
    head = actor(HEAD)
    with unit_of_work() as uow:
        for name in names[1:]:
            c = services.create_campaign(
                uow,
                head,
                {
                    "venture_id": w.pbp,
                    "office_id": office_id("PBP", "Salt Lake"),
                    "name": name,
                    "client": "SunCo",
                },
            )
            for email in AGENTS:
                services.create_agent(uow, head, {"user_id": user_id(email), "campaign_id": c.id})
    return names


def _qa(i: int) -> str:
    return f"{60 + i % 40}.5"


def _line(names: list[str], i: int, qa: str | None = None) -> str:
    """The ``i``-th data line: over the last ``DAYS`` days (Kolkata, yesterday backwards), both
    agents, then the next campaign."""
    day = clock.today(KOLKATA) - timedelta(days=1 + i % DAYS)
    email = AGENTS[(i // DAYS) % len(AGENTS)]
    campaign = names[i // (DAYS * len(AGENTS))]
    score = _qa(i) if qa is None else qa
    return f"{email},{campaign},{day.isoformat()},{40 + i % 7},{3600 + i},{score},3,1,250.00"


def kpi_csv(names: list[str], n: int = N, *, bad: dict[int, str] | None = None) -> bytes:
    """``n`` KPI lines; ``bad`` replaces the line at a 0-based data index."""
    lines = [",".join(KPI_COLUMNS)]
    lines += [(bad or {}).get(i) or _line(names, i) for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def _count(model: type) -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(model)).scalar_one())


def _records() -> dict[tuple[int, int, date], tuple]:
    with read_only() as uow:
        return {
            (r.campaign_id, r.agent_id, r.day): (
                r.calls,
                r.talk_seconds,
                r.qa_score,
                r.appointments,
                r.deals,
                r.revenue,
            )
            for r in uow.session.execute(select(BpoKpiRecord)).scalars()
        }


def test_ten_thousand_lines_with_one_bad_write_nothing_then_all_then_the_same(demo) -> None:
    w = build_world()
    names = _campaigns(w)
    qa_too_high = _line(names, 7_000, qa="100.5")
    with unit_of_work() as uow, pytest.raises(Invalid) as err:
        services.import_kpi_csv(uow, actor(HEAD), w.pbp, kpi_csv(names, bad={7_000: qa_too_high}))
    assert err.value.fields == {"line 7002: qa_score": "must be between 0 and 100"}
    assert "1 bad line in the file: nothing was written" in str(err.value)
    assert _count(BpoKpiRecord) == 0 and _count(BpoKpiDaily) == 0

    with unit_of_work() as uow:
        result = services.import_kpi_csv(uow, actor(HEAD), w.pbp, kpi_csv(names), filename="k.csv")
    assert (result.rows_written, result.days, result.replaced) == (N, DAYS, 0)
    assert result.written == f"{N} KPI records written over {DAYS} days"
    first = _records()
    assert len(first) == N
    # the handler refreshed each day: its average QA is the mean of that day's records
    with read_only() as uow:
        days = {d.day: d for d in uow.session.execute(select(BpoKpiDaily)).scalars()}
    assert len(days) == DAYS
    yesterday = clock.today(KOLKATA) - timedelta(days=1)
    scores = [Decimal(_qa(i)) for i in range(0, N, DAYS)]  # every line of yesterday
    assert days[yesterday].avg_qa == (sum(scores) / len(scores)).quantize(Decimal("0.000001"))
    assert days[yesterday].dials == 0  # dials come from call logs, not KPI records

    # the same file again: the same records, each replacing itself, nothing added
    with unit_of_work() as uow:
        again = services.import_kpi_csv(uow, actor(HEAD), w.pbp, kpi_csv(names))
    assert (again.rows_written, again.replaced) == (N, N)
    assert again.written.endswith(f"{N} replacing earlier ones")
    assert _records() == first
    with read_only() as uow:
        imported = uow.session.execute(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.type == "BpoKpiImported")
        ).scalar_one()
    assert imported == 2  # one event per accepted file, with its days


def test_every_bad_line_is_named_with_its_field(demo) -> None:
    w = build_world()
    yesterday = (clock.today(KOLKATA) - timedelta(days=1)).isoformat()
    tomorrow = (clock.today(KOLKATA) + timedelta(days=1)).isoformat()
    good = f"{AGENT},Solar leads,{yesterday},40,3600,90,3,1,250.00"
    data = kpi_csv(
        ["Solar leads"],
        8,
        bad={
            0: f"{AGENT},Nope,{yesterday},40,3600,90,3,1,0",  # no such campaign
            1: f"ceo@vcc.example,Solar leads,{yesterday},1,1,90,0,0,0",  # agent of OBP
            2: f"{AGENT},Other,{yesterday},1,1,90,0,0,0",  # OBP's campaign
            3: f"{AGENT},Solar leads,27/11/2026,-4,3600,-1,3,x,250.005",
            4: f"{AGENT},Solar leads,{tomorrow},40,3600,,3,1,0",
            5: good,
            6: good,  # the same campaign, agent and date as line 7
        },
    )
    with unit_of_work() as uow, pytest.raises(Invalid) as err:
        services.import_kpi_csv(uow, actor(HEAD), w.pbp, data)
    assert set(err.value.fields) == {
        "line 2: campaign",
        "line 3: agent_email",
        "line 4: campaign",
        "line 5: date",
        "line 5: calls",
        "line 5: qa_score",
        "line 5: deals",
        "line 5: revenue",
        "line 6: date",
        "line 8: date",
    }
    assert err.value.fields["line 5: calls"] == "must be 0 or more"
    assert err.value.fields["line 5: qa_score"] == "must be between 0 and 100"
    assert err.value.fields["line 6: date"].startswith("is in the future")
    assert err.value.fields["line 8: date"] == "repeats line 7 (same campaign, agent and date)"
    assert "6 bad lines" in str(err.value)
    assert _count(BpoKpiRecord) == 0


def test_a_file_level_problem_is_named(demo) -> None:
    w = build_world()
    cases = {
        b"": "file",
        b"agent_email,campaign\n": "columns",
        b"agent_email,campaign,date,qa\n": "header",
        ",".join(KPI_COLUMNS).encode() + b"\n": "file",
    }
    for data, key in cases.items():
        with unit_of_work() as uow, pytest.raises(Invalid) as err:
            services.import_kpi_csv(uow, actor(HEAD), w.pbp, data)
        assert key in err.value.fields, (data, err.value.fields)
    # the template's header is the importer's, and its example line names no real agent
    with unit_of_work() as uow, pytest.raises(Invalid) as err:
        services.import_kpi_csv(uow, actor(HEAD), w.pbp, kpi_template_csv().encode())
    assert set(err.value.fields) == {"line 2: agent_email"}


def test_scope_another_ventures_head_finds_no_pbp_and_an_agent_may_not_import(demo) -> None:
    w = build_world()
    data = kpi_csv(["Solar leads"], 3)
    join_venture(OTHER_HEAD, w.other_venture)  # a head of HHG and of the other BPO venture
    with unit_of_work() as uow, pytest.raises(NotFound):
        services.import_kpi_csv(uow, actor(OTHER_HEAD), w.pbp, data)
    with unit_of_work() as uow, pytest.raises(NotFound):
        services.import_kpi_csv(uow, actor(LEAD), w.other_venture, data)
    with unit_of_work() as uow, pytest.raises(Forbidden):
        services.import_kpi_csv(uow, actor(AGENT), w.pbp, data)
    # the team lead (Salt Lake only) does not write a Sector V campaign's records
    yesterday = (clock.today(KOLKATA) - timedelta(days=1)).isoformat()
    sector_v = f"{AGENT},Insurance renewals,{yesterday},1,1,90,0,0,0"
    with unit_of_work() as uow, pytest.raises(Invalid) as err:
        services.import_kpi_csv(
            uow, actor(LEAD), w.pbp, kpi_csv(["Solar leads"], 3, bad={1: sector_v})
        )
    assert set(err.value.fields) == {"line 3: campaign"}
    assert _count(BpoKpiRecord) == 0
    with unit_of_work() as uow:
        assert services.import_kpi_csv(uow, actor(LEAD), w.pbp, data).rows_written == 3
