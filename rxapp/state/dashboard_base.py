"""What every wing's dashboard page shares: the range form (typed dates or a quick preset, checked
by the domain's range rule), the headline cards against the previous period, and the read run
off the event loop (a dashboard may compute and store missing days).

A wing's dashboard state mixes ``RangeDashboard`` in next to ``SessionState`` and says three
things: its page key (``_page_key``), the domain read (``_reader``: a plain function run on a
worker thread, ``(actor, start, end, venture_id, preset) -> dashboard``) and how a dashboard is
shown (``_show``) or cleared (``_clear``)::

    class FreightDashboardState(RangeDashboard, SessionState):
        def _page_key(self) -> str: return "freight_dashboard"
        def _reader(self): return _dashboard
        def _show(self, dash): ...
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

import reflex as rx

from domain.access.actor import Actor
from domain.analytics import kpi_days
from domain.analytics.ranges import PRESET_LABELS, Preset, check_range
from domain.errors import DomainError, Invalid
from rxapp.state.errors import field_errors
from rxapp.state.forms import as_date, as_text
from rxapp.views.freight import count, money, pct

# The quick ranges the pages offer (their buttons): the domain's presets.
PRESETS = {p.value: label for p, label in PRESET_LABELS.items()}
RANGE_LABELS = {"start": "Start date", "end": "End date", "preset": "Range"}
# Metrics where a rise is bad news (the arrow turns red when they go up).
UP_IS_BAD = {"loads_lost"}

Reader = Callable[[Actor, date | None, date | None, int | None, str | None], Any]


class HeadlineLike(Protocol):
    """A domain headline (freight's, hospitality's, BPO's): one metric of a period against the
    previous one. ``kind`` is money, ratio or count."""

    metric: str
    label: str
    kind: str
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None


@dataclasses.dataclass
class HeadlineCard:
    metric: str = ""
    label: str = ""
    value: str = ""
    change: str = ""
    change_color: str = "gray"
    arrow: str = "minus"
    previous: str = ""
    hint: str = ""


def _value(kind: str, value: Decimal | None, currency: str | None) -> str:
    if kind == "money":
        return money(value, currency, empty="n/a")
    if kind == "ratio":
        return pct(value)
    return count(value)


def headline_card(h: HeadlineLike, currency: str | None) -> HeadlineCard:
    change, color, arrow = "n/a", "gray", "minus"
    if h.change is not None:
        if h.kind == "ratio":
            points = h.change * 100
            change = f"{points:+.1f} pts"
        else:
            change = pct(h.change, signed=True)
        if h.change > 0:
            arrow = "arrow-up-right"
            color = "red" if h.metric in UP_IS_BAD else "green"
        elif h.change < 0:
            arrow = "arrow-down-right"
            color = "green" if h.metric in UP_IS_BAD else "red"
        if change in ("0.0%", "+0.0 pts", "-0.0 pts"):
            change, color, arrow = "no change", "gray", "minus"
    hint = "last day" if h.metric.startswith("active_") else ""
    return HeadlineCard(
        metric=h.metric,
        label=h.label,
        value=_value(h.kind, h.value, currency),
        change=change,
        change_color=color,
        arrow=arrow,
        previous=f"vs {_value(h.kind, h.previous, currency)}",
        hint=hint,
    )


def range_error(exc: Invalid) -> str:
    """The domain's refusal of a range, in one line under the dates."""
    by_field, summary = field_errors(exc, RANGE_LABELS)
    return by_field.get("end") or by_field.get("start") or "; ".join(summary)


def computed_note(days: list[date]) -> str:
    """What the page says when the read had to compute (and store) days: the domain's note."""
    return kpi_days.computed_note(days)


class RangeDashboard(rx.State, mixin=True):
    f_from: str = ""
    f_to: str = ""
    range_error: str = ""
    period: str = ""
    currency: str = "USD"
    headlines: list[HeadlineCard] = []
    series: list[dict[str, Any]] = []
    computed_note: str = ""
    has_data: bool = False
    loading: bool = False
    form_key: int = 0

    # -- what a wing's state says -----------------------------------------------------------------

    def _page_key(self) -> str:
        raise NotImplementedError

    def _reader(self) -> Reader:
        """The domain read, a plain function run on a worker thread."""
        raise NotImplementedError

    def _show(self, dash: Any) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        """No dashboard to show (the range was refused): empty what ``_show`` fills."""
        self.headlines, self.series = [], []

    # -- the shared handlers ----------------------------------------------------------------------

    async def _read(
        self,
        reader: Reader,
        actor: Actor,
        start: date | None,
        end: date | None,
        vid: int | None,
        preset: str | None = None,
    ) -> tuple[Any, str | None]:
        """Run the read off the loop; returns the dashboard or the error to show."""
        try:
            return await asyncio.to_thread(reader, actor, start, end, vid, preset), None
        except Invalid as exc:
            return None, range_error(exc)
        except DomainError as exc:
            return None, exc.message

    @rx.event(background=True)
    async def load(self):
        async with self:
            key = self._page_key()
            actor, bounce = self._enter(key)  # type: ignore[attr-defined]
            if actor is not None:
                start, end = as_date(self.f_from), as_date(self.f_to)
                vid = self._filter_venture_id(actor)  # type: ignore[attr-defined]
                reader = self._reader()
                self.loading = True
        if actor is None:
            if bounce is not None:
                yield bounce
            return
        dash, error = await self._read(reader, actor, start, end, vid)
        if dash is None and (start or end):  # a remembered range that no longer works
            dash, error = await self._read(reader, actor, None, None, vid)
        async with self:
            self.loading = False
            if dash is None:
                self.range_error = error or ""
                self._clear()
            else:
                self.range_error = ""
                self._show(dash)
            self._ready(key)  # type: ignore[attr-defined]

    @rx.event(background=True)
    async def apply_range(self, form_data: dict[str, Any]):
        async with self:
            if self.loading:
                return
            actor = self._actor()  # type: ignore[attr-defined]
            bounce = self._bounce() if actor is None else None  # type: ignore[attr-defined]
            if actor is not None:
                # A preset is the quick range ending on the end date shown (the domain's today
                # when none is); typed dates are checked by the domain's range rule first.
                preset = as_text(form_data.get("preset"), 10) or None
                if preset:
                    start, end = None, as_date(self.f_to)
                else:
                    start, end = as_date(form_data.get("from")), as_date(form_data.get("to"))
                vid = self._filter_venture_id(actor)  # type: ignore[attr-defined]
                reader = self._reader()
                error = ""
                if not preset:
                    try:
                        check_range(start, end)
                    except Invalid as exc:
                        error = range_error(exc)
                self.range_error = error
                self.loading = not error
        if actor is None:
            yield bounce
            return
        if error:
            return
        dash, error = await self._read(reader, actor, start, end, vid, preset)
        async with self:
            self.loading = False
            if dash is None:
                self.range_error = error or ""
            else:
                self._show(dash)

    @rx.event
    def preset(self, days: str):
        """Quick ranges, the domain's presets: the last 7, 30 or 90 days, or the month so far,
        up to the end date shown."""
        chosen = str(days) if str(days) in PRESETS else Preset.LAST_30_DAYS.value
        return type(self).apply_range({"preset": chosen})  # type: ignore[operator]
