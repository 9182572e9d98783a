"""FMCSA in the freight flow, through the real client against a local server: adding a carrier
checks it, covering with a snapshot older than 24 h checks it again, an outage spares carriers
with a good snapshot on file and blocks carriers never checked; the nightly refresh paces
itself under the provider's rate limit."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from domain import clock
from domain.db import read_only, unit_of_work
from domain.errors import Invalid, ServiceUnavailable
from domain.freight import services
from domain.freight.jobs import refresh_carriers, stale_carriers
from domain.freight.models import AuthorityStatus, Load, LoadStatus
from domain.integrations.fmcsa import FmcsaClient, set_carrier_lookup
from tests.helpers import actor
from tests.integration.freight.conftest import carrier_row, make_carrier, make_load

CEO = "ceo@vcc.example"


class FmcsaServer:
    """Answers ``/carriers/<dot>`` with a carrier record; ``status[dot]`` overrides the
    authority code; ``outage`` answers 503 to everything. Counts requests per DOT number."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.outage = False
        self.status: dict[str, str] = {}
        self.requests: dict[str, int] = {}
        server.expect_request(re.compile(r"^/qc/services/carriers/\d+$")).respond_with_handler(
            self._handle
        )

    def _handle(self, request: Request) -> Response:
        dot = request.path.rsplit("/", 1)[-1]
        self.requests[dot] = self.requests.get(dot, 0) + 1
        if self.outage:
            return Response("maintenance", status=503)
        record = {
            "dotNumber": int(dot),
            "legalName": "Carrier",
            "allowedToOperate": "Y",
            "commonAuthorityStatus": self.status.get(dot, "A"),
            "contractAuthorityStatus": "N",
            "safetyRating": "S",
            "bipdInsuranceOnFile": "1000",
        }
        return Response(json.dumps({"content": {"carrier": record}}), status=200)


@pytest.fixture
def fmcsa(httpserver: HTTPServer) -> Iterator[FmcsaServer]:
    server = FmcsaServer(httpserver)
    set_carrier_lookup(
        FmcsaClient("key", httpserver.url_for("/qc/services"), sleep=lambda s: None, attempts=1)
    )
    yield server
    set_carrier_lookup(None)


def _working_load() -> Any:
    load = make_load(CEO)
    with unit_of_work() as uow:
        services.transition_load(uow, actor(CEO), load.id, {"status": "WORKING"})
    return load


def _cover(load_id: int, carrier_id: int) -> Any:
    with unit_of_work() as uow:
        return services.cover_load(uow, actor(CEO), load_id, carrier_id)


def test_adding_a_carrier_stores_what_fmcsa_says(demo, fmcsa: FmcsaServer) -> None:
    fmcsa.status["7000001"] = "I"
    carrier = make_carrier(dot_number="7000001")
    assert fmcsa.requests == {"7000001": 1}
    assert carrier.authority_status is AuthorityStatus.INACTIVE and not carrier.eligible
    with pytest.raises(Invalid, match="FMCSA authority INACTIVE"):
        _cover(_working_load().id, carrier.id)


def test_a_snapshot_younger_than_a_day_is_not_checked_again(demo, fmcsa: FmcsaServer) -> None:
    carrier = make_carrier(dot_number="7000002")
    load = _working_load()
    with clock.frozen(clock.now() + timedelta(hours=23)):
        assert _cover(load.id, carrier.id).status is LoadStatus.COVERED
    assert fmcsa.requests == {"7000002": 1}  # the check when it was added, no other


def test_a_stale_snapshot_is_checked_again_when_covering(demo, fmcsa: FmcsaServer) -> None:
    carrier = make_carrier(dot_number="7000003")
    fmcsa.status["7000003"] = "I"
    with clock.frozen(clock.now() + timedelta(hours=25)):
        with pytest.raises(Invalid, match="FMCSA authority INACTIVE"):
            _cover(_working_load().id, carrier.id)
        assert fmcsa.requests == {"7000003": 2}
    assert carrier_row(carrier.id).authority_status is AuthorityStatus.INACTIVE


def test_an_outage_spares_a_carrier_with_a_good_snapshot(demo, fmcsa: FmcsaServer) -> None:
    carrier = make_carrier(dot_number="7000004")
    checked = carrier.fmcsa_checked_at
    load = _working_load()
    fmcsa.outage = True
    with clock.frozen(clock.now() + timedelta(days=3)):
        view = _cover(load.id, carrier.id)
    assert view.status is LoadStatus.COVERED
    row = carrier_row(carrier.id)
    assert row.fmcsa_checked_at == checked  # the page shows its age: three days
    assert fmcsa.requests["7000004"] == 2


def test_an_outage_blocks_covering_with_a_carrier_never_checked(demo, fmcsa: FmcsaServer) -> None:
    fmcsa.outage = True
    carrier = make_carrier(dot_number="7000005")  # added during the outage: unchecked
    assert carrier.fmcsa_checked_at is None
    load = _working_load()
    with pytest.raises(ServiceUnavailable, match="never been checked with FMCSA"):
        _cover(load.id, carrier.id)
    with read_only() as uow:
        assert uow.session.get(Load, load.id).status is LoadStatus.WORKING  # type: ignore[union-attr]
    fmcsa.outage = False
    assert _cover(load.id, carrier.id).status is LoadStatus.COVERED  # FMCSA is back


def test_an_outage_keeps_refusing_a_carrier_whose_last_snapshot_failed(
    demo, fmcsa: FmcsaServer
) -> None:
    fmcsa.status["7000006"] = "I"
    carrier = make_carrier(dot_number="7000006")
    fmcsa.outage = True
    with clock.frozen(clock.now() + timedelta(days=2)), pytest.raises(Invalid, match="INACTIVE"):
        _cover(_working_load().id, carrier.id)


def test_nightly_refresh_checks_stale_active_carriers_within_the_rate_limit(
    demo, fmcsa: FmcsaServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from domain.settings import get_settings

    monkeypatch.setattr(get_settings().integrations, "fmcsa_per_minute", 30)
    ids = [make_carrier(dot_number=f"71000{i:02d}").id for i in range(4)]
    later = clock.now() + timedelta(days=2)
    with clock.frozen(later):
        due = [c for c in stale_carriers(_engine(), later) if c["carrier_id"] in ids]
        assert len(due) == 4
        waits: list[float] = []
        lookup = FmcsaClient(
            "key", fmcsa.server.url_for("/qc/services"), sleep=lambda s: None, attempts=1
        )
        count, done = refresh_carriers(_engine(), later, due, lookup=lookup, sleep=waits.append)
        assert count == 4 and done == due  # the candidates' rows: what a dry run lists
        assert waits == [2.0, 2.0, 2.0]  # 30 a minute: one lookup every 2 s
        assert not [c for c in stale_carriers(_engine(), later) if c["carrier_id"] in ids]


def _engine() -> Any:
    from domain.db import get_engine

    return get_engine()
