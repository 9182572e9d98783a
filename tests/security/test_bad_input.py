"""Bad input never ends in a 500 nor in a half-written change (spec/platform.md):

- business dates are bounded at the boundary (today +- 5 years), for the API and the web alike;
- ids in bodies are JSON integers, never booleans (``true`` is not venture 1);
- every error answer of /api is the ``{"error": {"code", "message"}}`` envelope, even the ones
  the web framework writes itself (413, a path with a newline, 405);
- a duplicate of a unique key a user can hit is 409 naming the field, also when 20 requests with
  one load reference race on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse

from domain import clock
from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Invalid
from domain.freight import queries, services
from domain.freight.models import Carrier, Customer, Load, LoadEvent
from domain.freight.schemas import LoadInput
from domain.org import services as org_services
from domain.org.models import Office, User, Venture
from domain.schemas import parse
from rxapp.api import api, create_api
from tests.api.conftest import as_user, assert_error, seed_org
from tests.helpers import actor, venture_id
from tests.integration.freight.conftest import customer_of, load_data, make_carrier, make_load

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

API = "/api/v1"
CEO = "ceo@vcc.example"
HEAD = "head.freight@vcc.example"
HR = "hr@vcc.example"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(api) as c:
        yield c


@pytest.fixture
def org_demo(db: TestDatabase) -> TestDatabase:
    """The demo organisation: ventures, offices, every demo login."""
    seed_org(db)
    return db


def _today() -> date:
    return clock.today("UTC")


def _years(n: int) -> date:
    return _today() + timedelta(days=round(365.25 * n))


def _count(model: Any) -> int:
    with read_only() as uow:
        return int(uow.session.execute(select(func.count()).select_from(model)).scalar_one())


def _accepted_quote(code: str = "AFL") -> int:
    ceo = actor(CEO)
    with unit_of_work() as uow:
        quote = services.create_quote(
            uow,
            ceo,
            {
                "venture_id": venture_id(code),
                "customer_id": customer_of(code),
                "pickup_city": "Albany",
                "pickup_state": "NY",
                "drop_city": "Boston",
                "drop_state": "MA",
                "quoted_rate": "1200.00",
            },
        )
    for status in ("SENT", "ACCEPTED"):
        with unit_of_work() as uow:
            services.set_quote_status(uow, ceo, quote.id, {"status": status})
    return quote.id


def _body(**overrides: Any) -> dict[str, Any]:
    today = _today().isoformat()
    return load_data(pickup_date=today, drop_date=today) | overrides


# -- business dates -------------------------------------------------------------------------------


def test_kpi_dates_far_from_today_are_400_naming_the_parameter(
    org_demo, client: TestClient
) -> None:
    h = as_user(HEAD)
    for params, field in (
        ({"to": "0001-01-01"}, "to"),
        ({"from": "9999-12-20"}, "from"),
        ({"from": "9999-12-20", "to": "9999-12-31"}, "from"),
        ({"from": "0001-01-01", "to": "0001-01-30"}, "from"),
        ({"to": _years(6).isoformat()}, "to"),
    ):
        resp = client.get(f"{API}/freight/kpi", params=params, headers=h)
        err = assert_error(resp, 400, "invalid")
        assert field in err["fields"], (params, err)  # type: ignore[operator]
    week = {"from": (_today() - timedelta(days=6)).isoformat(), "to": _today().isoformat()}
    assert client.get(f"{API}/freight/kpi", params=week, headers=h).status_code == 200


def test_load_list_dates_far_from_today_are_400(org_demo, client: TestClient) -> None:
    h = as_user(HEAD)
    for params, field in (({"from": "0001-01-01"}, "from"), ({"to": "9999-12-31"}, "to")):
        resp = client.get(f"{API}/freight/loads", params=params, headers=h)
        assert field in assert_error(resp, 400, "invalid")["fields"]  # type: ignore[operator]


def test_business_dates_in_bodies_are_bounded_and_nothing_is_written(
    org_demo, client: TestClient
) -> None:
    h = as_user(CEO)
    quote = _accepted_quote()
    before = (_count(Load), _count(LoadEvent), _count(AuditLog))
    for body, field in (
        (_body(pickup_date="9999-12-31", drop_date="9999-12-31"), "pickup_date"),
        (_body(drop_date="9999-12-31"), "drop_date"),
        (_body(pickup_date="0001-01-01"), "pickup_date"),
        (_body(pickup_date=_years(6).isoformat(), drop_date=_years(6).isoformat()), "pickup_date"),
    ):
        resp = client.post(f"{API}/freight/loads", json=body, headers=h)
        assert field in assert_error(resp, 400, "invalid")["fields"], body  # type: ignore[operator]
    for body, field in (
        ({"pickup_date": "9999-12-31"}, "pickup_date"),
        ({"drop_date": "9999-12-31"}, "drop_date"),
        ({"pickup_date": "0001-01-01"}, "pickup_date"),
    ):
        resp = client.post(f"{API}/freight/quotes/{quote}/convert", json=body, headers=h)
        assert field in assert_error(resp, 400, "invalid")["fields"], body  # type: ignore[operator]
    assert (_count(Load), _count(LoadEvent), _count(AuditLog)) == before

    # Within the bounds: accepted.
    ahead = _years(4).isoformat()
    ok = client.post(
        f"{API}/freight/loads", json=_body(pickup_date=ahead, drop_date=ahead), headers=h
    )
    assert ok.status_code == 201, ok.text


def test_a_billing_date_of_9999_is_refused(org_demo, client: TestClient) -> None:
    h = as_user(CEO)
    load = make_load(CEO, pickup_date=_today().isoformat(), drop_date=_today().isoformat())
    carrier = make_carrier()
    url = f"{API}/freight/loads/{load.id}"
    assert client.patch(url, json={"status": "WORKING"}, headers=h).status_code == 200
    covered = client.patch(url, json={"status": "COVERED", "carrier_id": carrier.id}, headers=h)
    assert covered.status_code == 200, covered.text
    for billing in ("9999-12-31", "0001-01-01"):
        resp = client.patch(url, json={"status": "DELIVERED", "billing_date": billing}, headers=h)
        err = assert_error(resp, 400, "invalid")
        assert "billing_date" in err["fields"]  # type: ignore[operator]
    for instant in ("9999-12-31T23:00:00Z", "0001-01-01T00:00:00+05:00"):
        resp = client.patch(url, json={"status": "DELIVERED", "delivered_at": instant}, headers=h)
        assert "delivered_at" in assert_error(resp, 400, "invalid")["fields"]  # type: ignore[operator]
    assert client.get(url, headers=h).json()["load"]["status"] == "COVERED"
    ok = client.patch(
        url, json={"status": "DELIVERED", "billing_date": _today().isoformat()}, headers=h
    )
    assert ok.status_code == 200 and ok.json()["billing_date"] == _today().isoformat()


def test_the_web_gets_the_same_bounds_from_the_domain(org_demo) -> None:
    """The web app calls the same services: a date out of bounds is Invalid, never an
    OverflowError."""
    with pytest.raises(Invalid) as err:
        parse(LoadInput, _body(pickup_date="9999-12-31", drop_date="9999-12-31"))
    assert set(err.value.fields) == {"pickup_date", "drop_date"}
    head = actor(HEAD)
    with read_only() as uow:
        for start, end, field in (
            (None, date(1, 1, 1), "end"),
            (date(9999, 12, 20), None, "start"),
            (date(9999, 12, 20), date(9999, 12, 31), "start"),
        ):
            with pytest.raises(Invalid) as err:
                queries.freight_dashboard(uow, head, start, end)
            assert field in err.value.fields
        with pytest.raises(Invalid) as err:
            queries.list_loads(uow, head, queries.LoadFilter(date_to=date(9999, 12, 31)))
        assert "date_to" in err.value.fields


# -- strict ids -----------------------------------------------------------------------------------


def test_true_is_not_an_id(org_demo, client: TestClient) -> None:
    h = as_user(CEO)
    _body()  # its customer exists before counting
    before = _count(Load)
    link = {"label": "Docs", "url": "https://docs.example/", "owner": "venture"}
    for value in (True, 1.0, "1"):
        resp = client.post(f"{API}/quick-links", json=link | {"venture_id": value}, headers=h)
        assert "venture_id" in assert_error(resp, 400, "invalid")["fields"], value  # type: ignore[operator]
    for field in ("venture_id", "office_id", "customer_id", "sales_user_id", "miles"):
        resp = client.post(f"{API}/freight/loads", json=_body(**{field: True}), headers=h)
        assert field in assert_error(resp, 400, "invalid")["fields"], field  # type: ignore[operator]
    load = make_load(CEO, pickup_date=_today().isoformat(), drop_date=_today().isoformat())
    resp = client.patch(
        f"{API}/freight/loads/{load.id}",
        json={"status": "COVERED", "carrier_id": True},
        headers=h,
    )
    assert "carrier_id" in assert_error(resp, 400, "invalid")["fields"]  # type: ignore[operator]
    send = {"load_id": load.id, "channel": "SMS", "carrier_ids": [True], "body": "Load?"}
    resp = client.post(f"{API}/freight/outreach", json=send, headers=h)
    assert "carrier_ids" in str(assert_error(resp, 400, "invalid")["fields"])
    resp = client.post(f"{API}/freight/outreach/1/award", json={"carrier_id": True}, headers=h)
    assert "carrier_id" in assert_error(resp, 400, "invalid")["fields"]  # type: ignore[operator]
    resp = client.put(f"{API}/quick-links/order", json={"ids": [True]}, headers=h)
    assert "ids" in str(assert_error(resp, 400, "invalid")["fields"])
    resp = client.post(f"{API}/auth/tokens", json={"days": True}, headers=h)
    assert "days" in assert_error(resp, 400, "invalid")["fields"]  # type: ignore[operator]
    assert _count(Load) == before + 1  # make_load's only

    # The domain inputs refuse it for every interface.
    with pytest.raises(Invalid) as err:
        parse(LoadInput, _body(venture_id=True))
    assert set(err.value.fields) == {"venture_id"}


# -- the error envelope ---------------------------------------------------------------------------


def _reflex_like() -> Callable[..., Any]:
    """The app as served: Reflex mounts its own app inside ours and ours inside a top-level
    Starlette app (``rx.App(api_transformer=api)``); rxapp wraps that with
    ``envelope_api_errors``."""
    from rxapp.api.app import envelope_api_errors

    inner = create_api()
    inner.mount("", PlainTextResponse("reflex"))
    top = Starlette()
    top.mount("", inner)
    return envelope_api_errors(top)


def test_framework_errors_are_the_envelope_too(org_demo, client: TestClient) -> None:
    h = as_user(CEO)
    big = b'{"label": "' + b"x" * 2_000_000 + b'"}'
    for path in ("/quick-links", "/freight/loads"):
        resp = client.post(
            f"{API}{path}", content=big, headers=h | {"Content-Type": "application/json"}
        )
        assert_error(resp, 413, "too_large")
    assert_error(client.request("TRACE", f"{API}/me", headers=h), 405, "method_not_allowed")

    with TestClient(_reflex_like()) as served:
        for path in (
            f"{API}/freight/loads/%0A",
            f"{API}/%0Afoo",
            f"{API}/freight/loads%0A/1",
        ):
            resp = served.get(path, headers=h)
            assert resp.status_code in (400, 404), (path, resp.status_code, resp.text)
            assert_error(
                resp, resp.status_code, "invalid" if resp.status_code == 400 else "not_found"
            )
        resp = served.post(
            f"{API}/quick-links", content=big, headers=h | {"Content-Type": "application/json"}
        )
        assert_error(resp, 413, "too_large")
        # Everything else is the web app's, untouched.
        assert served.get("/some/page").text == "reflex"


def test_the_served_app_is_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the server runs (``rxapp.rxapp:app``, called as a factory) is Reflex's top-level app
    inside ``envelope_api_errors``: the wrapping ``_reflex_like`` stands for above."""
    import reflex as rx

    import rxapp.rxapp as served
    from rxapp.api.errors import ApiErrorEnvelope

    reflex_top = PlainTextResponse("reflex")
    monkeypatch.setattr(rx.App, "__call__", lambda self: reflex_top)
    wrapped = served.app()
    assert isinstance(wrapped, ApiErrorEnvelope) and wrapped.app is reflex_top


