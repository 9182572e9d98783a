"""A CSR of venture B (MBR) cannot list, read or change a load of venture A (AFL) through the web
app's handlers: every freight handler is called directly, as a hostile client could, with AFL
ids (and with the server-side selection forced to them), and nothing in the database changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.events.models import OutboxEvent
from domain.freight import services
from domain.freight.models import FreightQuote, Load, LoadEvent, Outreach, QuoteStatus
from domain.integrations.sms import RecordingSmsSender, set_sms_sender
from rxapp.state.freight_carriers import FreightCarrierState
from rxapp.state.freight_dashboard import FreightDashboardState
from rxapp.state.freight_load import ActionRow, FreightLoadState
from rxapp.state.freight_load_form import FreightLoadFormState
from rxapp.state.freight_loads import FreightLoadsState
from rxapp.state.freight_outreach import FreightOutreachState, FreightSendState
from rxapp.state.freight_quotes import FreightQuoteFormState, FreightQuotesState
from rxapp.state.ventures import MyDayState
from tests.helpers import actor, venture_id
from tests.integration.freight.conftest import customer_of, make_carrier, make_load
from tests.rx.conftest import Tab, toasts

CSR_B = "csr.mbr@vcc.example"


@pytest.fixture
def sms() -> Any:
    sender = RecordingSmsSender()
    set_sms_sender(sender)
    yield sender
    set_sms_sender(None)


def _snapshot() -> dict[str, Any]:
    with read_only() as uow:
        s = uow.session

        def n(model: Any, *where: Any) -> int:
            return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()

        return {
            "loads": sorted(
                s.execute(
                    select(
                        Load.id,
                        Load.status,
                        Load.carrier_id,
                        Load.miles,
                        Load.bill_amount,
                        Load.cost_amount,
                        Load.reference,
                        Load.updated_at,
                    )
                ).all()
            ),
            "events": n(LoadEvent),
            "outreach": sorted(s.execute(select(Outreach.id, Outreach.awarded_carrier_id)).all()),
            "quotes": sorted(s.execute(select(FreightQuote.id, FreightQuote.status)).all()),
            # Signing in raises UserLoggedIn (first daily login points); what this file
            # checks is that nothing the refused handlers could write was written.
            "outbox": n(OutboxEvent, OutboxEvent.type != "UserLoggedIn"),
            "audit": n(AuditLog, ~AuditLog.action.startswith("auth.")),
        }


@pytest.fixture
def afl(demo, sms) -> dict[str, Any]:
    """An AFL load with an outreach, an AFL accepted quote, an eligible carrier."""
    load = make_load("ceo@vcc.example")
    carrier = make_carrier()
    ceo = actor("ceo@vcc.example")
    with unit_of_work() as uow:
        out = services.send_outreach(
            uow,
            ceo,
            {"load_id": load.id, "channel": "SMS", "carrier_ids": [carrier.id], "body": "Load?"},
        )
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
                "quoted_rate": "1200.00",
            },
        )
    with unit_of_work() as uow:
        for status in ("SENT", "ACCEPTED"):
            services.set_quote_status(uow, ceo, quote.id, {"status": status})
    return {"load": load, "carrier": carrier, "outreach": out.id, "quote": quote.id}


def test_the_loads_list_never_shows_another_ventures_load(afl: dict[str, Any]) -> None:
    load = afl["load"]
    before = _snapshot()
    tab = Tab("/freight/loads")
    tab.login(CSR_B)
    tab.call(FreightLoadsState, "load")
    state = tab.state(FreightLoadsState)
    assert tab.session.ready_page == "freight_loads"
    assert load.reference not in {r.reference for r in state.rows}
    assert {r.venture_code for r in state.rows} <= {"MBR"}
    # The header filter is client storage: forged to AFL, it is dropped, never widened.
    tab.session.venture_filter = str(venture_id("AFL"))
    tab.call(FreightLoadsState, "load")
    assert tab.session.venture_filter == ""
    assert {r.venture_code for r in state.rows} <= {"MBR"}
    for form in (
        {"search": load.reference},
        {"customer": str(load.customer_id)},
        {"office": str(load.office_id)},
        {"status": "OPEN"},
    ):
        tab.call(FreightLoadsState, "apply_filters", form)
        assert load.reference not in {r.reference for r in state.rows}, form
    tab.call(FreightLoadsState, "apply_filters", {"search": load.reference})
    assert state.rows == []
    events = tab.call(FreightLoadsState, "export_csv")
    downloads = [str(e) for e in events if "download" in str(e).lower()]
    assert all(load.reference not in d for d in downloads)
    assert _snapshot() == before


def test_the_load_page_and_its_handlers_refuse_an_afl_load(afl: dict[str, Any]) -> None:
    load, carrier = afl["load"], afl["carrier"]
    before = _snapshot()
    tab = Tab(f"/freight/loads/{load.id}")
    tab.login(CSR_B)
    tab.call(FreightLoadState, "load")
    page = tab.state(FreightLoadState)
    assert tab.session.denied_page == "freight_load" and tab.session.ready_page == ""
    assert page.card.reference == "" and page.timeline == [] and page.actions == []
    assert page._load_id is None

    # Even with the server-side selection forced to the AFL load (as if the page had loaded it),
    # every handler goes through the domain, which answers "not found".
    page._load_id = load.id
    page.actions = [
        ActionRow(status=s, label=s, kind=k) for s, k in (("LOST", "lost"), ("COVERED", "cover"))
    ]
    assert toasts(tab.call(FreightLoadState, "ask", "COVERED"))  # listing carriers: refused
    assert page.carrier_options == []
    for status, kind, form in (
        ("LOST", "lost", {"lost_reason": "RATE", "note": "gone"}),
        ("COVERED", "cover", {"carrier_id": str(carrier.id), "cost_amount": "1.00"}),
        ("WORKING", "plain", {}),
        ("DELIVERED", "deliver", {}),
    ):
        page.dlg_status, page.dlg_kind = status, kind
        events = tab.call(FreightLoadState, "transition", form)
        assert toasts(events) and page.dlg_errors == ["load " + str(load.id) + " not found"]
    tab.call(FreightLoadState, "find_carriers", "a")
    assert page.carrier_options == []
    assert _snapshot() == before


def test_the_load_form_cannot_edit_or_create_in_another_venture(afl: dict[str, Any]) -> None:
    load = afl["load"]
    before = _snapshot()
    tab = Tab(f"/freight/loads/{load.id}/edit")
    tab.login(CSR_B)
    tab.call(FreightLoadFormState, "load_edit")
    form = tab.state(FreightLoadFormState)
    assert tab.session.denied_page == "freight_load_edit"
    assert form.reference == "" and form.val["pickup_city"] == ""

    data = {
        "office_id": str(load.office_id),
        "customer_id": str(load.customer_id),
        "pickup_city": "Hacked",
        "pickup_state": "NJ",
        "pickup_date": "2026-12-01",
        "drop_city": "Chicago",
        "drop_state": "IL",
        "drop_date": "2026-12-03",
        "equipment": "DRY_VAN",
        "bill_amount": "1.00",
        "miles": "5",
    }
    form.mode, form._edit_id = "edit", load.id
    tab.call(FreightLoadFormState, "save", data)
    assert form.errors == [f"load {load.id} not found"]

    tab.navigate("/freight/loads/new")
    tab.call(FreightLoadFormState, "load_new")
    assert tab.session.ready_page == "freight_load_new"
    assert [o.label for o in form.venture_choices] == ["Meridian Brokerage (MBR)"]
    tab.call(FreightLoadFormState, "choose_venture", str(venture_id("AFL")))
    assert form.f_venture == str(venture_id("MBR"))  # not an offered venture: ignored
    form.f_venture = str(venture_id("AFL"))  # forced server-side: the domain refuses
    tab.call(FreightLoadFormState, "save", data)
    assert form.errors == [f"venture {venture_id('AFL')} not found"]
    assert _snapshot() == before


def test_outreach_quotes_and_dashboard_handlers_refuse(afl: dict[str, Any]) -> None:
    load, carrier = afl["load"], afl["carrier"]
    before = _snapshot()
    tab = Tab()
    tab.login(CSR_B)

    # Outreach: a CSR cannot open the page; the handlers refuse AFL ids anyway.
    tab.navigate("/freight/outreach")
    tab.call(FreightOutreachState, "load")
    out = tab.state(FreightOutreachState)
    assert tab.session.denied_page == "freight_outreach" and out.rows == []
    assert toasts(tab.call(FreightOutreachState, "open_outreach", afl["outreach"]))
    assert not out.detail_open and out.detail.recipients == []
    out._outreach_id, out._award_carrier = afl["outreach"], carrier.id
    tab.call(FreightOutreachState, "award", {})
    assert out.award_error

    send = tab.state(FreightSendState)
    assert toasts(tab.call(FreightSendState, "open_send", load.id))
    assert not send.send_open and send.candidates == []
    send._load_id = load.id
    tab.call(FreightSendState, "set_channel", "EMAIL")
    assert send.candidates == []
    tab.call(FreightSendState, "send", {f"carrier_{carrier.id}": "on", "body": "Take it?"})
    assert send.errors

    # Quotes: list shows none of AFL's; status change and conversion by id are refused.
    tab.navigate("/freight/quotes")
    tab.call(FreightQuotesState, "load")
    quotes = tab.state(FreightQuotesState)
    assert afl["quote"] not in {q.id for q in quotes.rows}
    assert toasts(tab.call(FreightQuotesState, "set_status", afl["quote"], "REJECTED"))
    assert toasts(tab.call(FreightQuotesState, "ask_convert", afl["quote"]))
    assert not quotes.confirm_open
    quotes._convert_id = afl["quote"]
    assert toasts(tab.call(FreightQuotesState, "convert"))
    tab.call(FreightQuoteFormState, "open_create")
    qform = tab.state(FreightQuoteFormState)
    assert [o.label for o in qform.venture_choices] == ["Meridian Brokerage (MBR)"]
    tab.call(FreightQuoteFormState, "choose_venture", str(venture_id("AFL")))
    assert qform.f_venture == str(venture_id("MBR"))
    qform.f_venture = str(venture_id("AFL"))  # forced server-side: the domain refuses
    tab.call(
        FreightQuoteFormState,
        "save",
        {
            "customer_id": str(load.customer_id),
            "pickup_city": "Albany",
            "pickup_state": "NY",
            "drop_city": "Boston",
            "drop_state": "MA",
            "quoted_rate": "1.00",
        },
    )
    assert qform.errors == [f"venture {venture_id('AFL')} not found"]

    # Dashboard: not a CSR's page. Carrier pages: carriers are shared, loads are not.
    tab.navigate("/freight/dashboard")
    tab.call(FreightDashboardState, "load")
    assert tab.session.denied_page == "freight_dashboard"
    assert tab.state(FreightDashboardState).headlines == []
    tab.navigate(f"/freight/carriers/{carrier.id}")
    tab.call(FreightCarrierState, "load")
    assert tab.session.ready_page == "freight_carrier"
    assert load.reference not in {r.reference for r in tab.state(FreightCarrierState).loads}

    # My Day: AFL's fires (a lost AFL load) are not on an MBR CSR's firefront.
    with unit_of_work() as uow:
        services.mark_load_lost(uow, actor("ceo@vcc.example"), load.id, "RATE")
    tab.navigate("/")
    tab.call(MyDayState, "load")
    assert all(f.venture_code != "AFL" for f in tab.state(MyDayState).fires)

    after = _snapshot()
    lost = next(x for x in after["loads"] if x[0] == load.id)
    assert lost[1].value == "LOST"  # the CEO's change, not the CSR's
    assert after["quotes"] == before["quotes"]
    assert after["outreach"] == before["outreach"]
    with read_only() as uow:
        quote = uow.session.get(FreightQuote, afl["quote"])
        assert quote is not None and quote.status is QuoteStatus.ACCEPTED
