"""Quick links: the panel on My Day (global / per venture / personal), the admin page for global
and venture links, and a venture's links on its detail page.

Every change re-resolves the Actor and calls an ``org.services`` use case, which decides whether
the actor may change that owner's links (global: global admins; venture: global admins and the
venture's VENTURE_HEAD; personal: the user). The panel only offers what the domain would allow.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlparse

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.errors import DomainError, Invalid
from domain.org.models import QuickLinkOwner
from domain.org.queries import get_venture, list_ventures, visible_quick_links
from domain.org.schemas import QuickLinkView
from domain.org.services import (
    add_quick_link,
    remove_quick_link,
    reorder_quick_links,
    update_quick_link,
)
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState

MODES = ("my_day", "admin", "venture")


@dataclasses.dataclass
class LinkRow:
    id: int = 0
    label: str = ""
    url: str = ""
    host: str = ""
    icon: str = "link"
    editable: bool = False
    first: bool = False
    last: bool = False


@dataclasses.dataclass
class LinkGroupRow:
    key: str = ""
    kind: str = ""
    title: str = ""
    code: str = ""
    can_add: bool = False
    empty_text: str = ""
    links: list[LinkRow] = dataclasses.field(default_factory=list)


def _host(url: str) -> str:
    host = urlparse(url).netloc
    return host.removeprefix("www.")


def _rows(links: list[QuickLinkView], editable: bool) -> list[LinkRow]:
    n = len(links)
    return [
        LinkRow(
            id=q.id,
            label=q.label,
            url=q.url,
            host=_host(q.url),
            icon=q.icon or "link",
            editable=editable and q.editable,
            first=i == 0,
            last=i == n - 1,
        )
        for i, q in enumerate(links)
    ]


def _parse_group(key: str) -> tuple[QuickLinkOwner, int | None] | None:
    if key == "personal":
        return QuickLinkOwner.PERSONAL, None
    if key == "global":
        return QuickLinkOwner.GLOBAL, None
    if key.startswith("venture:"):
        try:
            return QuickLinkOwner.VENTURE, int(key.split(":", 1)[1])
        except ValueError:
            return None
    return None


class QuickLinksState(SessionState):
    groups: list[LinkGroupRow] = []
    dialog_open: bool = False
    dialog_title: str = ""
    form_label: str = ""
    form_url: str = ""
    label_error: str = ""
    url_error: str = ""
    form_error: str = ""
    busy: bool = False
    # Server-side only: what the dialog edits and which view to refresh.
    _mode: str = "my_day"
    _venture_id: int | None = None
    _edit_id: int | None = None
    _edit_group: str = ""

    # -- loading (called by page loaders with the Actor they resolved) -------------------------

    def _refresh(self, actor: Actor, mode: str | None = None, venture_id: int | None = None):
        if mode is not None:
            self._mode, self._venture_id = mode, venture_id
        with read_only() as uow:
            if self._mode == "venture" and self._venture_id is not None:
                detail = get_venture(uow, actor, self._venture_id)
                editable = actor.can("quicklinks.venture.manage", self._venture_id)
                self.groups = [
                    LinkGroupRow(
                        key=f"venture:{self._venture_id}",
                        kind="venture",
                        title=detail.venture.name,
                        code=detail.venture.code,
                        can_add=editable,
                        empty_text="No links for this venture yet."
                        + (" Add the tools its team opens every day." if editable else ""),
                        links=_rows(detail.links, editable),
                    )
                ]
                return
            groups = visible_quick_links(uow, actor)
            ventures = list_ventures(uow, actor) if self._mode == "admin" else []
        if self._mode == "admin":
            self.groups = self._admin_groups(actor, groups, ventures)
        else:
            self.groups = self._my_day_groups(actor, groups)

    def _my_day_groups(self, actor: Actor, groups: list) -> list[LinkGroupRow]:
        only = self._filter_venture_id(actor)
        rows = []
        for g in groups:
            if g.kind == "venture" and only is not None and g.venture_id != only:
                continue
            personal = g.kind == "personal"
            rows.append(
                LinkGroupRow(
                    key=g.kind if g.kind != "venture" else f"venture:{g.venture_id}",
                    kind=g.kind,
                    title=g.title,
                    code=g.venture_code or "",
                    can_add=personal and actor.can("quicklinks.personal.manage"),
                    empty_text=(
                        "Add the pages you open every day: they stay here, just for you."
                        if actor.can("quicklinks.personal.manage")
                        else "Your role keeps no personal links."
                    )
                    if personal
                    else "",
                    links=_rows(list(g.links), editable=personal),
                )
            )
        return rows

    def _admin_groups(self, actor: Actor, groups: list, ventures: list) -> list[LinkGroupRow]:
        by_venture = {g.venture_id: g for g in groups if g.kind == "venture"}
        global_group = next((g for g in groups if g.kind == "global"), None)
        can_global = actor.can("admin.quicklinks.manage")
        rows = [
            LinkGroupRow(
                key="global",
                kind="global",
                title="Everyone",
                can_add=can_global,
                empty_text="No global links. Add the company-wide tools every employee needs.",
                links=_rows(list(global_group.links) if global_group else [], can_global),
            )
        ]
        for v in ventures:
            editable = actor.can("quicklinks.venture.manage", v.id)
            g = by_venture.get(v.id)
            rows.append(
                LinkGroupRow(
                    key=f"venture:{v.id}",
                    kind="venture",
                    title=v.name,
                    code=v.code,
                    can_add=editable,
                    empty_text=f"No links for {v.name} yet. Its team sees what you add here.",
                    links=_rows(list(g.links) if g else [], editable),
                )
            )
        return rows

    def _find(self, link_id: int) -> tuple[LinkGroupRow, LinkRow] | None:
        for g in self.groups:
            for link in g.links:
                if link.id == link_id:
                    return g, link
        return None

    def _error(self, exc: DomainError) -> None:
        if isinstance(exc, Invalid):
            self.label_error = exc.fields.get("label", "")
            self.url_error = exc.fields.get("url", "")
            rest = {k: v for k, v in exc.fields.items() if k not in ("label", "url")}
            self.form_error = "; ".join(f"{k}: {v}" for k, v in rest.items())
        else:
            self.form_error = exc.message

    # -- public handlers -----------------------------------------------------------------------

    @rx.event
    @guarded(page="admin_quick_links")
    def load_admin(self, actor: Actor) -> rx.event.EventSpec | None:
        """On_load of /admin/quick-links."""
        self._refresh(actor, "admin")
        self._ready("admin_quick_links")
        return None

    @rx.event
    def open_add(self, group_key: str) -> None:
        if _parse_group(str(group_key)) is None:
            return
        self._edit_id, self._edit_group = None, str(group_key)
        group = next((g for g in self.groups if g.key == group_key), None)
        where = "your links" if group_key == "personal" else (group.title if group else "")
        self.dialog_title = f"Add a link to {where}" if where else "Add a link"
        self.form_label = self.form_url = ""
        self.label_error = self.url_error = self.form_error = ""
        self.dialog_open = True

    @rx.event
    def open_edit(self, link_id: int) -> None:
        found = self._find(int(link_id))
        if found is None:
            return
        group, link = found
        self._edit_id, self._edit_group = link.id, group.key
        self.dialog_title = "Edit link"
        self.form_label, self.form_url = link.label, link.url
        self.label_error = self.url_error = self.form_error = ""
        self.dialog_open = True

    @rx.event
    def set_dialog_open(self, open: bool) -> None:
        self.dialog_open = bool(open)

    @rx.event
    @guarded
    def save_link(self, actor: Actor, form_data: dict[str, Any]):
        parsed = _parse_group(self._edit_group)
        if parsed is None:
            return None
        owner, venture_id = parsed
        label = str(form_data.get("label") or "").strip()
        url = str(form_data.get("url") or "").strip()
        self.form_label, self.form_url = label, url
        self.label_error = self.url_error = self.form_error = ""
        try:
            with unit_of_work() as uow:
                if self._edit_id is None:
                    add_quick_link(
                        uow,
                        actor,
                        {"label": label, "url": url, "owner": owner, "venture_id": venture_id},
                    )
                else:
                    update_quick_link(uow, actor, self._edit_id, {"label": label, "url": url})
        except DomainError as exc:
            self._error(exc)
            return None
        added = self._edit_id is None
        self.dialog_open = False
        self._refresh(actor)
        return rx.toast.success(f"Link “{label}” {'added' if added else 'saved'}.")

    @rx.event
    @guarded
    def move_link(self, actor: Actor, link_id: int, delta: int):
        self._refresh(actor)  # current order from the database, not from the client
        found = self._find(int(link_id))
        if found is None or not found[1].editable:
            return None
        group, _ = found
        ids = [link.id for link in group.links]
        i = ids.index(int(link_id))
        j = i + (1 if int(delta) > 0 else -1)
        if not 0 <= j < len(ids):
            return None
        ids[i], ids[j] = ids[j], ids[i]
        parsed = _parse_group(group.key)
        assert parsed is not None
        owner, venture_id = parsed
        with unit_of_work() as uow:
            reorder_quick_links(uow, actor, ids, owner=owner, venture_id=venture_id)
        self._refresh(actor)
        return None

    @rx.event
    @guarded
    def remove_link(self, actor: Actor, link_id: int):
        found = self._find(int(link_id))
        label = found[1].label if found else "The link"
        with unit_of_work() as uow:
            remove_quick_link(uow, actor, int(link_id))
        self._refresh(actor)
        return rx.toast.success(f"“{label}” removed.")
