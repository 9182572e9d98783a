"""The dialer's call CSV: every line checked before anything is written (all-or-nothing, every
bad line named with its field). Pure: the caller gives the agents and campaigns the importer may
write (by agent e-mail and campaign name)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.bpo.rules import call_problems
from domain.csv_lines import Lines, amount_cell, bool_cell, count_cell, instant_cell

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
        campaign_id = campaigns.get(cell["campaign"].strip().lower())
        if not cell["campaign"].strip():
            lines.add(n, "campaign", "is required")
        elif campaign_id is None:
            lines.add(
                n, "campaign", f"{cell['campaign'].strip()[:40]!r} is not a campaign of yours"
            )
        email = cell["agent_email"].strip().lower()
        agent_id = agents.get((email, campaign_id)) if campaign_id is not None else None
        if not email:
            lines.add(n, "agent_email", "is required")
        elif campaign_id is not None and agent_id is None:
            lines.add(n, "agent_email", f"{email[:60]!r} is not an agent of this campaign")
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
