"""Points (spec/events-and-gamification.md): My points (/points), the leaderboard
(/points/leaderboard) and a venture's points config (/points/config, CEO, ADMIN, COO).

The domain decides everything: whose points, which ventures and offices a reader may rank,
who may read or change a config and what a config may hold (each refusal names its field,
``points.LOAD_COMPLETED``, which the page shows under that field). Out-of-scope and unknown
ventures answer "not found" alike.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError, Invalid, NotFound
from domain.gamification.models import DEFAULT_POINTS
from domain.gamification.queries import (
    PERIODS,
    BoardVenture,
    board_choices,
    leaderboard,
    my_points,
    points_history,
)
from domain.gamification.services import ConfigView, get_config, update_config
from domain.org.queries import list_ventures
from domain.schemas import friendly_message
from rxapp.state.form_base import in_unit_of_work
from rxapp.state.forms import Option, as_int, query_params
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.freight import count
from rxapp.views.gamification import (
    PERIOD_LABELS,
    BadgeRow,
    BalanceRow,
    ConfigRow,
    HistoryRow,
    RankRow,
    badge_row,
    balance_row,
    history_row,
    rank_row,
    type_label,
)

PAGE_SIZE = 25
BOARD_ROWS = 50  # rows of the leaderboard table; the reader's own rank shows whatever it is


class MyPointsState(CursorPages, SessionState):
    """/points: my balance per venture, my awards (cursor pages, newest first, with what each
    was for and a capped award's reason) and my badges with the date earned."""

    total: str = "0"
    balances: list[BalanceRow] = []
    badges: list[BadgeRow] = []
    rows: list[HistoryRow] = []

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Awards {start} to {start + len(self.rows) - 1}, newest first"

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = points_history(
                uow,
                actor,
                venture_id=self._filter_venture_id(actor),
                cursor=self._page_cursor(),
                limit=PAGE_SIZE,
            )
        self.rows = [history_row(h) for h in page.items]
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="my_points")
    def load(self, actor: Actor):
        with read_only() as uow:
            mine = my_points(uow, actor, limit=1)
        codes = {b.venture_id: b.venture_code for b in mine.balances}
        self.total = count(mine.total)
        self.balances = [balance_row(b.venture_id, b.venture_code, b.points) for b in mine.balances]
        self.badges = [badge_row(b, codes) for b in reversed(mine.badges)]  # newest first
        self._first_page()
        self._query(actor)
        self._ready("my_points")


