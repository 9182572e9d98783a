"""/hospitality/reviews: guest reviews of the hotels the reader works with, newest first, with
the filters of spec/operations.md (unanswered, rating <= 3, hotel, source) and the respond
dialog. The dialog shows who answered first and when: the first non-empty response stamps them
(the domain's rule); a later edit changes the text only.

Handlers take the review id from the client and hand it to the domain, which finds the review
through scope (out of scope = not found) and checks the permission.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError, Forbidden, NotFound
from domain.hospitality.models import ReviewSource
from domain.hospitality.queries import ReviewFilter, get_review_view, list_hotels, list_reviews
from domain.hospitality.services import respond_to_review
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import Option, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.hospitality import SOURCES, ReviewRow, review_row

PAGE_SIZE = 50
ON = ("on", True, "true")

RESPOND_FORM = Form(("response_text",), {"response_text": "Response"}, open="respond_open")


class HospitalityReviewsState(CursorPages, SessionState):
    rows: list[ReviewRow] = []
    hotel_options: list[Option] = []
    source_options: list[Option] = [Option(s.value, label) for s, label in SOURCES.items()]
    f_hotel: str = "all"
    f_source: str = "all"
    f_unanswered: bool = False
    f_low: bool = False
    form_key: int = 0
    can_respond: bool = False

    # the respond dialog
    respond_open: bool = False
    review: ReviewRow = ReviewRow()
    err: dict[str, str] = {"response_text": ""}
    errors: list[str] = []
    busy: bool = False
    respond_key: int = 0

    _review_id: int | None = None

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Reviews {start:,} to {start + len(self.rows) - 1:,}, newest first"

    def _filter(self, actor: Actor) -> ReviewFilter:
        source = [ReviewSource(self.f_source)] if self.f_source in ReviewSource.__members__ else []
        return ReviewFilter(
            venture_id=self._filter_venture_id(actor),
            hotel_id=as_int(self.f_hotel),
            unanswered=self.f_unanswered,
            max_rating=3 if self.f_low else None,
            sources=source,
        )

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = list_reviews(
                uow, actor, self._filter(actor), cursor=self._page_cursor(), limit=PAGE_SIZE
            )
        self.rows = [review_row(v) for v in page.items]
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="hospitality_reviews")
    def load(self, actor: Actor):
        with read_only() as uow:
            hotels = list_hotels(uow, actor, venture_id=self._filter_venture_id(actor), limit=200)
        self.hotel_options = [Option(str(h.id), f"{h.code} · {h.name}") for h in hotels.items]
        if self.f_hotel not in {o.value for o in self.hotel_options}:
            self.f_hotel = "all"
        self.can_respond = actor.can("hospitality.reviews.respond")
        self.respond_open, self._review_id = False, None
        self._first_page()
        event = self._safe_query(actor)
        self._ready("hospitality_reviews")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        hotel = as_text(form_data.get("hotel") or "all", 20)
        self.f_hotel = hotel if hotel in {o.value for o in self.hotel_options} else "all"
        source = as_text(form_data.get("source") or "all", 20)
        self.f_source = source if source in ReviewSource.__members__ else "all"
        self.f_unanswered = form_data.get("unanswered") in ON
        self.f_low = form_data.get("low") in ON
        self._first_page()
        return self._safe_query(actor)

    @rx.event
    @guarded
    def clear_filters(self, actor: Actor):
        self.f_hotel, self.f_source, self.f_unanswered, self.f_low = "all", "all", False, False
        self.form_key += 1
        self._first_page()
        return self._safe_query(actor)

    # -- respond ------------------------------------------------------------------------------

    @rx.event
    @guarded
    def open_respond(self, actor: Actor, review_id: int):
        rid = as_int(review_id)
        if rid is None:
            return None
        try:
            with read_only() as uow:
                view = get_review_view(uow, actor, rid)
        except (NotFound, Forbidden):  # a refusal says no more than a missing review
            raise NotFound("review", rid) from None
        self.review = review_row(view)
        self._review_id = view.id
        RESPOND_FORM.clear(self)
        self.respond_key += 1
        self.respond_open = True
        return None

    @rx.event
    def set_respond_open(self, open: bool) -> None:
        if not self.busy:
            self.respond_open = bool(open)
            if not open:
                self._review_id = None

    @rx.event(background=True)
    @submits(RESPOND_FORM)
    async def respond(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            rid = self._review_id
        if rid is None:
            return None
        text = as_text(form_data.get("response_text"), 5_000)
        view = await in_unit_of_work(respond_to_review, actor, rid, {"response_text": text})
        async with self:
            self.review = review_row(view)
            self._review_id = None
            try:
                self._query(actor)
            except DomainError:  # the answer is saved; the list shows it on the next load
                self.rows = []
        first = view.responded_by_id == actor.user_id
        who = "" if first else f" (first answered by {view.responded_by_name})"
        return Saved(f"Response to {view.reviewer_name or 'the guest'} saved{who}.")
