"""The demo data depends on its seed and its anchor date only, never on the hour it is made.

The browser tests open loads in the statuses they need (OPEN to mark lost, WORKING to cover,
COVERED for the detail page) from a fresh seed. A seed that read the wall clock left no OPEN load
early in the business day; these tests seed with the clock frozen at awkward hours and weekdays.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import MetaData, select

from domain import clock
from domain.demo import seed
from domain.freight.models import Load, LoadStatus

L = LoadStatus
# Every status the browser tests and the demo walk-through look for, in every freight venture.
NEEDED = {L.OPEN, L.WORKING, L.AT_RISK, L.COVERED, L.IN_TRANSIT, L.DELIVERED, L.LOST}
FREIGHT = ("AFL", "MBR", "RTR")


def _fingerprint(db) -> dict[str, list[tuple]]:
    """Every row of every table, in key order, without the salted password hashes."""
    meta = MetaData()
    meta.reflect(db.engine)
    out = {}
    with db.engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            cols = [c for c in table.columns if c.name != "password_hash"]
            order = list(table.primary_key.columns) or cols
            out[table.name] = [tuple(r) for r in conn.execute(select(*cols).order_by(*order))]
    return out


def _statuses_by_venture(db) -> dict[str, set[LoadStatus]]:
    from domain.org.models import Venture

    with db.engine.connect() as conn:
        rows = conn.execute(
            select(Venture.code, Load.status).join(Venture, Venture.id == Load.venture_id)  # type: ignore[arg-type]
        ).all()
    out: dict[str, set[LoadStatus]] = {}
    for code, status in rows:
        out.setdefault(code, set()).add(LoadStatus(status))
    return out


@pytest.mark.parametrize(
    "wall_clock",
    [
        datetime(2026, 12, 2, 5, 10, tzinfo=UTC),  # the hour a fresh seed once had no OPEN load
        datetime(2026, 12, 6, 23, 55, tzinfo=UTC),  # Sunday night
        datetime(2026, 12, 7, 0, 5, tzinfo=UTC),  # Monday, minutes after the UTC day starts
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # the day the US clocks go back
        datetime(2026, 7, 4, 13, 0, tzinfo=UTC),  # a holiday afternoon
    ],
    ids=lambda d: d.strftime("%a-%Y%m%d-%H%M"),
)
def test_every_status_the_browser_tests_use_at_any_hour(db, wall_clock: datetime) -> None:
    with clock.frozen(wall_clock):
        seed("small", 7, engine=db.engine)
    by_venture = _statuses_by_venture(db)
    for code in FREIGHT:
        missing = NEEDED - by_venture.get(code, set())
        assert not missing, f"{code} has no {sorted(m.value for m in missing)} load"
    with db.engine.connect() as conn:
        latest = conn.execute(select(Load.created_at).order_by(Load.created_at.desc())).first()  # type: ignore[attr-defined]
    assert latest is not None and latest[0] <= wall_clock, "the demo has no future"


def test_same_seed_and_anchor_same_data_at_any_hour(db) -> None:
    with clock.frozen(datetime(2026, 12, 2, 5, 10, tzinfo=UTC)):
        seed("small", 7, engine=db.engine)
    first = _fingerprint(db)
    db.reset()
    with clock.frozen(datetime(2026, 12, 2, 5, 40, tzinfo=UTC)):  # half an hour later
        seed("small", 7, engine=db.engine)
    assert _fingerprint(db) == first
    db.reset()
    with clock.frozen(datetime(2026, 12, 9, 17, 0, tzinfo=UTC)):  # a week later, anchor given
        seed("small", 7, engine=db.engine, anchor=date(2026, 12, 2))
    assert _fingerprint(db) == first


def test_another_seed_or_anchor_is_other_data(db) -> None:
    with clock.frozen(datetime(2026, 12, 2, 9, 0, tzinfo=UTC)):
        seed("small", 7, engine=db.engine)
        first = _fingerprint(db)
        db.reset()
        seed("small", 8, engine=db.engine)
        assert _fingerprint(db)["freight_load"] != first["freight_load"]
        db.reset()
        seed("small", 7, engine=db.engine, anchor=date(2026, 11, 30))
        assert _fingerprint(db)["freight_load"] != first["freight_load"]
