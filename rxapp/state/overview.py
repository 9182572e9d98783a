"""/overview: leadership's cross-venture overview, a row per venture in scope (or the one chosen
in the header) with its wing's headline numbers over a date range against the previous period,
each row linking to the venture's dashboard.

Every number is the domain's (``domain.analytics.overview``): money in the venture's own
currency (holdings: one number per currency), never added across ventures. The read may compute
and store missing days, so it runs in a background event (``RangeDashboard``).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from domain import clock
from domain.access.actor import Actor
from domain.analytics.overview import Overview, OverviewNumber, OverviewRow, overview
from domain.db import read_only
from rxapp.state.dashboard_base import PRESETS, RangeDashboard, Reader, headline_card
from rxapp.state.session import SessionState

__all__ = ["PRESETS", "OverviewState", "VentureRow"]

SECTION_LABELS = {
    "freight": "Freight",
    "hospitality": "Hotels",
    "bpo": "BPO",
    "saas": "SaaS",
    "holdings": "Holdings",
}
SLOTS = 3  # headline numbers shown per venture (each wing has at most three)


@dataclasses.dataclass
class VentureRow:
    venture_id: str = ""
    code: str = ""
    name: str = ""
    section: str = ""
    path: str = ""
    # Up to three headlines, flat: label, value, change, its colour and arrow.
    l1: str = ""
    v1: str = ""
    c1: str = ""
    k1: str = "gray"
    a1: str = "minus"
    l2: str = ""
    v2: str = ""
    c2: str = ""
    k2: str = "gray"
    a2: str = "minus"
    l3: str = ""
    v3: str = ""
    c3: str = ""
    k3: str = "gray"
    a3: str = "minus"


def venture_row(r: OverviewRow) -> VentureRow:
    row = VentureRow(
        venture_id=str(r.venture_id),
        code=r.code,
        name=r.name,
        section=SECTION_LABELS.get(r.section, r.section),
        path=r.dashboard_path,
    )
    for i, n in enumerate(r.numbers[:SLOTS], start=1):
        card = headline_card(n, _currency(n))
        setattr(row, f"l{i}", n.label)
        setattr(row, f"v{i}", card.value)
        setattr(row, f"c{i}", card.change)
        setattr(row, f"k{i}", card.change_color)
        setattr(row, f"a{i}", card.arrow)
    return row


def _currency(n: OverviewNumber) -> str | None:
    return n.currency


def _read(
    actor: Actor,
    start: date | None,
    end: date | None,
    venture_id: int | None,
    preset: str | None = None,
) -> Overview:
    with read_only() as uow:
        return overview(uow, actor, start, end, venture_id=venture_id, preset=preset)


class OverviewState(RangeDashboard, SessionState):
    rows: list[VentureRow] = []

    def _page_key(self) -> str:
        return "overview"

    def _reader(self) -> Reader:
        return _read

    def _clear(self) -> None:
        self.headlines, self.series, self.rows = [], [], []

    def _show(self, o: Overview) -> None:
        fmt = clock.format_business_date
        self.f_from, self.f_to = o.start.isoformat(), o.end.isoformat()
        self.period = (
            f"{fmt(o.start)} to {fmt(o.end)} ({(o.end - o.start).days + 1} days), compared with "
            f"{fmt(o.previous_start)} to {fmt(o.previous_end)}. Amounts are in each venture's "
            "currency and never added across ventures."
        )
        self.rows = [venture_row(r) for r in o.rows]
        self.has_data = bool(o.rows)
        self.computed_note = o.computed_note
        self.form_key += 1
