"""/bpo/campaigns and /bpo/agents: the BPO ventures' campaigns (name, client, office, active) and
agents (the link from a person to call logs: user, campaign, active), cursor lists with a dialog
to add or edit one. The domain checks the role, the venture and office in scope, and names the
field it refuses; the dialog's target id lives in a backend var and the domain re-checks it.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.bpo import queries as bpo_queries
from domain.bpo import services as bpo_services
from domain.bpo.access import get_agent, get_campaign
from domain.bpo.dashboard import agent_candidates, labels, ventures_for
from domain.db import read_only
from domain.org.models import VentureType
from domain.org.queries import list_offices, list_ventures
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import Option, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.bpo import AgentRow, CampaignRow

PAGE_SIZE = 50
CAMPAIGNS_MANAGE = "bpo.campaigns.manage"
AGENTS_MANAGE = "bpo.agents.manage"

CAMPAIGN_FIELDS = ("venture_id", "office_id", "name", "client", "active")
CAMPAIGN_FORM = Form(
    CAMPAIGN_FIELDS,
    {
        "venture_id": "Venture",
        "office_id": "Office",
        "name": "Name",
        "client": "Client",
        "active": "Active",
    },
    open="form_open",
)
AGENT_FIELDS = ("user_id", "campaign_id", "active")
AGENT_FORM = Form(
    AGENT_FIELDS,
    {"user_id": "Person", "campaign_id": "Campaign", "active": "Active"},
    open="form_open",
)


def _names(actor: Actor) -> dict[int, str]:
    """Venture codes by id, and office names by minus their id (display only)."""
    with read_only() as uow:
        ventures = [v for v in list_ventures(uow, actor) if v.type == VentureType.BPO]
        offices = list_offices(uow, actor)
    ids = {v.id for v in ventures}
    return {v.id: v.code for v in ventures} | {
        -o.id: o.name for o in offices if o.venture_id in ids
    }


def _checked(value: Any) -> bool:
    return str(value) in ("on", "true", "1", "True")


class BpoCampaignsState(CursorPages, SessionState):
    rows: list[CampaignRow] = []
    can_manage: bool = False
    # the dialog
    form_open: bool = False
    editing: bool = False
    venture_options: list[Option] = []
    office_options: list[Option] = []
    err: dict[str, str] = dict.fromkeys(CAMPAIGN_FIELDS, "")
    errors: list[str] = []
    busy: bool = False
    form_key: int = 0
    val: dict[str, str] = dict.fromkeys(CAMPAIGN_FIELDS, "")

    _edit_id: int = 0
    _names: dict[int, str] = {}

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Campaigns {start:,} to {start + len(self.rows) - 1:,}"

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = bpo_queries.list_campaigns(
                uow,
                actor,
                venture_id=self._filter_venture_id(actor),
                cursor=self._page_cursor(),
                limit=PAGE_SIZE,
            )
        self.rows = [
            CampaignRow(
                id=c.id,
                name=c.name,
                client=c.client or "",
                venture=self._names.get(c.venture_id, ""),
                office=self._names.get(-c.office_id, ""),
                active=c.active,
            )
            for c in page.items
        ]
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="bpo_campaigns")
    def load(self, actor: Actor):
        self.can_manage = actor.can(CAMPAIGNS_MANAGE)
        self._names = _names(actor)
        self._first_page()
        event = self._safe_query(actor)
        self._ready("bpo_campaigns")
        return event

    @rx.event
    @guarded
    def open_form(self, actor: Actor, campaign_id: int = 0):
        if not actor.can(CAMPAIGNS_MANAGE):
            return rx.toast.error("Your role does not manage campaigns.")
        with read_only() as uow:
            ventures = ventures_for(uow, actor, CAMPAIGNS_MANAGE)
            offices = list_offices(uow, actor)
            found = get_campaign(uow, actor, int(campaign_id)) if campaign_id else None
        self.venture_options = [Option(str(v.id), f"{v.name} ({v.code})") for v in ventures]
        codes = {v.id: v.code for v in ventures}
        self.office_options = [
            Option(str(o.id), f"{codes[o.venture_id]} · {o.name}")
            for o in offices
            if o.venture_id in codes
        ]
        self._edit_id = found.id if found else 0
        self.editing = found is not None
        self.val = {
            "venture_id": str(found.venture_id)
            if found
            else (self.venture_options[0].value if ventures else ""),
            "office_id": str(found.office_id or "") if found else "",
            "name": found.name if found else "",
            "client": (found.client or "") if found else "",
            "active": "on" if (found is None or found.active) else "",
        }
        CAMPAIGN_FORM.clear(self)
        self.form_key += 1
        self.form_open = True
        return None

    @rx.event
    def set_form_open(self, open: bool) -> None:
        if not self.busy:
            self.form_open = bool(open)

    @rx.event(background=True)
    @submits(CAMPAIGN_FORM)
    async def save(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            edit_id = self._edit_id
        data: dict[str, Any] = {
            "name": as_text(form_data.get("name"), 120),
            "client": as_text(form_data.get("client"), 120) or None,
            "office_id": as_int(form_data.get("office_id")),
            "active": _checked(form_data.get("active")),
        }
        if edit_id:
            patch = {k: v for k, v in data.items() if k != "office_id"}
            view = await in_unit_of_work(bpo_services.update_campaign, actor, edit_id, patch)
        else:
            data["venture_id"] = as_int(form_data.get("venture_id"))
            view = await in_unit_of_work(bpo_services.create_campaign, actor, data)
        async with self:
            self._first_page()
            self._safe_query(actor)
        return Saved(f"Campaign {view.name} saved.")


class BpoAgentsState(CursorPages, SessionState):
    rows: list[AgentRow] = []
    can_manage: bool = False
    form_open: bool = False
    editing: bool = False
    user_options: list[Option] = []
    campaign_options: list[Option] = []
    err: dict[str, str] = dict.fromkeys(AGENT_FIELDS, "")
    errors: list[str] = []
    busy: bool = False
    form_key: int = 0
    val: dict[str, str] = dict.fromkeys(AGENT_FIELDS, "")

    _edit_id: int = 0
    _names: dict[int, str] = {}

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Agents {start:,} to {start + len(self.rows) - 1:,}"

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = bpo_queries.list_agents(
                uow,
                actor,
                venture_id=self._filter_venture_id(actor),
                cursor=self._page_cursor(),
                limit=PAGE_SIZE,
            )
            found, campaigns, _ = labels(
                uow,
                agent_ids={a.id for a in page.items},
                campaign_ids={a.campaign_id for a in page.items},
                venture_ids=set(),
            )
        self.rows = [
            AgentRow(
                id=a.id,
                name=found[a.id].agent if a.id in found else "",
                email=found[a.id].email if a.id in found else "",
                campaign=campaigns.get(a.campaign_id, ""),
                venture=self._names.get(a.venture_id, ""),
                active=a.active,
            )
            for a in page.items
        ]
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="bpo_agents")
    def load(self, actor: Actor):
        self.can_manage = actor.can(AGENTS_MANAGE)
        self._names = _names(actor)
        self._first_page()
        event = self._safe_query(actor)
        self._ready("bpo_agents")
        return event

    @rx.event
    @guarded
    def open_form(self, actor: Actor, agent_id: int = 0):
        if not actor.can(AGENTS_MANAGE):
            return rx.toast.error("Your role does not manage agents.")
        vid = self._filter_venture_id(actor)
        with read_only() as uow:
            people = agent_candidates(uow, actor, vid)
            campaigns = bpo_queries.list_campaigns(uow, actor, venture_id=vid, limit=200).items
            found = get_agent(uow, actor, int(agent_id)) if agent_id else None
        codes = {k: v for k, v in self._names.items() if k > 0}
        self.user_options = [
            Option(f"{u.venture_id}:{u.id}", f"{u.name} ({codes.get(u.venture_id, '')})")
            for u in people
        ]
        self.campaign_options = [Option(str(c.id), c.name) for c in campaigns]
        self._edit_id = found.id if found else 0
        self.editing = found is not None
        self.val = {
            "user_id": str(found.user_id) if found else "",
            "campaign_id": str(found.campaign_id or "") if found else "",
            "active": "on" if (found is None or found.active) else "",
        }
        AGENT_FORM.clear(self)
        self.form_key += 1
        self.form_open = True
        return None

    @rx.event
    def set_form_open(self, open: bool) -> None:
        if not self.busy:
            self.form_open = bool(open)

    @rx.event(background=True)
    @submits(AGENT_FORM)
    async def save(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            edit_id = self._edit_id
        data: dict[str, Any] = {"active": _checked(form_data.get("active"))}
        if edit_id:
            await in_unit_of_work(bpo_services.update_agent, actor, edit_id, data)
        else:
            _, _, user = as_text(form_data.get("user_id"), 40).partition(":")
            data["user_id"] = as_int(user)
            data["campaign_id"] = as_int(form_data.get("campaign_id"))
            await in_unit_of_work(bpo_services.create_agent, actor, data)
        async with self:
            self._first_page()
            self._safe_query(actor)
        return Saved("Agent saved.")
