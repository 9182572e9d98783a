"""The command palette (Ctrl/Cmd+K): jump to a page, a venture, a load or (for user admins) a
person.

Pages and ventures come from the shell data the last page load resolved from the database, so
filtering them needs no query; loads are searched by reference through ``list_loads`` and people
through ``list_users``: the domain applies permission and scope to both.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from domain.db import read_only
from domain.errors import DomainError
from domain.freight.queries import LoadFilter, list_loads
from domain.org.queries import list_users
from rxapp.state.session import SessionState

MAX_RESULTS = 12


@dataclasses.dataclass
class PaletteItem:
    kind: str = ""
    label: str = ""
    hint: str = ""
    href: str = "/"
    icon: str = "circle"


class PaletteState(SessionState):
    palette_open: bool = False
    query: str = ""
    people: list[PaletteItem] = []
    loads: list[PaletteItem] = []

    @rx.var
    def results(self) -> list[PaletteItem]:
        q = self.query.strip().lower()
        items: list[PaletteItem] = []
        for section in self.nav:
            for page in section.pages:
                label = page.title if page.title != "Overview" else section.title
                items.append(
                    PaletteItem("page", label, section.title, page.path, page.icon or "circle")
                )
        items.append(PaletteItem("page", "Profile", "Your account", "/profile", "user-round"))
        for v in self.venture_options:
            items.append(PaletteItem("venture", v.name, v.code, f"/ventures/{v.id}", "building-2"))
        if q:
            items = [i for i in items if q in i.label.lower() or q in i.hint.lower()]
        return (items + list(self.loads) + list(self.people))[:MAX_RESULTS]

    @rx.event
    def set_palette_open(self, open: bool) -> None:
        self.palette_open = bool(open)
        if not self.palette_open:
            self.query, self.people, self.loads = "", [], []

    @rx.event
    def search(self, query: str) -> None:
        self.query = str(query or "")[:100]
        self.people, self.loads = [], []
        q = self.query.strip()
        if len(q) < 2:
            return
        actor = self._actor()
        if actor is None:
            return
        try:
            with read_only() as uow:
                if actor.can("freight.loads.read"):
                    only = LoadFilter(venture_id=self._filter_venture_id(actor), search=q)
                    loads = list_loads(uow, actor, only, limit=5).items
                    self.loads = [
                        PaletteItem(
                            "load",
                            load.reference,
                            f"{load.venture_code} · {load.customer_name} · {load.status.value}",
                            f"/freight/loads/{load.id}",
                            "package",
                        )
                        for load in loads
                    ]
                if actor.can("admin.users.read"):
                    people = list_users(uow, actor, search=q, limit=5).items
                    self.people = [
                        PaletteItem(
                            "person", u.name, u.email, f"/admin/users?q={u.email}", "user-round"
                        )
                        for u in people
                    ]
        except DomainError:
            return
