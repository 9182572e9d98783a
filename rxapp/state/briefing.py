"""/briefing: one business date of the daily briefing in the reader's scope (the domain decides
what the reader sees): the summary line, fires, then storms, then wins, grouped by venture."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.briefing.digest import digest_choice, set_digest_choice
from domain.briefing.queries import BriefingItemView, briefing_day, default_briefing_day
from domain.db import read_only, unit_of_work
from rxapp.format import fmt_date
from rxapp.state.forms import as_date, query_params
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState

SEVERITY_LABELS = {"CRITICAL": "Fire", "WARN": "Storm", "INFO": "Win"}


@dataclasses.dataclass
class BriefingRow:
    id: int = 0
    severity: str = ""  # CRITICAL, WARN, INFO
    severity_label: str = ""
    section: str = ""
    venture_code: str = ""
    venture_name: str = ""
    title: str = ""
    detail: str = ""
    link: str = ""
    # The first item of its venture inside its severity group: the page prints the venture's name.
    venture_head: bool = False


def briefing_rows(items: list[BriefingItemView]) -> list[BriefingRow]:
    out: list[BriefingRow] = []
    previous: tuple[str, int] | None = None
    for i in items:
        key = (str(i.severity), i.venture_id)
        out.append(
            BriefingRow(
                id=i.id,
                severity=str(i.severity),
                severity_label=SEVERITY_LABELS.get(str(i.severity), str(i.severity)),
                section=str(i.section).capitalize(),
                venture_code=i.venture_code,
                venture_name=i.venture_name,
                title=i.title,
                detail=i.detail,
                link=i.link or "",
                venture_head=key != previous,
            )
        )
        previous = key
    return out


class BriefingState(SessionState):
    f_day: str = ""
    day_label: str = ""
    summary: str = ""
    fires: list[BriefingRow] = []
    storms: list[BriefingRow] = []
    wins: list[BriefingRow] = []
    left_out: int = 0
    # The reader's own morning email (the domain says whether it is for them at all).
    digest_eligible: bool = False
    digest_on: bool = False

    def _query(self, actor: Actor) -> None:
        day = as_date(self.f_day) or default_briefing_day()
        with read_only() as uow:
            result = briefing_day(uow, actor, day, venture_id=self._filter_venture_id(actor))
        rows = briefing_rows(result.items)
        self.f_day = day.isoformat()
        self.day_label = fmt_date(day)
        self.summary = result.summary
        self.fires = [r for r in rows if r.severity == "CRITICAL"]
        self.storms = [r for r in rows if r.severity == "WARN"]
        self.wins = [r for r in rows if r.severity == "INFO"]
        self.left_out = result.left_out

    @rx.event
    @guarded(page="briefing")
    def load(self, actor: Actor):
        day = as_date(query_params(self).get("date"))
        self.f_day = day.isoformat() if day else ""
        self._query(actor)
        with read_only() as uow:
            choice = digest_choice(uow, actor)
        self.digest_eligible, self.digest_on = choice.eligible, choice.receive
        self._ready("briefing")

    @rx.event
    @guarded
    def apply_day(self, actor: Actor, form_data: dict[str, Any]):
        day = as_date(form_data.get("day"))
        self.f_day = day.isoformat() if day else ""
        self._query(actor)

    @rx.event
    @guarded
    def shift_day(self, actor: Actor, days: int):
        day = as_date(self.f_day) or default_briefing_day()
        self.f_day = (day + timedelta(days=int(days))).isoformat()
        self._query(actor)

    @rx.event
    @guarded
    def set_digest(self, actor: Actor, receive: bool):
        with unit_of_work() as uow:
            choice = set_digest_choice(uow, actor, {"receive": receive})
        self.digest_eligible, self.digest_on = choice.eligible, choice.receive
        if choice.receive:
            return rx.toast.success("The briefing will come by email each morning.")
        return rx.toast.success("No more morning email of the briefing.")
