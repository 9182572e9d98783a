"""Keyset paging for list pages: one pattern for every table that walks a cursor.

Page 0 is fetched without a cursor; page N with the cursor page N-1 returned. The cursors are kept
on the server (a backend var), so a client can only step one page older or newer, never forge a
cursor. A state mixes this in next to its session base and implements `_query`:

    class FreightQuotesState(CursorPages, SessionState):
        def _query(self, actor): ...  # list with self._page_cursor(), then self._took(...)
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.errors import DomainError
from rxapp.state.guards import guarded


class CursorPages(rx.State, mixin=True):
    has_older: bool = False
    page_index: int = 0

    _cursors: list[str] = []

    @rx.var
    def has_newer(self) -> bool:
        return self.page_index > 0

    def _first_page(self) -> None:
        """Back to the newest page (filters changed: the old cursors mean nothing now)."""
        self.page_index, self._cursors = 0, []

    def _page_cursor(self) -> str | None:
        return self._cursors[self.page_index - 1] if self.page_index > 0 else None

    def _page_start(self, page_size: int) -> int:
        """1-based position of the first row on this page, for "Rows 51 to 100"."""
        return self.page_index * page_size + 1

    def _took(self, has_more: bool, next_cursor: str | None) -> None:
        """Record what the query of this page returned, so `older` can step on."""
        self.has_older = has_more
        if has_more and next_cursor:
            del self._cursors[self.page_index :]
            self._cursors.append(next_cursor)

    def _query(self, actor: Actor) -> None:
        """Fill ``rows`` with the current page (``_page_cursor()``), then call ``_took``."""
        raise NotImplementedError

    def _safe_query(self, actor: Actor) -> Any:
        """``_query``, or an empty table and an error toast when the domain refuses it."""
        try:
            self._query(actor)
        except DomainError as exc:
            self.rows, self.has_older = [], False  # type: ignore[attr-defined]
            return rx.toast.error(exc.message)
        return None

    def _reload_page(self, actor: Actor) -> Any:
        """What ``older``/``newer`` run after moving; a state may refresh more than its table."""
        return self._safe_query(actor)

    @rx.event
    @guarded
    def older(self, actor: Actor):
        if self.has_older and len(self._cursors) > self.page_index:
            self.page_index += 1
            return self._reload_page(actor)
        return None

    @rx.event
    @guarded
    def newer(self, actor: Actor):
        if self.page_index > 0:
            self.page_index -= 1
            return self._reload_page(actor)
        return None
