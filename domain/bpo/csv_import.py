"""BPO's two CSV files, the dialer's call logs and the KPI records (one line per campaign, agent
and business date): every line checked before anything is written (all-or-nothing, every bad
line named with its field). Pure: the caller gives the agents and campaigns the importer may
write (by agent e-mail and campaign name) and, for KPI records, the venture's today.

Both name an agent by e-mail within a campaign (by name): an e-mail that is no agent of that
campaign (someone else's, another venture's, nobody's) is the same error on ``agent_email``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.bpo.rules import call_problems, qa_problem
from domain.csv_lines import (
    Lines,
    amount_cell,
    bool_cell,
    count_cell,
    decimal_cell,
    instant_cell,
    past_date_cell,
)

COLUMNS = (
    "agent_email",
    "campaign",
    "started_at",
    "ended_at",
    "dial_count",
    "connected",
    "appointment_set",
    "deal_won",
    "revenue",
    "notes",
)
REQUIRED = frozenset({"agent_email", "campaign", "started_at"})
MAX_ROWS = 50_000


@dataclass(frozen=True)
class CallLine:
    line: int
    agent_id: int
    campaign_id: int
    started_at: datetime
    ended_at: datetime | None
    dial_count: int
    connected: bool
    appointment_set: bool
    deal_won: bool
    revenue: Decimal
    notes: str | None


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "agent@example.com",
            "Solar leads",
            "2026-11-27T10:00:00+05:30",
            "2026-11-27T10:04:30+05:30",
            2,
            "yes",
            "no",
            "no",
            "0",
            "",
        ]
    )
    return out.getvalue()


def _campaign_and_agent(
    lines: Lines,
    n: int,
    cell: dict[str, str],
    campaigns: dict[str, int],
    agents: dict[tuple[str, int], int],
) -> tuple[int | None, int | None]:
    """The line's campaign (by name) and agent (by e-mail, on that campaign), each problem
    named on its field."""
    campaign_id = campaigns.get(cell["campaign"].strip().lower())
    if not cell["campaign"].strip():
        lines.add(n, "campaign", "is required")
    elif campaign_id is None:
        lines.add(n, "campaign", f"{cell['campaign'].strip()[:40]!r} is not a campaign of yours")
    email = cell["agent_email"].strip().lower()
    agent_id = agents.get((email, campaign_id)) if campaign_id is not None else None
    if not email:
        lines.add(n, "agent_email", "is required")
    elif campaign_id is not None and agent_id is None:
        lines.add(n, "agent_email", f"{email[:60]!r} is not an agent of this campaign")
    return campaign_id, agent_id


def parse_calls_csv(
    data: bytes,
    campaigns: dict[str, int],
    agents: dict[tuple[str, int], int],
) -> list[CallLine]:
    """``campaigns``: lower-cased name -> id; ``agents``: (lower-cased e-mail, campaign id) ->
    agent id. ``Invalid`` listing each bad line and field, or all the lines."""
    lines = Lines(data, COLUMNS, REQUIRED, max_rows=MAX_ROWS)
    out: list[CallLine] = []
    for n, cell in lines:
        before = len(lines.problems)
        campaign_id, agent_id = _campaign_and_agent(lines, n, cell, campaigns, agents)
        started, why = instant_cell(cell["started_at"])
        if why:
            lines.add(n, "started_at", why)
        ended, why = instant_cell(cell["ended_at"], required=False)
        if why:
            lines.add(n, "ended_at", why)
        dials, why = count_cell(cell["dial_count"] or "1", 10_000)
        if why:
            lines.add(n, "dial_count", why)
        flags: dict[str, bool] = {}
        for name in ("connected", "appointment_set", "deal_won"):
            flag, why = bool_cell(cell[name])
            if why:
                lines.add(n, name, why)
            flags[name] = bool(flag)
        revenue, why = amount_cell(cell["revenue"] or "0")
        if why:
            lines.add(n, "revenue", why)
        # the call's own rules (dial_count >= 1, never ending before it starts), each named
        for name, reason in call_problems(
            started or ended or datetime.min, ended, 1 if dials is None else dials
        ).items():
            lines.add(n, name, reason)
        notes = cell["notes"].strip() or None
        if notes is not None and len(notes) > 2000:
            lines.add(n, "notes", "must be at most 2000 characters")
        if len(lines.problems) == before:
            assert started is not None and dials is not None and revenue is not None
            assert agent_id is not None and campaign_id is not None
            out.append(
                CallLine(
                    n,
                    agent_id,
                    campaign_id,
                    started,
                    ended,
                    dials,
                    **flags,
                    revenue=revenue,
                    notes=notes,
                )
            )
    lines.finish(len(out))
    return out


# -- KPI records -----------------------------------------------------------------------------------

KPI_COLUMNS = (
    "agent_email",
    "campaign",
    "date",
    "calls",
    "talk_seconds",
    "qa_score",
    "appointments",
    "deals",
    "revenue",
)
KPI_REQUIRED = frozenset({"agent_email", "campaign", "date"})  # the rest: 0, QA blank
KPI_COUNTS = ("calls", "talk_seconds", "appointments", "deals")
MAX_KPI_COUNT = 1_000_000  # as the one-record upsert (KpiRecordInput)
QA_PLACES = 6  # NUMERIC(12,6)


@dataclass(frozen=True)
class KpiLine:
    line: int
    agent_id: int
    campaign_id: int
    day: date
    calls: int
    talk_seconds: int
    qa_score: Decimal | None
    appointments: int
    deals: int
    revenue: Decimal


def kpi_template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(KPI_COLUMNS)
    writer.writerow(
        ["agent@example.com", "Solar leads", "2026-11-27", 180, 9000, "92.5", 6, 2, "0"]
    )
    return out.getvalue()


def parse_kpi_csv(
    data: bytes,
    campaigns: dict[str, int],
    agents: dict[tuple[str, int], int],
    today: date,
) -> list[KpiLine]:
    """``campaigns`` and ``agents`` as for calls; ``today``: the venture's business date (a
    later date is refused). A (campaign, agent, date) on two lines is an error on the second
    (which of the two to keep is the importer's call). ``Invalid`` listing each bad line and
    field, or all the lines."""
    lines = Lines(data, KPI_COLUMNS, KPI_REQUIRED, max_rows=MAX_ROWS)
    out: list[KpiLine] = []
    seen: dict[tuple[int, int, date], int] = {}
    for n, cell in lines:
        before = len(lines.problems)
        campaign_id, agent_id = _campaign_and_agent(lines, n, cell, campaigns, agents)
        day, why = past_date_cell(cell["date"], today)
        if why:
            lines.add(n, "date", why)
        counts: dict[str, int] = {}
        for name in KPI_COUNTS:
            value, why = count_cell(cell[name] or "0", MAX_KPI_COUNT)
            if why:
                lines.add(n, name, why)
            counts[name] = value or 0
        qa, why = decimal_cell(cell["qa_score"], QA_PLACES)
        if why or (why := qa_problem(qa)):
            lines.add(n, "qa_score", why)
        revenue, why = amount_cell(cell["revenue"] or "0")
        if why:
            lines.add(n, "revenue", why)
        if day is not None and agent_id is not None and campaign_id is not None:
            first = seen.setdefault((campaign_id, agent_id, day), n)
            if first != n:
                lines.add(n, "date", f"repeats line {first} (same campaign, agent and date)")
        if len(lines.problems) == before:
            assert day is not None and revenue is not None
            assert agent_id is not None and campaign_id is not None
            out.append(
                KpiLine(n, agent_id, campaign_id, day, qa_score=qa, revenue=revenue, **counts)
            )
    lines.finish(len(out))
    return out