# -- duplicates -----------------------------------------------------------------------------------


def test_a_duplicate_reference_is_409_naming_the_field(org_demo, client: TestClient) -> None:
    h = as_user(CEO)
    body = _body(reference="DUP-1")
    assert client.post(f"{API}/freight/loads", json=body, headers=h).status_code == 201
    other = make_load(CEO, pickup_date=_today().isoformat(), drop_date=_today().isoformat())
    quote = _accepted_quote()
    before = (_count(Load), _count(LoadEvent), _count(AuditLog))
    err = assert_error(client.post(f"{API}/freight/loads", json=body, headers=h), 409, "conflict")
    assert err["fields"] == {"reference": "is already used by another load of AFL"}
    # Renaming another load to it, or converting a quote under it: the same answer.
    with pytest.raises(Conflict) as exc, unit_of_work() as uow:
        services.update_load(uow, actor(CEO), other.id, {"reference": "DUP-1"})
    assert set(exc.value.fields) == {"reference"}
    resp = client.post(
        f"{API}/freight/quotes/{quote}/convert", json={"reference": "dup-1"}, headers=h
    )
    assert set(assert_error(resp, 409, "conflict")["fields"]) == {"reference"}  # type: ignore[arg-type]
    assert (_count(Load), _count(LoadEvent), _count(AuditLog)) == before


