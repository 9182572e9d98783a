"""Races on PostgreSQL (SQLite serialises writers): the same KPI record upserted from twenty
connections at once leaves one row and no error."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain.bpo import services
from domain.bpo.models import BpoKpiDaily, BpoKpiRecord
from domain.db import read_only, unit_of_work
from tests.helpers import actor, at_once
from tests.integration.bpo.conftest import HEAD, LEAD, build_world
from tests.integration.bpo.test_bpo_services import _kpi

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


@pytest.mark.postgres_only
def test_eight_imports_of_one_kpi_file_at_once_leave_one_record_per_key_from_one_file(
    demo,
) -> None:
    """The import upserts by the unique (campaign, agent, date), never check-then-insert: eight
    connections importing the same 500 keys (each file its own revenue) all succeed, leave one
    record per key, and every record holds the numbers of the same file (each file is applied
    whole, in one transaction)."""
    from tests.integration.bpo.test_bpo_kpi_csv import kpi_csv

    w = build_world()
    who = actor(HEAD)
    base = kpi_csv(["Solar leads"], 500).decode()

    def run(i: int):
        data = base.replace(",3,1,250.00\n", f",3,1,{100 + i}.00\n").encode()
        with unit_of_work() as uow:
            return services.import_kpi_csv(uow, who, w.pbp, data)

    results, errors = at_once(8, run)
    assert errors == [] and len(results) == 8
    assert sorted(r.replaced for r in results)[0] == 0  # the first file created every record
    with read_only() as uow:
        rows = list(uow.session.execute(select(BpoKpiRecord)).scalars())
    assert len(rows) == 500
    assert len({r.revenue for r in rows}) == 1
