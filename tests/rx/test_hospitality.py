"""The hospitality pages' handlers, driven as a client would: the hotel KPI list, the one-day form
and the CSV upload (spec/operations.md: all-or-nothing, every bad line named by line number and
field, "N rows written for M hotels"), reviews (filters, the first responder kept), disputes
(create, update, a final resolution after a confirmation), the dashboard, and scope: a CSR of AFL
cannot load an HHG review or dispute through a handler; it looks like not found."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import reflex as rx
from sqlalchemy import func, select

from domain.db import read_only
from domain.hospitality.models import HotelDispute, HotelKpiDaily, HotelReview
from rxapp.state.hospitality_dashboard import HospitalityDashboardState
from rxapp.state.hospitality_disputes import HospitalityDisputesState
from rxapp.state.hospitality_kpi import HospitalityKpiState, HotelKpiFormState
from rxapp.state.hospitality_reviews import HospitalityReviewsState
from tests.integration.hospitality.conftest import (
    FRONT_DESK,
    MANAGER,
    hotels,
    kpi_csv,
    open_dispute,
    unanswered_low_review,
    yesterday,
)
from tests.rx.conftest import Tab, downloaded_text, toasts

CSR_AFL = "csr.afl@vcc.example"


def _tab(email: str, path: str) -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def _kpi_rows() -> list[tuple[Any, ...]]:
    with read_only() as uow:
        return sorted(
            uow.session.execute(
                select(
                    HotelKpiDaily.hotel_id,
                    HotelKpiDaily.day,
                    HotelKpiDaily.rooms_sold,
                    HotelKpiDaily.room_revenue,
                )
            ).all()
        )


def _upload(tab: Tab, data: bytes, name: str = "kpi.csv") -> HospitalityKpiState:
    tab.call(HospitalityKpiState, "start_upload")
    state = tab.state(HospitalityKpiState)
    assert state.upload_step == "sending"
    file = rx.UploadFile(file=io.BytesIO(data), path=Path(name))
    events = tab.call(HospitalityKpiState, "upload", [file])
    assert state.uploading and state.upload_step == "checking"
    assert any("check_upload" in str(e) for e in events)  # the domain runs in the background
    tab.call(HospitalityKpiState, "check_upload")
    assert not state.uploading
    return state


def test_a_bad_csv_is_named_by_line_and_field_and_writes_nothing_then_the_fixed_one_writes(
    demo,
) -> None:
    tab = _tab(MANAGER, "/hospitality/kpi")
    tab.call(HospitalityKpiState, "load")
    state = tab.state(HospitalityKpiState)
    assert tab.session.ready_page == "hospitality_kpi" and state.can_write and state.rows
    template = downloaded_text(tab.call(HospitalityKpiState, "download_template"))
    assert template.splitlines()[0].startswith("hotel_code,date,rooms_available,rooms_sold")

    n_hotels = len(hotels())
    before = _kpi_rows()
    good = kpi_csv(3, sold=7)
    lines = good.decode().splitlines()
    # Data lines 2 and 5 of the file (header = line 1): sold over available, and not a number.
    code, day, avail, *_ = lines[1].split(",")
    lines[1] = f"{code},{day},{avail},{int(avail) + 1},100.00,0,0,0"
    lines[4] = lines[4].split(",", 2)[0] + "," + lines[4].split(",", 2)[1] + ",many,1,1.00,0,0,0"
    _upload(tab, ("\n".join(lines) + "\n").encode())

    assert state.upload_step == "refused"
    assert state.upload_summary == "2 bad lines in the file: nothing was written."
    named = {(p.where, p.field) for p in state.upload_problems}
    assert ("Line 2", "rooms_sold") in named and ("Line 5", "rooms_available") in named
    assert [p.line for p in state.upload_problems] == sorted(p.line for p in state.upload_problems)
    assert _kpi_rows() == before  # nothing written, not even the good lines

    _upload(tab, good)
    assert state.upload_step == "written" and not state.upload_problems
    assert state.upload_summary.startswith(f"{3 * n_hotels} rows written for {n_hotels} hotels")
    written = {(r[0], r[1]): r for r in _kpi_rows()}
    for h in hotels():
        assert written[(h.id, yesterday())][2] == min(7, h.rooms)
    assert state.rows[0].day_iso == yesterday().isoformat()  # the list shows them, newest first

    # A file that is not UTF-8: the file is named, nothing written.
    _upload(tab, b"hotel_code,date\n\xff\xfe\n")
    assert state.upload_step == "refused" and state.upload_problems[0].where == "File"


def test_the_one_day_form_names_fields_then_replaces_the_day(demo) -> None:
    tab = _tab(MANAGER, "/hospitality/kpi")
    tab.call(HospitalityKpiState, "load")
    hotel = hotels()[0]
    day = (yesterday() - timedelta(days=1)).isoformat()
    tab.call(HotelKpiFormState, "open_form", hotel.id, day)
    form = tab.state(HotelKpiFormState)
    assert form.form_open and form.val["hotel_id"] == str(hotel.id) and form.val["day"] == day
    tab.call(
        HotelKpiFormState,
        "save",
        {"hotel_id": str(hotel.id), "day": day, "rooms_available": "10", "rooms_sold": "11"},
    )
    assert form.err["room_revenue"] == "Room revenue is required"
    assert form.form_open and form.val["rooms_sold"] == "11"  # what was typed stays
    tab.call(
        HotelKpiFormState,
        "save",
        {
            "hotel_id": str(hotel.id),
            "day": day,
            "rooms_available": "10",
            "rooms_sold": "11",
            "room_revenue": "100",
        },
    )
    assert form.err["rooms_sold"] == "Rooms sold is more than rooms available (10)" or (
        form.err["rooms_sold"].startswith("Rooms sold")
    )

    events = tab.call(
        HotelKpiFormState,
        "save",
        {
            "hotel_id": str(hotel.id),
            "day": day,
            "rooms_available": str(hotel.rooms),
            "rooms_sold": "5",
            "room_revenue": "$1,000.00",
        },
    )
    assert not form.form_open and any("saved: 5 of" in t for t in toasts(events))
    with read_only() as uow:
        row = uow.session.execute(
            select(HotelKpiDaily).where(
                HotelKpiDaily.hotel_id == hotel.id, HotelKpiDaily.day == yesterday() - timedelta(1)
            )
        ).scalar_one()
    assert row.rooms_sold == 5 and str(row.room_revenue) == "1000.00"


def test_review_filters_and_the_first_responder_stays(demo) -> None:
    tab = _tab(MANAGER, "/hospitality/reviews")
    tab.call(HospitalityReviewsState, "load")
    state = tab.state(HospitalityReviewsState)
    assert tab.session.ready_page == "hospitality_reviews" and state.rows and state.can_respond
    tab.call(HospitalityReviewsState, "apply_filters", {"unanswered": "on", "low": "on"})
    assert state.rows and all(r.rating <= 3 and not r.answered for r in state.rows)
    tab.call(HospitalityReviewsState, "apply_filters", {"source": "GOOGLE"})
    assert state.rows and {r.source for r in state.rows} == {"GOOGLE"}

    review_id = unanswered_low_review()
    tab.call(HospitalityReviewsState, "open_respond", review_id)
    assert state.respond_open and not state.review.answered
    tab.call(HospitalityReviewsState, "respond", {"response_text": "  "})
    assert state.err["response_text"].startswith("Response")  # empty: refused, field named
    events = tab.call(
        HospitalityReviewsState, "respond", {"response_text": "We are sorry; fixed the AC."}
    )
    assert not state.respond_open and toasts(events)

    desk = _tab(FRONT_DESK, "/hospitality/reviews")
    desk.call(HospitalityReviewsState, "load")
    desk.call(HospitalityReviewsState, "open_respond", review_id)
    d = desk.state(HospitalityReviewsState)
    assert d.review.answered and d.review.responder == "Grace Kim"  # who answered first
    desk.call(HospitalityReviewsState, "respond", {"response_text": "Edited by the desk."})
    assert d.review.responder == "Grace Kim" and d.review.response == "Edited by the desk."


def test_disputes_create_update_and_a_final_resolution(demo) -> None:
    tab = _tab(MANAGER, "/hospitality/disputes")
    tab.call(HospitalityDisputesState, "load")
    state = tab.state(HospitalityDisputesState)
    assert tab.session.ready_page == "hospitality_disputes" and state.can_manage
    assert all(r.status in ("OPEN", "IN_PROGRESS") for r in state.rows)  # the default filter

    tab.call(HospitalityDisputesState, "open_create")
    assert state.create_open and state.hotel_options
    tab.call(HospitalityDisputesState, "create", {"type": "CHARGEBACK", "amount": "-5"})
    assert state.c_err["hotel_id"] == "Hotel is required" and state.c_err["channel"]
    hotel = hotels()[0]
    tab.call(
        HospitalityDisputesState,
        "create",
        {"hotel_id": str(hotel.id), "type": "OTA_DISPUTE", "channel": "Booking", "amount": "480"},
    )
    assert not state.create_open
    new = state.rows[0]
    assert new.hotel_code == hotel.code and new.status == "OPEN" and new.evidence_due == "—"

    due = (yesterday() + timedelta(days=14)).isoformat()
    tab.call(HospitalityDisputesState, "open_edit", new.id)
    tab.call(
        HospitalityDisputesState,
        "save_edit",
        {"status": "IN_PROGRESS", "evidence_due_date": due, "reference": "BK-1"},
    )
    assert not state.edit_open
    row = next(r for r in state.rows if r.id == new.id)
    assert row.status == "IN_PROGRESS" and row.evidence_due_iso == due

    tab.call(HospitalityDisputesState, "ask_resolve", new.id, "WON")
    assert state.confirm_open and "final" in state.confirm_text
    events = tab.call(HospitalityDisputesState, "resolve")
    assert not state.confirm_open and any("It is final" in t for t in toasts(events))
    tab.call(HospitalityDisputesState, "apply_filters", {"status": "all"})
    row = next(r for r in state.rows if r.id == new.id)
    assert row.final and row.status_label == "Won"
    # A resolved dispute offers no action: asking again is refused and changes nothing.
    assert toasts(tab.call(HospitalityDisputesState, "ask_resolve", new.id, "LOST"))
    assert not state.confirm_open
    assert toasts(tab.call(HospitalityDisputesState, "open_edit", new.id)) and not state.edit_open
    with read_only() as uow:
        assert uow.session.get(HotelDispute, new.id).status == "WON"  # type: ignore[union-attr]


def test_the_dashboard_shows_every_headline_and_a_row_per_hotel(demo) -> None:
    tab = _tab(MANAGER, "/hospitality/dashboard")
    tab.call(HospitalityDashboardState, "load")
    state = tab.state(HospitalityDashboardState)
    assert tab.session.ready_page == "hospitality_dashboard"
    assert [h.metric for h in state.headlines] == [
        "occupancy",
        "adr",
        "revpar",
        "total_revenue",
        "reviews_responded",
        "disputes_won",
        "amount_recovered",
    ]
    assert all(h.previous.startswith("vs ") for h in state.headlines)
    assert len(state.series) == 30 and state.has_data
    assert {h.code for h in state.hotels} == {h.code for h in hotels()}
    tab.call(HospitalityDashboardState, "apply_range", {"from": "2026-02-10", "to": "2026-02-01"})
    assert state.range_error


def _counts() -> dict[str, Any]:
    with read_only() as uow:
        s = uow.session
        return {
            "reviews": sorted(
                s.execute(select(HotelReview.id, HotelReview.response_text)).all(),
                key=lambda r: r[0],
            ),
            "disputes": sorted(s.execute(select(HotelDispute.id, HotelDispute.status)).all()),
            "kpi": s.execute(select(func.count()).select_from(HotelKpiDaily)).scalar_one(),
        }


def test_a_csr_of_afl_cannot_reach_an_hhg_review_or_dispute(demo) -> None:
    review_id = unanswered_low_review()
    dispute_id = open_dispute()
    before = _counts()
    csr = _tab(CSR_AFL, "/hospitality/reviews")
    assert "hospitality" not in {s.key for s in csr.session.nav}
    for state_cls, page in (
        (HospitalityReviewsState, "hospitality_reviews"),
        (HospitalityDisputesState, "hospitality_disputes"),
        (HospitalityKpiState, "hospitality_kpi"),
        (HospitalityDashboardState, "hospitality_dashboard"),
    ):
        csr.call(state_cls, "load")
        assert csr.session.denied_page == page
    assert csr.state(HospitalityReviewsState).rows == []

    # Handlers called directly with HHG ids, as a hostile client could: not found, no detail.
    said = toasts(csr.call(HospitalityReviewsState, "open_respond", review_id))
    assert said and "not found" in said[0].lower()
    reviews = csr.state(HospitalityReviewsState)
    assert not reviews.respond_open and reviews.review.id == 0
    csr.call(HospitalityReviewsState, "respond", {"response_text": "hi"})  # nothing chosen
    said = toasts(csr.call(HospitalityDisputesState, "ask_resolve", dispute_id, "LOST"))
    assert said and "not found" in said[0].lower()
    assert not csr.state(HospitalityDisputesState).confirm_open
    csr.call(HospitalityDisputesState, "resolve")
    said = toasts(csr.call(HospitalityDisputesState, "open_edit", dispute_id))
    assert said and "not found" in said[0].lower()
    csr.call(HospitalityKpiState, "choose_upload_venture", "1")
    assert csr.state(HospitalityKpiState).upload_venture == ""
    _upload(csr, kpi_csv(1))
    assert csr.state(HospitalityKpiState).upload_step in ("", "refused")
    assert _counts() == before