class LeaderboardState(SessionState):
    """/points/leaderboard: a venture's (or one office's) ranking for this week, this month or
    all time; a podium for the top three and the reader's own rank, also when it is below the
    rows shown."""

    choices: list[Option] = []
    venture_id: str = ""
    offices: list[Option] = []
    office_id: str = "all"
    period: str = "week"
    period_label: str = PERIOD_LABELS["week"]
    range_text: str = ""
    podium: list[RankRow] = []
    rows: list[RankRow] = []
    me_rank: int = 0  # 0: the reader has no points in this period
    me_points: str = "0"
    me_in_rows: bool = False
    not_found: bool = False

    _boards: list[dict[str, Any]] = []  # BoardVenture dumps: the offices of each venture

    def _offices_of(self, vid: int | None) -> list[Option]:
        for b in self._boards:
            if b["id"] == vid:
                board = BoardVenture.model_validate(b)
                return [Option(str(o.id), o.name) for o in board.offices]
        return []

    def _read(self, actor: Actor) -> None:
        vid = as_int(self.venture_id)
        office = as_int(self.office_id) if self.office_id != "all" else None
        self.not_found = False
        if vid is None:
            self.podium, self.rows, self.me_rank = [], [], 0
            return
        from domain import clock

        try:
            with read_only() as uow:
                board = leaderboard(
                    uow, actor, vid, office_id=office, period=self.period, limit=BOARD_ROWS
                )
        except NotFound:
            self.podium, self.rows, self.me_rank, self.not_found = [], [], 0, True
            return
        me = actor.user_id
        self.podium = [rank_row(r, me) for r in board.podium]
        self.rows = [rank_row(r, me) for r in board.rows]
        self.me_rank = board.me.rank if board.me else 0
        mine = board.me.points if board.me else 0
        self.me_points = f"{count(mine)} point{'' if mine == 1 else 's'}"
        self.me_in_rows = any(r.mine for r in self.rows)
        self.period_label = PERIOD_LABELS.get(self.period, self.period)
        end = clock.format_business_date(board.end)
        self.range_text = (
            f"{clock.format_business_date(board.start)} to {end}"
            if board.start
            else f"Everything up to {end}"
        )

    @rx.event
    @guarded(page="leaderboard")
    def load(self, actor: Actor):
        with read_only() as uow:
            boards = board_choices(uow, actor)
        self._boards = [b.model_dump() for b in boards]
        self.choices = [Option(str(b.id), f"{b.code} · {b.name}") for b in boards]
        ids = [b.id for b in boards]
        params = query_params(self)
        wanted = as_int(params.get("venture")) or self._filter_venture_id(actor)
        vid = as_int(self.venture_id)
        if wanted is not None:
            vid = wanted  # another venture's id: the domain answers not found
        elif vid not in ids:
            vid = ids[0] if ids else None
        if params.get("period") in PERIODS:
            self.period = params["period"]
        self.venture_id = str(vid) if vid else ""
        self.offices = self._offices_of(vid)
        if self.office_id not in {o.value for o in self.offices}:
            self.office_id = "all"
        self._read(actor)
        self._ready("leaderboard")

    @rx.event
    @guarded
    def choose_venture(self, actor: Actor, value: str):
        vid = as_int(value)
        self.venture_id = str(vid) if vid else ""
        self.offices = self._offices_of(vid)
        self.office_id = "all"
        self._read(actor)

    @rx.event
    @guarded
    def choose_period(self, actor: Actor, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        if not isinstance(value, str) or value not in PERIODS:
            return rx.toast.error(f"Period must be one of {', '.join(PERIODS)}.")
        self.period = str(value)
        self._read(actor)
        return None

    @rx.event
    @guarded
    def choose_office(self, actor: Actor, value: str):
        value = str(value)
        self.office_id = value if value == "all" or as_int(value) else "all"
        self._read(actor)


def _config_rows(view: ConfigView) -> list[ConfigRow]:
    return [
        ConfigRow(
            kind=kind,
            label=type_label(kind),
            default=str(default),
            points=str(view.overrides[kind]) if kind in view.overrides else "",
            cap=str(view.daily_caps[kind]) if kind in view.daily_caps else "",
            effective=str(view.points[kind]),
        )
        for kind, default in DEFAULT_POINTS.items()
    ]


def config_payload(form_data: dict[str, Any]) -> dict[str, Any]:
    """The form as the domain's ``update_config`` reads it: every type's points and cap (an
    empty field: no override / no cap), the enabled switch (a checked switch submits "on")."""
    points: dict[str, Any] = {}
    caps: dict[str, Any] = {}
    for kind in DEFAULT_POINTS:
        p = str(form_data.get(f"points.{kind}", "") or "").strip()
        c = str(form_data.get(f"cap.{kind}", "") or "").strip()
        points[kind] = p or None
        caps[kind] = c or None
    return {
        "enabled": str(form_data.get("enabled", "")).lower() in ("on", "true", "1"),
        "points": points,
        "daily_caps": caps,
    }


def config_errors(exc: Invalid) -> tuple[dict[str, str], list[str]]:
    """The domain's fields (``points.LOAD_COMPLETED``, ``daily_caps.LOAD_COMPLETED``) as the
    page's error keys (``points.X``, ``cap.X``) and one summary line naming the type each."""
    by_field: dict[str, str] = {}
    summary: list[str] = []
    for name, message in exc.fields.items():
        area, _, kind = name.partition(".")
        text = friendly_message(message)
        if area == "points" and kind:
            key, what = f"points.{kind}", f"Points for {type_label(kind)}"
        elif area == "daily_caps" and kind:
            key, what = f"cap.{kind}", f"Daily cap for {type_label(kind)}"
        else:
            key, what = area, area.replace("_", " ").capitalize()
        by_field[key] = text[:1].upper() + text[1:]
        summary.append(f"{what}: {text}")
    return by_field, summary or [exc.message]


class PointsConfigState(SessionState):
    """/points/config: one venture's points per type (the default unless overridden), daily
    caps and the enabled switch; saved through the domain's ``update_config``."""

    choices: list[Option] = []
    venture_id: str = ""
    venture_code: str = ""
    enabled: bool = True
    types: list[ConfigRow] = []
    err: dict[str, str] = {}
    errors: list[str] = []
    busy: bool = False
    not_found: bool = False
    form_key: int = 0

    def _show(self, view: ConfigView) -> None:
        self.venture_id = str(view.venture_id)
        self.venture_code = view.venture_code
        self.enabled = view.enabled
        self.types = _config_rows(view)
        self.not_found = False
        self.err, self.errors = {}, []
        self.form_key += 1

    def _open(self, actor: Actor, vid: int | None) -> None:
        if vid is None:
            self.types, self.venture_code = [], ""
            return
        try:
            with read_only() as uow:
                view = get_config(uow, actor, vid)
        except NotFound:
            self.types, self.venture_code, self.not_found = [], "", True
            self.venture_id = ""
            return
        self._show(view)

    @rx.event
    @guarded(page="gamification_config")
    def load(self, actor: Actor):
        with read_only() as uow:
            ventures = list_ventures(uow, actor)
        self.choices = [Option(str(v.id), f"{v.code} · {v.name}") for v in ventures]
        params = query_params(self)
        wanted = params.get("venture", "")
        vid: int | None
        if wanted:
            by_code = {v.code: v.id for v in ventures}
            vid = as_int(wanted) or by_code.get(wanted.strip().upper(), 2**31 - 1)
        else:
            vid = as_int(self.venture_id) or self._filter_venture_id(actor)
            if vid is None and ventures:
                vid = ventures[0].id
        self._open(actor, vid)
        self._ready("gamification_config")

    @rx.event
    @guarded
    def choose_venture(self, actor: Actor, value: str):
        self._open(actor, as_int(value) or 2**31 - 1)

    def _refused(self, exc: DomainError) -> Any:
        if isinstance(exc, Invalid):
            self.err, self.errors = config_errors(exc)
            return None
        if isinstance(exc, NotFound):
            self.not_found, self.types = True, []
        return rx.toast.error(exc.message)

    @rx.event(background=True)
    @guarded(busy="busy", on_error=_refused)
    async def save(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            vid = as_int(self.venture_id)
            self.err, self.errors = {}, []
        if vid is None:
            yield rx.toast.error("Choose a venture.")
            return
        view = await in_unit_of_work(update_config, actor, vid, config_payload(form_data))
        async with self:
            self._show(view)
        state = "on" if view.enabled else "off"
        yield rx.toast.success(f"Points for {view.venture_code} saved (awards {state}).")
