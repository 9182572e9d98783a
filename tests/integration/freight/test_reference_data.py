"""Customers, carriers and the load form's choices through the services and queries."""

import pytest

from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.freight import queries, services
from tests.helpers import actor, user_id, venture_id
from tests.integration.freight.conftest import make_carrier, make_load


def test_customer_create_and_edit(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    with unit_of_work() as uow:
        c = services.create_customer(
            uow,
            csr,
            {"venture_id": venture_id("AFL"), "name": "Sunrise Dairy", "code": "sun-1",
             "csr_user_id": csr.user_id},
        )  # fmt: skip
    assert c.code == "SUN-1" and c.csr_user_name
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.create_customer(
            uow,
            csr,
            {"venture_id": venture_id("AFL"), "name": "Other", "code": "SUN-1",
             "sales_user_id": user_id("csr.mbr@vcc.example")},
        )  # fmt: skip
    assert set(err.value.fields) == {"sales_user_id"}
    with pytest.raises(Conflict) as dup, unit_of_work() as uow:  # a taken code: 409, named
        services.create_customer(
            uow, csr, {"venture_id": venture_id("AFL"), "name": "Other", "code": "SUN-1"}
        )
    assert set(dup.value.fields) == {"code"}
    with unit_of_work() as uow:
        c2 = services.update_customer(uow, csr, c.id, {"name": "Sunrise Dairy Co"})
    assert c2.name == "Sunrise Dairy Co"
    with read_only() as uow:
        page = queries.list_customers(uow, csr, search="sunrise", mine=True)
        assert [x.id for x in page.items] == [c.id]
        assert (
            queries.list_customers(uow, actor("csr.mbr@vcc.example"), search="sunrise").items == []
        )
        detail = queries.get_customer_detail(uow, csr, c.id)
        assert detail.customer.id == c.id
        with pytest.raises(NotFound):
            queries.get_customer_detail(uow, actor("csr.mbr@vcc.example"), c.id)
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.update_customer(uow, actor("auditor@vcc.example"), c.id, {"name": "x"})


def test_carriers(demo) -> None:
    dispatcher = actor("dispatch.rtr@vcc.example")
    with unit_of_work() as uow:
        c = services.create_carrier(
            uow,
            dispatcher,
            {"mc_number": "MC 777001", "dot_number": "7770010", "name": "Zephyr Haulers",
             "equipment": "REEFER", "phone": "+1 (555) 777-0001", "home_state": "nj"},
        )  # fmt: skip
    # Adding a carrier checks it with FMCSA (the fake here: a carrier in good standing).
    assert c.eligible and c.home_state == "NJ" and c.fmcsa_checked_at is not None
    assert c.authority_status == "ACTIVE" and c.insurance_on_file is True
    with pytest.raises(Conflict) as dup, unit_of_work() as uow:
        services.create_carrier(
            uow,
            dispatcher,
            {"mc_number": "777001", "dot_number": "7770010", "name": "Copy", "equipment": "REEFER"},
        )
    assert set(dup.value.fields) in ({"mc_number"}, {"dot_number"})  # the first the DB checks
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.set_carrier_blocked(uow, dispatcher, c.id, {"blocked": True})
    assert "reason" in err.value.fields
    with read_only() as uow:
        found = queries.list_carriers(uow, dispatcher, search="777001")
        assert [x.id for x in found.items] == [c.id]
        assert queries.get_carrier_detail(uow, dispatcher, c.id).carrier.name == "Zephyr Haulers"
        eligible = queries.list_carriers(uow, dispatcher, eligible_only=True, limit=200).items
        assert eligible and all(x.eligible for x in eligible)
        # Roles without the permission, or without a freight venture, see no carriers.
        with pytest.raises(Forbidden):
            queries.list_carriers(uow, actor("frontdesk.hhg@vcc.example"))
        assert queries.list_carriers(uow, actor("manager.hotels@vcc.example")).items == []


def test_eligible_carriers_for_a_load(demo) -> None:
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo, equipment="FLATBED")
    good = make_carrier(equipment="FLATBED", home_state="NJ")
    blocked = make_carrier(equipment="FLATBED")
    with unit_of_work() as uow:
        services.set_carrier_blocked(uow, ceo, blocked.id, {"blocked": True, "reason": "x"})
    with read_only() as uow:
        ids = [c.id for c in queries.eligible_carriers_for_load(uow, ceo, load.id, limit=200)]
    assert good.id in ids and blocked.id not in ids
    with read_only() as uow:
        first = queries.eligible_carriers_for_load(uow, ceo, load.id, limit=1)[0]
    assert first.home_state == "NJ"  # carriers based in the pickup state come first


def test_load_form_options(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    with read_only() as uow:
        opts = queries.load_form_options(uow, csr, venture_id("AFL"))
        assert [o.label for o in opts.offices] == ["New York HQ"]
        assert opts.customers and not opts.can_assign
        assert [u.id for u in opts.sales_users] == [csr.user_id]
        head = queries.load_form_options(uow, actor("head.freight@vcc.example"), venture_id("AFL"))
        assert head.can_assign and len(head.sales_users) > 1 and len(head.offices) == 3
        with pytest.raises(NotFound):
            queries.load_form_options(uow, csr, venture_id("MBR"))
        with pytest.raises(Invalid):
            queries.load_form_options(uow, actor("ceo@vcc.example"), venture_id("HHG"))
