"""CSV export of what a list page has filtered (ui.md): the same scoped domain query, walked page
by page with its keyset cursor on a worker thread, written as plain spreadsheet values."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.db import UnitOfWork, read_only
from domain.errors import DomainError
from domain.pagination import Page
from domain.settings import get_settings

T = TypeVar("T")

EXPORT_LIMIT = 20_000  # rows per file; the toast says when the filters matched more
_PAGE = 200  # the domain's page-size cap


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_time(t: datetime | None) -> str:
    """A timestamp for a spreadsheet: UTC, ISO 8601 to the second (``2026-11-27T19:05:00+00:00``);
    empty when there is none."""
    return t.astimezone(UTC).isoformat(timespec="seconds") if t else ""


def _cell(value: Any) -> Any:
    """A text cell starting like a formula (= + - @, tab, CR) would run in a spreadsheet: it gets
    a leading apostrophe. Plain numbers (a negative margin) stay numbers."""
    if isinstance(value, str) and value[:1] in _FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(c) for c in row])
    return buf.getvalue()


def collect_pages(
    fetch: Callable[[str | None, int], Page[T]],
    to_row: Callable[[T], Sequence[Any]],
    *,
    limit: int = EXPORT_LIMIT,
) -> tuple[list[Sequence[Any]], bool]:
    """Rows of every page ``fetch(cursor, page_size)`` returns, up to ``limit``; and whether the
    query matched more than that."""
    rows: list[Sequence[Any]] = []
    cursor: str | None = None
    while True:
        page = fetch(cursor, _PAGE)
        rows.extend(to_row(item) for item in page.items)
        if len(rows) >= limit:
            return rows[:limit], len(rows) > limit or page.has_more
        if not page.has_more or not page.next_cursor:
            return rows, False
        cursor = page.next_cursor


@dataclass(frozen=True)
class ExportPlan(Generic[T]):
    """What one list page exports: taken from the state (filters, actor) under its lock, then run
    on a worker thread."""

    noun: str  # "loads", "audit entries": for the toast
    file_stem: str  # "loads" -> loads-2026-11-27.csv
    header: Sequence[str]
    fetch: Callable[[UnitOfWork, str | None, int], Page[T]]  # the scoped domain query
    to_row: Callable[[T], Sequence[Any]]


def run_export(plan: ExportPlan[Any]) -> tuple[str, int, bool]:
    """CSV text, row count, and whether the filters matched more than EXPORT_LIMIT."""
    with read_only() as uow:
        rows, truncated = collect_pages(lambda c, n: plan.fetch(uow, c, n), plan.to_row)
    return to_csv(plan.header, rows), len(rows), truncated


class CsvExport(rx.State, mixin=True):
    """The "Export CSV" button's handler for a list page. A state mixes this in next to its session
    base and implements `_export_plan` (an ExportPlan, or a message saying why not)."""

    exporting: bool = False

    def _export_plan(self, actor: Actor) -> ExportPlan[Any] | str:
        raise NotImplementedError

    @rx.event(background=True)
    async def export_csv(self):
        """Every row the filters match (up to EXPORT_LIMIT), read in pages off the event loop."""
        refusal: Any = None
        async with self:
            if self.exporting:
                return
            actor = self._actor()  # type: ignore[attr-defined]  # from the session base
            if actor is None:
                refusal = self._bounce()  # type: ignore[attr-defined]
            else:
                plan = self._export_plan(actor)
                if isinstance(plan, str):
                    refusal = rx.toast.error(plan)
                else:
                    self.exporting = True
        if refusal is not None:
            yield refusal
            return
        try:
            text, n, truncated = await asyncio.to_thread(run_export, plan)
        except DomainError as exc:
            yield rx.toast.error(exc.message)
            return
        finally:  # whatever happened, the button works again
            async with self:
                self.exporting = False
        today = clock.today(get_settings().group_timezone)
        filename = f"{plan.file_stem}-{today.isoformat()}.csv"
        yield rx.download(data=text, mime_type="text/csv", filename=filename)
        more = (
            f" (the first {EXPORT_LIMIT:,}; narrow the filters for the rest)" if truncated else ""
        )
        yield rx.toast.success(f"Exported {n:,} {plan.noun}{more}.")
