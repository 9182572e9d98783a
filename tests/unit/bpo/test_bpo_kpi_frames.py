"""The span path's compute (Polars, ``compute_frames``) gives the rows of the definitions
(``compute_day`` over each day's calls and QA scores): ratios of sums, ``None`` for a zero
denominator, talk seconds from the call's ends (none while a call has no end), business dates in
each venture's timezone (DST included), a day with only QA scores, no row for an empty day."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import polars as pl

from domain import clock
from domain.bpo.kpi import CALLS_SCHEMA, QA_SCHEMA, CallFacts, compute_day, compute_frames

TZ = {1: "Asia/Kolkata", 2: "America/New_York"}
START, END = date(2026, 10, 30), date(2026, 11, 3)  # New York leaves DST on 1 November


def _world(seed: int) -> tuple[list[tuple], list[tuple]]:
    rng = random.Random(seed)
    calls, qa = [], []
    t0 = datetime(2026, 10, 29, 12, 0, tzinfo=UTC)  # to 3 November 00:00 UTC: none on END in NY
    for _ in range(400):
        vid = rng.choice([1, 2])
        started = t0 + timedelta(
            seconds=rng.randrange(4 * 86400 + 43200), microseconds=rng.randrange(10**6)
        )
        connected = rng.random() < 0.4
        ended = None if rng.random() < 0.1 else started + timedelta(seconds=rng.uniform(0, 900))
        won = connected and rng.random() < 0.3
        revenue = Decimal(rng.randint(100, 99999)) / 100 if won else Decimal("0.00")
        calls.append(
            (
                vid,
                started,
                ended,
                rng.randint(1, 3),
                int(connected),
                int(connected and rng.random() < 0.5),
                int(won),
                int(revenue * 100),
            )
        )
    for vid in (1, 2):
        for d in range(8):
            day = START - timedelta(days=1) + timedelta(days=d)
            for _ in range(rng.randint(0, 3)):
                qa.append((vid, day, rng.randint(0, 100_000_000)))
    # a day of venture 2 with QA scores and no call, inside the range
    qa.append((2, END, 87_500_000))
    return calls, qa


def _by_definition(calls: list[tuple], qa: list[tuple]) -> list:
    facts: dict[tuple[int, date], list[CallFacts]] = defaultdict(list)
    for vid, s, e, dials, conn, appt, won, cents in calls:
        day = clock.business_date(s, TZ[vid])
        facts[(vid, day)].append(
            CallFacts(s, e, dials, bool(conn), bool(appt), bool(won), Decimal(cents) / 100)
        )
    scores: dict[tuple[int, date], list[Decimal]] = defaultdict(list)
    for vid, day, micro in qa:
        scores[(vid, day)].append(Decimal(micro) / 1_000_000)
    rows = []
    for vid in sorted(TZ):
        day = START
        while day <= END:
            row = compute_day(vid, day, facts.get((vid, day), []), scores.get((vid, day), []))
            if row is not None:
                rows.append(row)
            day += timedelta(days=1)
    return rows


def test_the_polars_span_gives_the_rows_of_the_definitions() -> None:
    for seed in (1, 2, 3):
        calls, qa = _world(seed)
        got = compute_frames(
            pl.DataFrame(calls, schema=CALLS_SCHEMA, orient="row"),
            pl.DataFrame(qa, schema=QA_SCHEMA, orient="row"),
            TZ,
            START,
            END,
        )
        assert got == _by_definition(calls, qa)
        assert any(r.dials == 0 and r.avg_qa is not None and r.connect_rate is None for r in got)


def test_no_call_no_score_no_row_and_zero_denominators_are_none() -> None:
    t = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
    calls = [(1, t, t + timedelta(seconds=42), 2, 0, 0, 0, 0)]
    got = compute_frames(
        pl.DataFrame(calls, schema=CALLS_SCHEMA, orient="row"),
        pl.DataFrame([], schema=QA_SCHEMA, orient="row"),
        TZ,
        START,
        END,
    )
    assert len(got) == 1
    row = got[0]
    assert (row.day, row.dials, row.connects, row.connect_rate) == (date(2026, 11, 2), 2, 0, 0)
    assert row.avg_handle_seconds is None and row.conversion is None and row.avg_qa is None
    assert row.talk_minutes == Decimal("0.7")
