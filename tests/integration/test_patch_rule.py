"""The one patch rule through the services (org and freight alike): a field sent as null is
refused naming it unless its schema lets clear it, a clearable field is cleared, and a field
left out keeps its value."""

import pytest
from sqlalchemy import func, select

from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.errors import Invalid
from domain.freight import services as freight
from domain.org import queries, services
from domain.org.models import Office, Venture
from tests.helpers import actor, office_id, user_id, venture_id
from tests.integration.freight.conftest import make_load

CEO = "ceo@vcc.example"


def w(fn, *args, **kwargs):
    with unit_of_work() as uow:
        return fn(uow, *args, **kwargs)


def _audits(action: str) -> int:
    with read_only() as uow:
        return uow.session.execute(
            select(func.count()).where(AuditLog.action == action)
        ).scalar_one()


@pytest.mark.parametrize(
    ("update", "field"),
    [
        ("venture", "name"),
        ("venture", "timezone"),
        ("venture", "is_active"),
        ("venture", "critical_load_amount"),
        ("office", "timezone"),
        ("office", "city"),
        ("user", "name"),
    ],
)
def test_null_for_an_org_field_that_cannot_be_cleared_is_refused_naming_it(
    demo, update: str, field: str
) -> None:
    ceo = actor(CEO)
    afl, newark = venture_id("AFL"), office_id("AFL", "Newark Desk")
    call = {
        "venture": (services.update_venture, afl),
        "office": (services.update_office, newark),
        "user": (services.update_user, user_id("csr.afl@vcc.example")),
    }[update]
    audits = _audits(f"{update}.updated")
    with read_only() as uow:
        venture, office = uow.session.get(Venture, afl), uow.session.get(Office, newark)
        before = (venture.model_dump(), office.model_dump())  # type: ignore[union-attr]
    with pytest.raises(Invalid) as err:
        # A valid change beside it is not half-written either.
        w(call[0], ceo, call[1], {field: None} | ({"name": "Renamed"} if field != "name" else {}))
    assert err.value.fields == {field: "cannot be empty"}
    with read_only() as uow:
        venture, office = uow.session.get(Venture, afl), uow.session.get(Office, newark)
        assert (venture.model_dump(), office.model_dump()) == before  # type: ignore[union-attr]
    assert _audits(f"{update}.updated") == audits


def test_an_org_field_left_out_keeps_its_value(demo) -> None:
    ceo, newark = actor(CEO), office_id("AFL", "Newark Desk")
    with read_only() as uow:
        office = uow.session.get(Office, newark)
        assert office is not None
        city, country, timezone = office.city, office.country, office.timezone
    view = w(services.update_office, ceo, newark, {"name": "Newark Desk 2"})
    assert (view.name, view.city, view.country, view.timezone) == (
        "Newark Desk 2",
        city,
        country,
        timezone,
    )
    with read_only() as uow:
        detail = uow.session.execute(
            select(AuditLog.detail)
            .where(AuditLog.action == "office.updated")
            .order_by(AuditLog.id.desc())  # type: ignore[union-attr]
        ).scalar()
    assert detail == {"before": {"name": "Newark Desk"}, "after": {"name": "Newark Desk 2"}}


def test_a_clearable_org_field_is_cleared_and_the_others_kept(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    link = w(
        services.add_quick_link,
        csr,
        {"label": "Rates", "url": "https://rates.example/", "icon": "truck"},
    )
    assert link.icon == "truck"
    cleared = w(services.update_quick_link, csr, link.id, {"icon": None})
    assert (cleared.label, cleared.url, cleared.icon) == ("Rates", "https://rates.example/", None)
    with pytest.raises(Invalid) as err:
        w(services.update_quick_link, csr, link.id, {"label": None, "icon": "box"})
    assert err.value.fields == {"label": "cannot be empty"}
    with read_only() as uow:
        mine = queries.visible_quick_links(uow, csr)[-1].links
    assert [(x.label, x.icon) for x in mine if x.id == link.id] == [("Rates", None)]


def test_freight_follows_the_same_rule(demo) -> None:
    ceo = actor(CEO)
    dispatcher = user_id("dispatch.rtr@vcc.example")
    load = make_load(ceo, miles=700, dispatcher_user_id=dispatcher)
    assert (load.miles, load.dispatcher_user_id) == (700, dispatcher)
    cleared = w(freight.update_load, ceo, load.id, {"dispatcher_user_id": None})
    assert cleared.dispatcher_user_id is None
    assert cleared.miles == 700  # left out: kept
    with pytest.raises(Invalid) as err:
        w(freight.update_load, ceo, load.id, {"pickup_city": None, "reference": None})
    assert err.value.fields == {"pickup_city": "cannot be empty", "reference": "cannot be empty"}
