"""The BPO pages' handlers, driven as a client would (spec/operations.md, BPO; issue 14):
an agent logs a call in the form and sees it on My calls today, a bad call (ended before it
started, no dial) is refused naming the field and writes nothing; the venture head imports a
dialer CSV with a bad line (every bad line named, nothing written), then the fixed one, and the
dashboard's funnel shows the campaign's calls; the call list filters; campaigns and agents
forms; and scope: pages and handlers of the BPO section are closed to people without it."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import reflex as rx
from sqlalchemy import func, select

from domain import clock
from domain.bpo import services
from domain.bpo.csv_import import KPI_COLUMNS
from domain.bpo.models import BpoCallLog, BpoKpiDaily, BpoKpiRecord
from domain.db import read_only, unit_of_work
from rxapp.state.bpo_calls import BpoCallFormState, BpoCallsState, BpoMyCallsState
from rxapp.state.bpo_dashboard import BpoDashboardState
from rxapp.state.bpo_import import BpoImportState
from rxapp.state.bpo_setup import BpoAgentsState, BpoCampaignsState
from tests.bpo_world import AGENT, HEAD
from tests.bpo_world import world as _world
from tests.helpers import actor
from tests.rx.conftest import Tab, downloaded_text, toasts

MANAGER_AFL = "manager.afl@vcc.example"


def _tab(email: str, path: str) -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def _calls() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(BpoCallLog)).scalar())


def _local(minutes_ago: int) -> str:
    """A ``datetime-local`` value in the viewer's zone (the group's in tests)."""
    from rxapp.format import viewer_timezone

    t = clock.local_time(clock.now() - timedelta(minutes=minutes_ago), viewer_timezone())
    return t.strftime("%Y-%m-%dT%H:%M")


def test_an_agent_logs_a_call_and_sees_it_on_my_calls_today(demo) -> None:
    # The form's "campaign_id" choice is the actor's agent (one per campaign they work).
    _, cid = _world()
    tab = _tab(AGENT, "/bpo/my-calls")
    tab.call(BpoMyCallsState, "load")
    mine = tab.state(BpoMyCallsState)
    assert tab.session.ready_page == "bpo_my_calls" and mine.is_agent
    before = len(mine.rows)

    tab.call(BpoCallFormState, "open_form")
    form = tab.state(BpoCallFormState)
    assert form.form_open and str(cid) in {o.value for o in form.campaign_options}

    # Ended before it started, no dial: refused naming the fields, nothing written.
    n = _calls()
    tab.call(
        BpoCallFormState,
        "save",
        {
            "campaign_id": str(cid),
            "started_at": _local(5),
            "ended_at": _local(10),
            "dial_count": "0",
        },
    )
    assert form.err["dial_count"] and form.form_open
    assert _calls() == n

    tab.call(BpoCallFormState, "save", {"campaign_id": str(cid), "started_at": _local(10)})
    events = tab.call(
        BpoCallFormState,
        "save",
        {
            "campaign_id": str(cid),
            "started_at": _local(12),
            "ended_at": _local(5),
            "dial_count": "2",
            "connected": "on",
            "deal_won": "on",
            "revenue": "1,500.00",
            "notes": "rx call",
        },
    )
    assert not any(form.err.values()), form.err
    assert not form.form_open and any("Call logged" in t for t in toasts(events))
    assert len(mine.rows) >= before + 1
    row = next(r for r in mine.rows if r.notes == "rx call")
    assert row.outcome == "DEAL" and row.talk == "7:00" and row.dials == "2"
    assert "₹1,500.00" in row.revenue
    assert "deal" in mine.summary


def test_the_venture_head_sees_the_calls_filtered_and_the_dashboard(demo) -> None:
    cid, aid = _world()
    with unit_of_work() as uow:
        start = clock.now() - timedelta(hours=1)
        services.log_call(
            uow,
            actor(HEAD),
            {
                "campaign_id": cid,
                "agent_id": aid,
                "started_at": start,
                "ended_at": start + timedelta(minutes=3),
                "connected": True,
                "appointment_set": True,
            },
        )
    tab = _tab(HEAD, "/bpo/calls")
    tab.call(BpoCallsState, "load")
    calls = tab.state(BpoCallsState)
    assert tab.session.ready_page == "bpo_calls" and calls.can_log and calls.rows
    tab.call(BpoCallsState, "apply_filters", {"campaign": str(cid), "outcome": "APPOINTMENT"})
    assert calls.rows and all(r.campaign == "Rx Solar" for r in calls.rows)
    assert all(r.outcome in ("APPOINTMENT", "DEAL") for r in calls.rows)
    tab.call(BpoCallsState, "apply_filters", {"from": "2026-02-02", "to": "2026-02-01"})
    assert calls.filter_error
    tab.call(BpoCallsState, "clear_filters")
    assert calls.f_campaign == "all" and not calls.filter_error

    tab.navigate("/bpo/dashboard")
    _run_dashboard(tab)
    dash = tab.state(BpoDashboardState)
    assert tab.session.ready_page == "bpo_dashboard", dash.range_error
    assert [h.metric for h in dash.headlines][:3] == ["dials", "connects", "connect_rate"]
    funnel = {r.campaign: r for r in dash.funnel}
    assert "Rx Solar" in funnel and int(funnel["Rx Solar"].appointments) >= 1
    assert any(p["campaign"] == "Rx Solar" for p in dash.funnel_series)
    assert dash.leaders and dash.leaders[0].rank == 1
    assert len(dash.series) == 30

    # A range the domain refuses is named under the dates; the page keeps its numbers.
    _drain(tab, BpoDashboardState, "apply_range", {"from": "2026-02-02", "to": "2026-01-01"})
    assert dash.range_error and dash.funnel


def _drain(tab: Tab, cls: Any, name: str, *args: Any) -> list[Any]:
    return tab.call(cls, name, *args)


def _run_dashboard(tab: Tab) -> None:
    tab.call(BpoDashboardState, "load")


def _upload(tab: Tab, data: bytes, name: str = "calls.csv") -> BpoImportState:
    tab.call(BpoImportState, "start_upload")
    state = tab.state(BpoImportState)
    assert state.upload_step == "sending"
    file = rx.UploadFile(file=io.BytesIO(data), path=Path(name))
    events = tab.call(BpoImportState, "upload", [file])
    assert state.uploading and state.upload_step == "checking"
    assert any("check_upload" in str(e) for e in events)  # the domain runs in the background
    tab.call(BpoImportState, "check_upload")
    assert not state.uploading
    return state


HEADER = (
    "agent_email,campaign,started_at,ended_at,dial_count,connected,appointment_set,deal_won,"
    "revenue,notes"
)


def test_the_head_imports_a_call_csv_bad_line_named_then_the_funnel_moves(demo) -> None:
    _world("Rx Import")
    tab = _tab(HEAD, "/bpo/dashboard")
    tab.call(BpoDashboardState, "load")
    dash = tab.state(BpoDashboardState)
    before = {r.campaign: r.deals for r in dash.funnel}.get("Rx Import", "0")

    tab.navigate("/bpo/import")
    tab.call(BpoImportState, "load")
    state = tab.state(BpoImportState)
    assert tab.session.ready_page == "bpo_import" and state.upload_venture
    start = clock.now() - timedelta(hours=2)
    lines = [
        f"{AGENT},Rx Import,{start.isoformat()},{(start + timedelta(minutes=5)).isoformat()},"
        f"1,yes,yes,yes,900.00,imported {i}"
        for i in range(3)
    ]
    wrong = (
        f"{AGENT},Rx Import,{start.isoformat()},{(start - timedelta(minutes=5)).isoformat()},"
        "0,yes,no,no,0,bad"
    )
    bad = [lines[0], wrong, *lines[1:]]
    n = _calls()
    _upload(tab, ("\n".join([HEADER, *bad]) + "\n").encode())
    assert state.upload_step == "refused" and _calls() == n
    lines_named = {p.line for p in state.upload_problems}
    assert lines_named == {3}, state.upload_problems  # the header is line 1
    assert {p.field for p in state.upload_problems} >= {"dial_count"}

    _upload(tab, ("\n".join([HEADER, *lines]) + "\n").encode())
    assert state.upload_step == "written", state.upload_summary
    assert state.upload_summary.startswith("3 calls written") and _calls() == n + 3

    tab.navigate("/bpo/dashboard")
    tab.call(BpoDashboardState, "load")
    after = {r.campaign: r.deals for r in dash.funnel}
    assert int(after["Rx Import"]) == int(before) + 3


def _kpi_records() -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(BpoKpiRecord)).scalar())


def test_the_head_imports_kpi_records_every_bad_line_listed_then_the_file_then_again(
    demo,
) -> None:
    _world("Rx KPI")
    tab = _tab(HEAD, "/bpo/import")
    tab.call(BpoImportState, "load")
    state = tab.state(BpoImportState)
    assert {o.label for o in state.kind_options} == {"Call logs", "KPI records"}
    tab.call(BpoImportState, "choose_kind", "kpi")
    assert state.kind == "kpi" and state.kind_columns.startswith("agent_email*, campaign*, date*")
    template = downloaded_text(tab.call(BpoImportState, "download_template"))
    assert template.splitlines()[0] == ",".join(KPI_COLUMNS)

    kolkata = "Asia/Kolkata"
    days = [clock.today(kolkata) - timedelta(days=d) for d in (1, 2, 3)]
    good = [
        f"{AGENT},Rx KPI,{d.isoformat()},40,3600,{80 + i},3,1,500.00" for i, d in enumerate(days)
    ]
    future = (clock.today(kolkata) + timedelta(days=2)).isoformat()
    bad = [
        good[0],
        f"{AGENT},Rx KPI,{days[1].isoformat()},40,3600,120,3,1,500.00",  # QA over 100
        f"{AGENT},Rx KPI,{future},-1,3600,90,3,1,500.00",  # a future date, a negative count
    ]
    header = ",".join(KPI_COLUMNS)
    n = _kpi_records()
    _upload(tab, ("\n".join([header, *bad]) + "\n").encode(), "kpi.csv")
    assert state.upload_step == "refused" and _kpi_records() == n
    assert {(p.line, p.field) for p in state.upload_problems} == {
        (3, "qa_score"),
        (4, "date"),
        (4, "calls"),
    }
    assert state.upload_summary.startswith("2 bad lines")

    _upload(tab, ("\n".join([header, *good]) + "\n").encode(), "kpi.csv")
    assert state.upload_step == "written", state.upload_summary
    assert state.upload_summary.startswith("3 KPI records written over 3 days")
    assert _kpi_records() == n + 3
    with read_only() as uow:
        scored = uow.session.execute(
            select(BpoKpiDaily.avg_qa).where(BpoKpiDaily.day == days[0])
        ).scalar_one()
    assert scored is not None  # the day refreshed from the records

    _upload(tab, ("\n".join([header, *good]) + "\n").encode(), "kpi.csv")  # the same again
    assert "3 replacing earlier ones" in state.upload_summary and _kpi_records() == n + 3


def test_campaign_and_agent_forms(demo) -> None:
    _world()
    tab = _tab(HEAD, "/bpo/campaigns")
    tab.call(BpoCampaignsState, "load")
    state = tab.state(BpoCampaignsState)
    assert tab.session.ready_page == "bpo_campaigns" and state.can_manage
    assert any(r.name == "Rx Solar" for r in state.rows)
    tab.call(BpoCampaignsState, "open_form", 0)
    assert state.form_open and state.venture_options and state.office_options
    tab.call(
        BpoCampaignsState,
        "save",
        {"venture_id": state.venture_options[0].value, "name": "", "client": "X"},
    )
    assert state.err["name"] and state.form_open
    office = state.office_options[0].value
    tab.call(
        BpoCampaignsState,
        "save",
        {
            "venture_id": state.venture_options[0].value,
            "office_id": office,
            "name": "Rx Form Campaign",
            "client": "Form Client",
            "active": "on",
        },
    )
    assert not state.form_open and any(r.name == "Rx Form Campaign" for r in state.rows)
    row = next(r for r in state.rows if r.name == "Rx Form Campaign")
    tab.call(BpoCampaignsState, "open_form", row.id)
    assert state.editing and state.val["name"] == "Rx Form Campaign"
    tab.call(BpoCampaignsState, "save", {"name": "Rx Form Campaign", "client": "New Client"})
    assert any(r.client == "New Client" for r in state.rows)

    tab.navigate("/bpo/agents")
    tab.call(BpoAgentsState, "load")
    agents = tab.state(BpoAgentsState)
    assert tab.session.ready_page == "bpo_agents" and agents.can_manage
    assert any(r.email == AGENT for r in agents.rows)


def test_the_bpo_pages_are_closed_to_people_without_the_section(demo) -> None:
    cid, _ = _world()
    tab = _tab(MANAGER_AFL, "/bpo/calls")
    for cls, key in (
        (BpoCallsState, "bpo_calls"),
        (BpoMyCallsState, "bpo_my_calls"),
        (BpoImportState, "bpo_import"),
        (BpoCampaignsState, "bpo_campaigns"),
        (BpoAgentsState, "bpo_agents"),
    ):
        tab.call(cls, "load")
        assert tab.session.ready_page != key and tab.session.denied_page == key
    # A forged call of the form with PBP's campaign: refused, nothing written.
    n = _calls()
    tab.call(BpoCallFormState, "open_form")
    assert tab.state(BpoCallFormState).campaign_options == []  # no BPO venture in scope
    tab.call(
        BpoCallFormState,
        "save",
        {"campaign_id": str(cid), "started_at": _local(3), "ended_at": _local(1)},
    )
    assert _calls() == n and tab.state(BpoCallFormState).errors  # not found, as if missing
    # Another BPO agent's scope: the agent reads only their own calls on the list.
    agent_tab = _tab(AGENT, "/bpo/calls")
    agent_tab.call(BpoCallsState, "load")
    listing = agent_tab.state(BpoCallsState)
    assert all(r.agent == "Ritika Sen" for r in listing.rows)
