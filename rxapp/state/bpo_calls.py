"""/bpo/calls: the call logs in scope (cursor pages, newest first) filtered by campaign, agent,
outcome and business dates; /bpo/my-calls: the agent's own calls of today; and the form an agent
logs a call with (both pages open it). The domain checks everything (dial count >= 1, ended at or
after started, the campaign of the agent's venture) and names the field it refuses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.bpo import queries as bpo_queries
from domain.bpo import services as bpo_services
from domain.bpo.dashboard import labels, my_agents
from domain.bpo.queries import CallOutcome
from domain.db import read_only
from domain.errors import DomainError
from rxapp.format import viewer_timezone
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import Option, as_amount, as_date, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.bpo import OUTCOMES, CallRow, call_rows

PAGE_SIZE = 50
LOG_ACTION = "bpo.calls.log"


class BpoCallsState(CursorPages, SessionState):
    rows: list[CallRow] = []
    campaign_options: list[Option] = []
    agent_options: list[Option] = []
    outcome_options: list[Option] = [Option(k, v[0]) for k, v in OUTCOMES.items()]
    f_campaign: str = "all"
    f_agent: str = "all"
    f_outcome: str = "all"
    f_from: str = ""
    f_to: str = ""
    filter_error: str = ""
    form_key: int = 0
    can_log: bool = False

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Calls {start:,} to {start + len(self.rows) - 1:,}, newest first"

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            filters = bpo_queries.CallFilter(
                venture_id=self._filter_venture_id(actor),
                campaign_id=as_int(self.f_campaign),
                agent_id=as_int(self.f_agent),
                outcome=None if self.f_outcome == "all" else CallOutcome(self.f_outcome),
                start=as_date(self.f_from),
                end=as_date(self.f_to),
            )
            page = bpo_queries.list_calls(
                uow, actor, filters, cursor=self._page_cursor(), limit=PAGE_SIZE
            )
            self.rows = call_rows(uow, page.items)
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="bpo_calls")
    def load(self, actor: Actor):
        vid = self._filter_venture_id(actor)
        with read_only() as uow:
            campaigns = bpo_queries.list_campaigns(uow, actor, venture_id=vid, limit=200).items
            agents = (
                bpo_queries.list_agents(uow, actor, venture_id=vid, limit=200).items
                if actor.can("bpo.agents.read")
                else []
            )
            found, _, _ = labels(
                uow, agent_ids={a.id for a in agents}, campaign_ids=set(), venture_ids=set()
            )
            names = {i: f"{lab.agent} ({lab.email})" for i, lab in found.items()}
        self.campaign_options = [Option(str(c.id), c.name) for c in campaigns]
        self.agent_options = [Option(str(a.id), names.get(a.id, f"Agent {a.id}")) for a in agents]
        if self.f_campaign not in {o.value for o in self.campaign_options}:
            self.f_campaign = "all"
        if self.f_agent not in {o.value for o in self.agent_options}:
            self.f_agent = "all"
        self.can_log = actor.can(LOG_ACTION)
        self._first_page()
        event = self._safe_query(actor)
        self._ready("bpo_calls")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        def pick(name: str, options: list[Option]) -> str:
            value = as_text(form_data.get(name) or "all", 20)
            return value if value in {o.value for o in options} else "all"

        self.f_campaign = pick("campaign", self.campaign_options)
        self.f_agent = pick("agent", self.agent_options)
        self.f_outcome = pick("outcome", self.outcome_options)
        start, end = as_date(form_data.get("from")), as_date(form_data.get("to"))
        self.f_from = start.isoformat() if start else ""
        self.f_to = end.isoformat() if end else ""
        self.filter_error = (
            "The start date is after the end date." if start and end and start > end else ""
        )
        if self.filter_error:
            return None
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    @guarded
    def clear_filters(self, actor: Actor):
        self.f_campaign = self.f_agent = self.f_outcome = "all"
        self.f_from, self.f_to, self.filter_error = "", "", ""
        self.form_key += 1
        self._first_page()
        return self._safe_query(actor)


class BpoMyCallsState(SessionState):
    """The signed-in agent's calls of today (their venture's business date)."""

    rows: list[CallRow] = []
    summary: str = ""
    is_agent: bool = False

    def _refresh(self, actor: Actor) -> None:
        with read_only() as uow:
            mine = bpo_queries.my_calls_today(uow, actor)
            rows = call_rows(uow, list(mine))
        items = list(mine)
        self.is_agent = True
        self.rows = rows
        n = len(items)
        connects = sum(1 for v in items if v.connected)
        deals = sum(1 for v in items if v.deal_won)
        self.summary = (
            f"{n} call{'s' if n != 1 else ''} today · {connects} connected · "
            f"{deals} deal{'s' if deals != 1 else ''}"
        )

    @rx.event
    @guarded(page="bpo_my_calls")
    def load(self, actor: Actor):
        try:
            self._refresh(actor)
        except DomainError:  # not an agent: the page says how to become one
            self.rows, self.summary, self.is_agent = [], "", False
        self._ready("bpo_my_calls")


# -- the log-a-call form --------------------------------------------------------------------------

CALL_FIELDS = (
    "campaign_id",
    "started_at",
    "ended_at",
    "dial_count",
    "connected",
    "appointment_set",
    "deal_won",
    "revenue",
    "notes",
)
CALL_LABELS = {
    "campaign_id": "Campaign",
    "started_at": "Started",
    "ended_at": "Ended",
    "dial_count": "Dials",
    "connected": "Connected",
    "appointment_set": "Appointment set",
    "deal_won": "Deal won",
    "revenue": "Revenue",
    "notes": "Notes",
}
CALL_FORM = Form(CALL_FIELDS, CALL_LABELS, open="form_open")


def _instant(value: str) -> str | None:
    """A ``datetime-local`` value (the viewer's wall clock, as the browser shows it) as a UTC
    ISO instant; the domain checks it. Unparseable text goes through for the domain to name."""
    if not value:
        return None
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        return value
    if local.tzinfo is None:
        local = local.replace(tzinfo=clock.zone(viewer_timezone()))
    return clock.ensure_utc(local).isoformat()


class BpoCallFormState(SessionState):
    form_open: bool = False
    campaign_options: list[Option] = []
    err: dict[str, str] = dict.fromkeys(CALL_FIELDS, "")
    errors: list[str] = []
    busy: bool = False
    form_key: int = 0
    val: dict[str, str] = dict.fromkeys(CALL_FIELDS, "")

    _campaign_of: dict[int, int] = {}  # the actor's agent id -> its campaign (display choice)

    @rx.event
    @guarded
    def open_form(self, actor: Actor):
        if not actor.can(LOG_ACTION):
            return rx.toast.error("Your role does not log calls.")
        with read_only() as uow:
            mine = my_agents(uow, actor)
        self._campaign_of = {a: c for a, c, _ in mine}
        self.campaign_options = [Option(str(a), name) for a, _, name in mine]
        now = clock.local_time(clock.now(), viewer_timezone()).replace(second=0, microsecond=0)
        self.val = dict.fromkeys(CALL_FIELDS, "")
        self.val.update(
            {
                "campaign_id": self.campaign_options[0].value if self.campaign_options else "",
                "started_at": now.strftime("%Y-%m-%dT%H:%M"),
                "ended_at": now.strftime("%Y-%m-%dT%H:%M"),
                "dial_count": "1",
            }
        )
        CALL_FORM.clear(self)
        self.form_key += 1
        self.form_open = True
        return None

    @rx.event
    def set_form_open(self, open: bool) -> None:
        if not self.busy:
            self.form_open = bool(open)

    @rx.event(background=True)
    @submits(CALL_FORM)
    async def save(self, actor: Actor, form_data: dict[str, Any]):
        typed = {f: as_text(form_data.get(f), 500 if f == "notes" else 40) for f in CALL_FIELDS}
        async with self:
            self.val = typed
        async with self:
            agent_id = as_int(typed["campaign_id"])
            campaign_id = self._campaign_of.get(agent_id or 0)
        data: dict[str, Any] = {
            "agent_id": agent_id or typed["campaign_id"] or None,
            "campaign_id": campaign_id or agent_id or None,
            "started_at": _instant(typed["started_at"]),
            "ended_at": _instant(typed["ended_at"]),
            "dial_count": typed["dial_count"].replace(",", "") or None,
            "connected": typed["connected"] in ("on", "true", "1"),
            "appointment_set": typed["appointment_set"] in ("on", "true", "1"),
            "deal_won": typed["deal_won"] in ("on", "true", "1"),
            "revenue": as_amount(typed["revenue"]) or "0",
            "notes": typed["notes"] or None,
        }
        data = {k: v for k, v in data.items() if v is not None}
        await in_unit_of_work(bpo_services.log_call, actor, data)
        async with self:
            mine = await self.get_state(BpoMyCallsState)
            mine._refresh(actor)
            listing = await self.get_state(BpoCallsState)
            if listing.rows or listing.can_log:
                listing._first_page()
                listing._safe_query(actor)
        label = next((o.label for o in self.campaign_options if o.value == str(agent_id)), "")
        return Saved(f"Call logged on {label or 'the campaign'}.")