def test_the_constraint_decides_even_when_the_check_before_misses(
    org_demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check-then-insert race, sequentially: a duplicate the service did not see coming is
    still a Conflict naming the field (the unique constraint), and nothing is half-written."""
    make_load(
        CEO, reference="RACE-0", pickup_date=_today().isoformat(), drop_date=_today().isoformat()
    )
    monkeypatch.setattr("domain.freight.services._common._reference_taken", lambda *a, **k: False)
    before = (_count(Load), _count(LoadEvent), _count(AuditLog))
    with pytest.raises(Conflict) as exc, unit_of_work() as uow:
        services.create_load(uow, actor(CEO), _body(reference="RACE-0"))
    assert exc.value.fields == {"reference": "is already used by another load of AFL"}
    assert (_count(Load), _count(LoadEvent), _count(AuditLog)) == before


def test_every_unique_key_a_user_can_hit_is_a_conflict(org_demo) -> None:
    """Each unique constraint of a table users write (domain/**/models.py): customer code per
    venture, carrier MC and DOT numbers, load reference per venture (above), venture code and
    slug, office name per venture, user email. The duplicate is a Conflict naming the field."""
    ceo, hr = actor(CEO), actor(HR)
    afl = venture_id("AFL")
    with unit_of_work() as uow:
        services.create_customer(uow, ceo, {"venture_id": afl, "name": "A", "code": "ACME"})
        other = services.create_customer(uow, ceo, {"venture_id": afl, "name": "B", "code": "BETA"})
        spare = org_services.create_office(uow, ceo, afl, {"name": "Spare desk"})
    carrier = make_carrier()
    tables = (Customer, Carrier, Venture, Office, User, AuditLog)
    before = [_count(t) for t in tables]

    def conflict(fn: Callable[..., Any], *args: Any) -> set[str]:
        with pytest.raises(Conflict) as exc, unit_of_work() as uow:
            fn(uow, *args)
        return set(exc.value.fields)

    new_customer = {"venture_id": afl, "name": "C", "code": "acme"}
    assert conflict(services.create_customer, ceo, new_customer) == {"code"}
    assert conflict(services.update_customer, ceo, other.id, {"code": "ACME"}) == {"code"}
    new_carrier = {"name": "X", "equipment": "REEFER"}
    same_mc = new_carrier | {"mc_number": carrier.mc_number, "dot_number": "123987"}
    assert conflict(services.create_carrier, ceo, same_mc) == {"mc_number"}
    same_dot = new_carrier | {"mc_number": "123987", "dot_number": carrier.dot_number}
    assert conflict(services.create_carrier, ceo, same_dot) == {"dot_number"}
    venture = {"code": "AFL", "slug": "new-one", "name": "N", "type": "SAAS", "currency": "USD",
               "timezone": "UTC"}  # fmt: skip
    assert conflict(org_services.create_venture, ceo, venture) == {"code"}
    other_slug = venture | {"code": "NEWV", "slug": "ledgerly"}
    assert conflict(org_services.create_venture, ceo, other_slug) == {"slug"}
    assert conflict(org_services.create_office, ceo, afl, {"name": "New York HQ"}) == {"name"}
    assert conflict(org_services.update_office, ceo, spare.id, {"name": "New York HQ"}) == {"name"}
    dup_user = {"email": "CSR.AFL@vcc.example", "name": "Dup", "role": "CSR"}
    assert conflict(org_services.create_user, hr, dup_user) == {"email"}
    assert [_count(t) for t in tables] == before  # nothing half-written


# -- the race on PostgreSQL -----------------------------------------------------------------------

N = 20


def _race(fn: Callable[[], Any]) -> list[Any]:
    """Run ``fn`` in N threads released together by a barrier; each result or exception."""
    barrier = threading.Barrier(N)
    results: list[Any] = [None] * N

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # the test inspects every outcome
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.postgres_only
def test_twenty_units_of_work_racing_on_one_reference_make_one_load(org_demo) -> None:
    assert org_demo.backend == "postgresql"  # postgres_only: the SQLite copy is deselected
    engine = create_engine(org_demo.url, pool_size=N + 1, max_overflow=0)
    ceo = actor(CEO)
    body = _body(reference="RACE-20")
    try:
        with engine.connect() as conn:  # warm the pool: the race is the insert, not the login
            conn.execute(text("select 1"))

        def create() -> str:
            with unit_of_work(engine) as uow:
                uow.session.execute(text("select 1"))
                return services.create_load(uow, ceo, body).reference

        results = _race(create)
    finally:
        engine.dispose()
    created = [r for r in results if isinstance(r, str)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    others = [r for r in results if r not in created and r not in conflicts]
    assert others == [] and len(created) == 1 and len(conflicts) == N - 1
    assert all(
        c.fields == {"reference": "is already used by another load of AFL"} for c in conflicts
    )
    with read_only() as uow:
        rows = uow.session.execute(select(Load.id).where(Load.reference == "RACE-20")).all()
        events = uow.session.execute(
            select(func.count()).select_from(LoadEvent).where(LoadEvent.load_id == rows[0][0])
        ).scalar_one()
    assert len(rows) == 1 and events == 1


@pytest.mark.postgres_only
def test_twenty_api_calls_racing_on_one_reference_answer_201_once_and_409(org_demo) -> None:
    assert org_demo.backend == "postgresql"  # postgres_only: the SQLite copy is deselected
    headers = as_user(CEO)
    body = _body(reference="RACE-API")
    clients = [TestClient(api, raise_server_exceptions=False) for _ in range(N)]

    def post(c: TestClient) -> Any:
        return c.post(f"{API}/freight/loads", json=body, headers=headers)

    barrier = threading.Barrier(N)
    results: list[Any] = [None] * N

    def worker(i: int) -> None:
        barrier.wait()
        results[i] = post(clients[i])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201] + [409] * (N - 1), [r.text for r in results if r.status_code >= 500]
    for r in results:
        if r.status_code == 409:
            assert assert_error(r, 409, "conflict")["fields"] == {
                "reference": "is already used by another load of AFL"
            }
