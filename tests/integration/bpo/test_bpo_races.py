"""Races on PostgreSQL (SQLite serialises writers): the same KPI record upserted from twenty
connections at once leaves one row and no error."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain.bpo import services
from domain.bpo.models import BpoKpiDaily, BpoKpiRecord
from domain.db import read_only, unit_of_work
from tests.helpers import actor
from tests.integration.bpo.conftest import LEAD, build_world
from tests.integration.bpo.test_bpo_services import _kpi
from tests.integration.hospitality.conftest import at_once

N = 20


@pytest.mark.postgres_only
def test_twenty_upserts_of_one_kpi_record_leave_one_row(demo) -> None:
    w = build_world()
    who = actor(LEAD)

    def upsert(i: int):
        with unit_of_work() as uow:
            return services.upsert_kpi_record(uow, who, _kpi(w, calls=10 + i))

    results, errors = at_once(N, upsert)
    assert errors == [] and len(results) == N
    with read_only() as uow:
        rows = list(uow.session.execute(select(BpoKpiRecord)).scalars())
        assert len(rows) == 1 and rows[0].calls in {10 + i for i in range(N)}
        assert uow.session.execute(select(func.count()).select_from(BpoKpiDaily)).scalar_one() == 1
