"""The freight handlers doing their job for users allowed to: the loads list (filters, cursor
pages, CSV), the load form with field errors, the load page's buttons (exactly the allowed
transitions; cover with a carrier, deliver, lost with a reason), quotes, outreach and award, the
dashboard's numbers, and the firefront on My Day."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain import clock
from domain.db import read_only, unit_of_work
from domain.freight import services
from domain.freight.models import Load, LoadStatus
from domain.freight.queries import LoadFilter, freight_dashboard, list_carriers, list_loads
from domain.integrations.sms import RecordingSmsSender, set_sms_sender
from domain.settings import get_settings
from rxapp.state.freight_carriers import FreightCarriersState, FreightCarrierState
from rxapp.state.freight_dashboard import FreightDashboardState
from rxapp.state.freight_load import FreightLoadState
from rxapp.state.freight_load_form import FreightLoadFormState
from rxapp.state.freight_loads import FreightLoadsState
from rxapp.state.freight_outreach import FreightOutreachState, FreightSendState
from rxapp.state.freight_quotes import FreightQuoteFormState, FreightQuotesState
from rxapp.state.ventures import MyDayState
from tests.helpers import actor, office_id, venture_id
from tests.integration.freight.conftest import customer_of, make_carrier, make_load
from tests.rx.conftest import Tab, downloaded_text, redirect_target, toasts

MANAGER = "manager.afl@vcc.example"  # OFFICE_MANAGER of AFL (New York HQ, Newark Desk)


@pytest.fixture
def sms() -> Any:
    sender = RecordingSmsSender()
    set_sms_sender(sender)
    yield sender
    set_sms_sender(None)


def _tab(email: str, path: str) -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def test_loads_list_pages_filters_and_csv(demo) -> None:
    tab = _tab(MANAGER, "/freight/loads")
    tab.call(FreightLoadsState, "load")
    state = tab.state(FreightLoadsState)
    assert tab.session.ready_page == "freight_loads" and state.can_create
    with read_only() as uow:
        expected = list_loads(uow, actor(MANAGER), LoadFilter(), limit=200)
    # Newer / Older walk the same rows as the query, each once.
    seen: list[str] = []
    while True:
        seen += [r.reference for r in state.rows]
        if not state.has_older:
            break
        tab.call(FreightLoadsState, "older")
    assert len(seen) == len(set(seen))
    assert seen[:50] == [v.reference for v in expected.items[:50]]
    last = state.page_index
    assert last > 0
    tab.call(FreightLoadsState, "newer")
    assert state.page_index == last - 1 and state.has_newer == (last > 1)

    tab.call(FreightLoadsState, "apply_filters", {"status": "LOST"})
    assert state.rows and {r.status for r in state.rows} == {"LOST"}
    assert all(r.status_label == "Lost" and r.status_color == "red" for r in state.rows)
    tab.call(FreightLoadsState, "apply_filters", {"from": "2026-12-10", "to": "2026-12-01"})
    assert state.filter_error == "The start date is after the end date."
    tab.call(FreightLoadsState, "apply_filters", {"status": "needs_cover"})
    assert {r.status for r in state.rows} <= {"OPEN", "WORKING", "AT_RISK", "FELL_OFF"}
    text = downloaded_text(tab.call(FreightLoadsState, "export_csv"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Reference", "Venture", "Status"]
    assert len(rows) - 1 >= len(state.rows)
    assert {r[2] for r in rows[1:]} <= {"Open", "Working", "At risk", "Fell off"}

    tab.call(FreightLoadsState, "clear_filters")
    assert state.f_status == "all" and state.rows


def test_create_a_load_with_field_errors_then_edit_it(demo) -> None:
    tab = _tab(MANAGER, "/freight/loads/new")
    tab.call(FreightLoadFormState, "load_new")
    form = tab.state(FreightLoadFormState)
    assert tab.session.ready_page == "freight_load_new"
    assert form.f_venture == str(venture_id("AFL")) and form.customer_options
    # the header's venture filter keeps its own options (no state var shadows the shell's)
    assert [o.code for o in tab.session.venture_options] == ["AFL"]
    assert {o.label for o in form.office_options} == {"New York HQ", "Newark Desk"}

    tab.call(
        FreightLoadFormState,
        "save",
        {
            "pickup_state": "NJ",
            "pickup_date": "2026-12-05",
            "drop_city": "Chicago",
            "drop_state": "ZZ",
            "drop_date": "2026-12-01",
            "bill_amount": "lots",
            "equipment": "DRY_VAN",
        },
    )
    assert form.err["pickup_city"] == "Pickup city is required"
    assert form.err["customer_id"] == "Customer is required"
    assert form.err["drop_state"].startswith("Drop state is not a US state code")
    assert form.err["bill_amount"] == "Bill amount must be a number"
    assert len(form.errors) >= 4 and not form.busy
    assert form.val["drop_city"] == "Chicago"  # what was typed stays

    data = {
        "customer_id": str(customer_of("AFL")),
        "office_id": str(office_id("AFL", "Newark Desk")),
        "pickup_city": "Newark",
        "pickup_state": "nj",
        "pickup_date": "2026-12-05",
        "drop_city": "Chicago",
        "drop_state": "IL",
        "drop_date": "2026-12-01",
        "equipment": "REEFER",
        "bill_amount": "$3,150.50",
        "miles": "790",
        "sales_user_id": form.val["sales_user_id"],
        "dispatcher_user_id": "none",
    }
    tab.call(FreightLoadFormState, "save", data)
    assert form.err["drop_date"] == "Drop date must be on or after the pickup date"
    events = tab.call(FreightLoadFormState, "save", {**data, "drop_date": "2026-12-07"})
    target = redirect_target(events)
    assert target is not None and target.startswith("/freight/loads/")
    load_id = int(target.rsplit("/", 1)[1])
    with read_only() as uow:
        row = uow.session.get(Load, load_id)
        assert row is not None
        assert (row.bill_amount, row.miles, row.pickup_state) == (Decimal("3150.50"), 790, "NJ")

    tab.navigate(f"/freight/loads/{load_id}/edit")
    tab.call(FreightLoadFormState, "load_edit")
    assert tab.session.ready_page == "freight_load_edit"
    assert form.val["bill_amount"] == "3150.50" and form.val["equipment"] == "REEFER"
    events = tab.call(
        FreightLoadFormState, "save", {**form.val, "miles": "812", "cost_amount": "2,100"}
    )
    assert redirect_target(events) == f"/freight/loads/{load_id}"
    with read_only() as uow:
        row = uow.session.get(Load, load_id)
        assert row is not None and row.miles == 812 and str(row.cost_amount) == "2100.00"


def test_the_load_page_offers_exactly_the_allowed_transitions(demo) -> None:
    load = make_load(MANAGER)
    carrier = make_carrier(equipment="DRY_VAN", home_state="NJ")
    tab = _tab(MANAGER, f"/freight/loads/{load.id}")
    tab.call(FreightLoadState, "load")
    page = tab.state(FreightLoadState)
    assert tab.session.ready_page == "freight_load"
    assert page.card.reference == load.reference and page.card.bill == "$2,400.00"
    assert [a.status for a in page.actions] == ["WORKING", "DORMANT", "LOST"]
    assert [e.title for e in page.timeline] == ["Created as Open"]

    tab.call(FreightLoadState, "ask", "WORKING")
    assert page.dlg_open and page.dlg_title == f"Move {load.reference} to Working?"
    tab.call(FreightLoadState, "transition", {"note": "calling carriers"})
    assert not page.dlg_open and page.card.status == "WORKING"
    assert [a.status for a in page.actions] == ["AT_RISK", "COVERED", "DORMANT", "LOST"]
    cover = next(a for a in page.actions if a.status == "COVERED")
    assert cover.kind == "cover" and cover.label == "Cover…"

    tab.call(FreightLoadState, "ask", "COVERED")
    assert page.dlg_kind == "cover" and page.carrier_options
    assert page.carrier_options[0].label.endswith("· NJ")  # pickup-state carriers first
    tab.call(FreightLoadState, "find_carriers", carrier.name)
    assert [o.value for o in page.carrier_options] == [str(carrier.id)]
    tab.call(FreightLoadState, "transition", {})
    assert page.err_carrier == "Carrier is required to cover a load" and page.dlg_open
    tab.call(FreightLoadState, "transition", {"carrier_id": str(carrier.id), "cost_amount": "x"})
    assert page.err_cost == "Carrier rate must be a number"
    events = tab.call(
        FreightLoadState, "transition", {"carrier_id": str(carrier.id), "cost_amount": "1,900"}
    )
    assert any("covered by" in t for t in toasts(events))
    assert page.card.status == "COVERED" and page.card.carrier == carrier.name
    assert page.card.margin == "$500.00" and page.card.margin_pct == "20.8%"

    tab.call(FreightLoadState, "ask", "DELIVERED")
    assert "billed" in page.dlg_text and page.dlg_confirm == "Mark delivered"
    tab.call(FreightLoadState, "transition", {})
    assert page.card.status == "DELIVERED" and page.card.terminal
    assert page.actions == [] and not page.can_edit
    assert [e.title for e in page.timeline] == [
        "Covered → Delivered",
        "Working → Covered",
        "Open → Working",
        "Created as Open",
    ]
    # A stale dialog cannot move a final load: the domain refuses (409-style message).
    page.dlg_status, page.dlg_kind = "LOST", "lost"
    tab.call(FreightLoadState, "transition", {"lost_reason": "RATE"})
    assert page.dlg_errors and "final" in page.dlg_errors[0]


def test_lost_needs_a_reason_and_lands_on_the_firefront(demo) -> None:
    load = make_load(MANAGER)
    tab = _tab(MANAGER, f"/freight/loads/{load.id}")
    tab.call(FreightLoadState, "load")
    page = tab.state(FreightLoadState)
    tab.call(FreightLoadState, "ask", "LOST")
    assert page.dlg_kind == "lost" and page.dlg_confirm == f"Mark {load.reference} lost"
    assert "$2,400.00 will not be billed" in page.dlg_text
    tab.call(FreightLoadState, "transition", {"lost_reason": "NOT_A_REASON"})
    assert page.err_reason.startswith("Reason is required")
    tab.call(FreightLoadState, "transition", {"lost_reason": "CAPACITY", "note": "no trucks"})
    assert page.card.status == "LOST" and page.card.lost_reason == "No capacity"

    tab.navigate("/")
    tab.call(MyDayState, "load")
    fires = tab.state(MyDayState).fires
    fire = next(f for f in fires if f.title == f"Load {load.reference} lost")
    assert fire.link == f"/freight/loads/{load.id}" and fire.venture_code == "AFL"
    assert "no capacity" in fire.detail and "$2,400.00" in fire.detail
    # the header's venture filter narrows the firefront like the rest of My Day
    head = _tab("head.freight@vcc.example", "/")
    head.session.venture_filter = str(venture_id("AFL"))
    head.call(MyDayState, "load")
    assert fire.id in {f.id for f in head.state(MyDayState).fires}
    head.session.venture_filter = str(venture_id("MBR"))
    head.call(MyDayState, "load")
    assert {f.venture_code for f in head.state(MyDayState).fires} <= {"MBR"}


def test_quotes_status_change_and_convert(demo) -> None:
    ceo = actor("ceo@vcc.example")
    with unit_of_work() as uow:
        quote = services.create_quote(
            uow,
            ceo,
            {
                "venture_id": venture_id("AFL"),
                "customer_id": customer_of("AFL"),
                "pickup_city": "Albany",
                "pickup_state": "NY",
                "drop_city": "Boston",
                "drop_state": "MA",
                "quoted_rate": "1250.00",
            },
        )
    tab = _tab(MANAGER, "/freight/quotes")
    tab.call(FreightQuotesState, "load")
    state = tab.state(FreightQuotesState)
    row = next(r for r in state.rows if r.id == quote.id)
    rows = list(
        csv.reader(io.StringIO(downloaded_text(tab.call(FreightQuotesState, "export_csv"))))
    )
    mine = next(r for r in rows[1:] if r[0] == str(quote.id))
    assert rows[0][:3] == ["Quote", "Venture", "Status"]
    assert mine[2:4] == ["Draft", quote.customer_name] and mine[9:11] == ["USD", "1250.00"]
    assert row.status_label == "Draft" and row.rate == "$1,250.00" and not row.can_convert
    assert {o.value for o in row.transitions} >= {"SENT"}
    tab.call(FreightQuotesState, "set_status", quote.id, "SENT")
    tab.call(FreightQuotesState, "set_status", quote.id, "ACCEPTED")
    row = next(r for r in state.rows if r.id == quote.id)
    assert row.status == "ACCEPTED" and row.can_convert
    bad = tab.call(FreightQuotesState, "set_status", quote.id, "DRAFT")
    assert toasts(bad)
    tab.call(FreightQuotesState, "ask_convert", quote.id)
    assert state.confirm_open and "$1,250.00" in state.confirm_text
    events = tab.call(FreightQuotesState, "convert")
    assert any("is now load" in t and "Open load" in t for t in toasts(events))
    row = next(r for r in state.rows if r.id == quote.id)
    assert row.status == "BOOKED" and row.load_href.startswith("/freight/loads/")


def test_send_outreach_then_award_from_the_outreach_page(demo, sms) -> None:
    load = make_load(MANAGER)
    carriers = [make_carrier(equipment="DRY_VAN") for _ in range(3)]
    tab = _tab(MANAGER, f"/freight/loads/{load.id}")
    tab.call(FreightLoadState, "load")
    assert tab.state(FreightLoadState).can_send_outreach
    tab.call(FreightSendState, "open_send", load.id)
    send = tab.state(FreightSendState)
    assert send.send_open and load.reference in send.body
    offered = {c.id for c in send.candidates}
    assert {c.id for c in carriers} <= offered
    tab.call(FreightSendState, "send", {"body": "Take it?"})
    assert send.err["carrier_ids"] == "Carriers choose at least one carrier"
    form = {f"carrier_{c.id}": "on" for c in carriers} | {"body": "Load to Chicago, reply YES"}
    events = tab.call(FreightSendState, "send", form)
    assert any("sent to 3 carriers" in t for t in toasts(events))
    assert len(sms.messages) == 3
    page = tab.state(FreightLoadState)
    assert page.card.status == "WORKING" and len(page.outreach) == 1

    tab.navigate(f"/freight/outreach?load={load.id}")
    tab.call(FreightOutreachState, "load")
    out = tab.state(FreightOutreachState)
    assert out.load_filter == load.reference and len(out.rows) == 1
    assert out.rows[0].sent == 3 and out.rows[0].can_award
    tab.call(FreightOutreachState, "open_outreach", out.rows[0].id)
    assert out.detail_open and [r.status for r in out.detail.recipients] == ["Sent"] * 3
    winner = carriers[1]
    tab.call(FreightOutreachState, "ask_award", winner.id)
    assert out.confirm_open and winner.name in out.confirm_title
    events = tab.call(FreightOutreachState, "award", {"cost_amount": "1,700.00"})
    assert any("is covered by" in t for t in toasts(events))
    assert out.detail.awarded_to == winner.name and not out.rows[0].can_award
    # The export: the message narrowed to this load, its recipients and the award in one line.
    rows = list(
        csv.reader(io.StringIO(downloaded_text(tab.call(FreightOutreachState, "export_csv"))))
    )
    assert rows[0][:3] == ["Message", "Load", "Load status"] and len(rows) == 2
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Load"] == load.reference and line["Channel"] == "SMS"
    assert line["Delivered to"] == "3" and line["Awarded to"] == winner.name
    assert line["Recipients"].count(": sent") == 3 and winner.name in line["Recipients"]
    with read_only() as uow:
        row = uow.session.get(Load, load.id)
        assert row is not None and row.status is LoadStatus.COVERED
        assert row.carrier_id == winner.id and str(row.cost_amount) == "1700.00"


def test_dashboard_numbers_are_the_domains(demo) -> None:
    tab = _tab("head.freight@vcc.example", "/freight/dashboard")
    tab.call(FreightDashboardState, "load")
    dash = tab.state(FreightDashboardState)
    assert tab.session.ready_page == "freight_dashboard"
    with read_only() as uow:
        expected = freight_dashboard(uow, actor("head.freight@vcc.example"))
    cards = {h.metric: h for h in dash.headlines}
    assert cards["loads_delivered"].value == f"{expected.current.loads_delivered:,}"
    assert cards["revenue"].value.startswith("$")
    assert cards["loads_lost"].change_color in ("red", "green", "gray")
    assert len(dash.series) == 30 and len(dash.days) == 30
    assert dash.series[-1]["day"] == f"{expected.end.day} {expected.end:%b}"
    assert dash.f_from == expected.start.isoformat() and dash.f_to == expected.end.isoformat()

    tab.call(FreightDashboardState, "apply_range", {"from": "2026-12-10", "to": "2026-12-01"})
    # The domain's range rule, in its words (the same as the API's).
    assert dash.range_error == "End date must be on or after the start date"
    tab.call(FreightDashboardState, "apply_range", {"from": "2024-01-01", "to": "2026-12-01"})
    assert dash.range_error == "Start date must be at most 731 days before the end date"
    tab.call(FreightDashboardState, "apply_range", {"from": "", "to": "2026-12-01"})
    assert dash.range_error == "Start date is required"
    start = expected.end.replace(day=1)
    tab.call(
        FreightDashboardState,
        "apply_range",
        {"from": start.isoformat(), "to": expected.end.isoformat()},
    )
    assert dash.range_error == "" and len(dash.series) == (expected.end - start).days + 1
    text = downloaded_text(tab.call(FreightDashboardState, "export_csv"))
    assert text.splitlines()[0].startswith("Date,Loads created")
    assert text.splitlines()[1].startswith(start.isoformat())

    # Quick ranges (the buttons send one of the domain's presets) end on the end date shown.
    assert "month" in str(tab.call(FreightDashboardState, "preset", "month"))
    tab.call(FreightDashboardState, "apply_range", {"preset": "7"})
    assert dash.f_to == expected.end.isoformat() and len(dash.series) == 7
    tab.call(FreightDashboardState, "apply_range", {"preset": "month"})
    assert dash.f_from == start.isoformat() and dash.range_error == ""

    # The header's venture filter narrows the numbers to that venture (same range).
    tab.session.venture_filter = str(venture_id("RTR"))
    tab.call(FreightDashboardState, "load")
    with read_only() as uow:
        rtr = freight_dashboard(
            uow,
            actor("head.freight@vcc.example"),
            start,
            expected.end,
            venture_id=venture_id("RTR"),
        )
    cards = {h.metric: h for h in dash.headlines}
    assert cards["loads_created"].value == f"{rtr.current.loads_created:,}"


def test_carriers_list_and_detail(demo) -> None:
    blocked = make_carrier(name="Zz Blocked Haulers")
    with unit_of_work() as uow:
        services.set_carrier_blocked(
            uow, actor("ceo@vcc.example"), blocked.id, {"blocked": True, "reason": "Fraud"}
        )
    tab = _tab("dispatch.rtr@vcc.example", "/freight/carriers")
    tab.call(FreightCarriersState, "load")
    state = tab.state(FreightCarriersState)
    assert state.rows and state.rows == sorted(state.rows, key=lambda r: (r.name, r.id))
    tab.call(FreightCarriersState, "apply_filters", {"search": "Zz Blocked"})
    assert [r.standing for r in state.rows] == ["Blocked"]
    assert state.rows[0].reason == "Blocked (fraud)"
    rows = list(
        csv.reader(io.StringIO(downloaded_text(tab.call(FreightCarriersState, "export_csv"))))
    )
    assert rows[0][:3] == ["Name", "MC number", "DOT number"]
    assert [(r[0], r[7], r[8]) for r in rows[1:]] == [
        ("Zz Blocked Haulers", "Blocked", "Blocked (fraud)")
    ]
    tab.call(FreightCarriersState, "apply_filters", {"search": "Zz Blocked", "eligible": "on"})
    assert state.rows == []
    tab.call(FreightCarriersState, "clear_filters")
    assert len(state.rows) == 50 and state.has_older
    # The export holds every carrier the dispatcher can see, not the 50 on screen, each once.
    rows = list(
        csv.reader(io.StringIO(downloaded_text(tab.call(FreightCarriersState, "export_csv"))))
    )
    total, cursor = 0, None
    with read_only() as uow:
        while True:
            page = list_carriers(uow, actor("dispatch.rtr@vcc.example"), cursor=cursor, limit=200)
            total += len(page.items)
            if not page.has_more:
                break
            cursor = page.next_cursor
    assert len(rows) - 1 == total > 50 and len({(r[1], r[2]) for r in rows[1:]}) == total
    assert state.page_summary == f"Carriers 1 to 50 of {total:,}, by name"
    tab.call(FreightCarriersState, "older")
    assert state.page_index == 1

    tab.navigate(f"/freight/carriers/{blocked.id}")
    tab.call(FreightCarrierState, "load")
    detail = tab.state(FreightCarrierState)
    assert tab.session.ready_page == "freight_carrier"
    assert detail.carrier.name == "Zz Blocked Haulers" and detail.carrier.standing == "Blocked"
    tab.navigate("/freight/carriers/987654")
    tab.call(FreightCarrierState, "load")
    assert tab.session.denied_page == "freight_carrier" and detail.carrier.name == ""


def test_roles_without_the_page_see_the_403_panel(demo) -> None:
    csr = _tab("csr.afl@vcc.example", "/freight/dashboard")
    csr.call(FreightDashboardState, "load")
    assert csr.session.denied_page == "freight_dashboard"
    csr.navigate("/freight/outreach")
    csr.call(FreightOutreachState, "load")
    assert csr.session.denied_page == "freight_outreach"
    hotel = _tab("manager.hotels@vcc.example", "/freight/loads")
    hotel.call(FreightLoadsState, "load")
    assert hotel.session.denied_page == "freight_loads"
    assert hotel.state(FreightLoadsState).rows == []
    auditor = _tab("auditor@vcc.example", "/freight/loads/new")
    auditor.call(FreightLoadFormState, "load_new")
    assert auditor.session.denied_page == "freight_load_new"


def test_created_date_filter_uses_business_dates(demo) -> None:
    today = clock.today(get_settings().group_timezone)
    tab = _tab(MANAGER, "/freight/loads")
    tab.call(FreightLoadsState, "load")
    load = make_load(MANAGER)
    tab.call(FreightLoadsState, "apply_filters", {"from": today.isoformat(), "to": ""})
    rows = tab.state(FreightLoadsState).rows
    assert load.reference in {r.reference for r in rows}
    tab.call(FreightLoadsState, "apply_filters", {"to": (today - timedelta(days=1)).isoformat()})
    assert load.reference not in {r.reference for r in tab.state(FreightLoadsState).rows}


def test_new_quote_with_field_errors(demo) -> None:
    tab = _tab("csr.afl@vcc.example", "/freight/quotes")
    tab.call(FreightQuotesState, "load")
    assert tab.state(FreightQuotesState).can_create
    tab.call(FreightQuoteFormState, "open_create")
    form = tab.state(FreightQuoteFormState)
    assert form.form_open and [o.label for o in form.venture_choices] == [
        "Atlas Freight Logistics (AFL)"
    ]
    assert form.customer_options
    tab.call(
        FreightQuoteFormState,
        "save",
        {"pickup_city": "Albany", "pickup_state": "NY", "quoted_rate": "cheap", "expires_at": "x"},
    )
    assert form.err["expires_at"] == "Expires is not a date"
    tab.call(
        FreightQuoteFormState,
        "save",
        {"pickup_city": "Albany", "pickup_state": "NY", "quoted_rate": "cheap"},
    )
    assert form.err["customer_id"] == "Customer is required"
    assert form.err["drop_city"] == "Drop city is required"
    assert form.err["quoted_rate"] == "Rate must be a number"
    assert form.form_open
    customer = form.customer_options[0]
    quote = {
        "customer_id": customer.value,
        "pickup_city": "Albany",
        "pickup_state": "NY",
        "drop_city": "Boston",
        "drop_state": "MA",
        "equipment": "REEFER",
        "quoted_rate": "$1,480.00",
    }
    # A date decades away is a typo: business dates lie within a few years of today.
    tab.call(FreightQuoteFormState, "save", quote | {"expires_at": "2099-01-31"})
    assert form.err["expires_at"] and form.form_open
    expires = clock.today("America/New_York") + timedelta(days=60)
    events = tab.call(FreightQuoteFormState, "save", quote | {"expires_at": expires.isoformat()})
    assert any("saved as a draft" in t for t in toasts(events)) and not form.form_open
    first = tab.state(FreightQuotesState).rows[0]
    assert (first.customer, first.rate, first.status) == (customer.label, "$1,480.00", "DRAFT")
    assert first.expires == clock.format_business_date(expires)
