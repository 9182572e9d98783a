"""A backfill writes each day in its own transaction (the incentives issue); ``write_days``
(domain/incentives/commit.py) can also write a block of days per transaction. Either way each
(venture, day) must end with the rows one commit of that day writes (spec/incentives.md,
"IncentiveDaily and the commit"), under the same per-day lock as a commit. On SQLite and
PostgreSQL; the lock and the races on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import exc, select

from domain import clock
from domain.db import get_engine, read_only
from domain.incentives.commit import (
    backfill,
    commit_incentives,
    lock_day,
    write_days,
    write_engine,
)
from domain.org.models import Venture
from tests.helpers import at_once, venture_id
from tests.integration.incentives.conftest import rows_of, without_run


def _yesterday() -> date:
    """AFL's yesterday: inside the demo's committed days."""
    with read_only() as uow:
        tz = uow.session.execute(select(Venture.timezone).where(Venture.code == "AFL")).scalar_one()
    return clock.today(tz) - timedelta(days=1)


def _expected(vid: int, start: date, end: date) -> dict[date, list[tuple[int, str, str]]]:
    """Per day, what a dry-run commit of that day alone computes."""
    out = {}
    day = start
    while day <= end:
        rows = commit_incentives(vid, day, run_id=None, dry_run=True).rows
        out[day] = [(r.user_id, r.currency, str(r.amount)) for r in rows]
        day += timedelta(days=1)
    return out


def _stored(code: str, start: date, end: date) -> dict[date, list[tuple[int, str, str]]]:
    out = {}
    day = start
    while day <= end:
        out[day] = [(r["user_id"], r["currency"], str(r["amount"])) for r in rows_of(code, day)]
        day += timedelta(days=1)
    return out


def test_a_backfill_in_blocks_of_days_leaves_each_day_as_its_own_commit_would(demo) -> None:
    vid = venture_id("AFL")
    end = _yesterday()
    start = end - timedelta(days=9)
    expected = _expected(vid, start, end)
    assert any(expected.values())
    result = backfill(vid, start, end, run_id=None, dry_run=True)
    engine = get_engine()
    seen: list[date] = []
    with write_engine(engine).connect() as conn:  # blocks of 3 days: 3 + 3 + 3 + 1
        write_days(
            conn,
            vid,
            start,
            end,
            result.rows,
            "block-run",
            days_per_transaction=3,
            progress=lambda d, n: seen.append(d),
        )
    assert seen == [start + timedelta(days=i) for i in range(10)]  # each day once, in order
    assert _stored("AFL", start, end) == expected
    for day in expected:
        assert {r["run_id"] for r in rows_of("AFL", day)} <= {"block-run"}
        before = rows_of("AFL", day)
        commit_incentives(vid, day, run_id="one-day", dry_run=False)
        assert without_run(rows_of("AFL", day)) == without_run(before)


def test_a_failing_block_keeps_its_days_previous_rows(demo) -> None:
    vid = venture_id("AFL")
    end = _yesterday()
    start = end - timedelta(days=5)
    before = {d: rows_of("AFL", d) for d in _expected(vid, start, end)}
    assert any(before.values())  # the demo committed these days
    result = backfill(vid, start, end, run_id=None, dry_run=True)
    broken = list(result.rows)
    broken.append(broken[0])  # a second row of the same (user, day, currency): unique violation
    engine = get_engine()
    with pytest.raises(exc.IntegrityError), write_engine(engine).connect() as conn:
        write_days(conn, vid, start, end, broken, "broken-run", days_per_transaction=31)
    assert {d: rows_of("AFL", d) for d in before} == before


def test_a_backfill_writes_each_day_in_its_own_transaction(demo) -> None:
    """A failure on one day leaves the days before it written by the backfill and the days from
    it on as they were."""
    vid = venture_id("AFL")
    end = _yesterday()
    start = end - timedelta(days=5)
    before = {d: rows_of("AFL", d) for d in _expected(vid, start, end)}
    result = backfill(vid, start, end, run_id=None, dry_run=True)
    bad_day = start + timedelta(days=3)
    on_bad_day = [r for r in result.rows if r.business_date == bad_day]
    assert on_bad_day and all(before.values())
    broken = [*result.rows, on_bad_day[0]]  # a second row of one (user, day, currency)
    with pytest.raises(exc.IntegrityError), write_engine(get_engine()).connect() as conn:
        write_days(conn, vid, start, end, broken, "per-day-run")
    for day, rows in before.items():
        runs = {r["run_id"] for r in rows_of("AFL", day)}
        if day < bad_day:
            assert runs == {"per-day-run"}, day
        else:
            assert rows_of("AFL", day) == rows, day


@pytest.mark.postgres_only
def test_a_block_waits_for_the_lock_of_each_of_its_days(demo) -> None:
    """The block takes the same lock as a commit of one of its days (not another lock space)."""
    vid = venture_id("AFL")
    end = _yesterday()
    start = end - timedelta(days=20)
    held = end - timedelta(days=7)
    engine = get_engine()
    with engine.connect() as holder, holder.begin():
        lock_day(holder, vid, held)
        with write_engine(engine).connect() as conn:
            conn.exec_driver_sql("SET lock_timeout = '300ms'")  # this session only
            conn.commit()
            try:
                with pytest.raises(exc.OperationalError, match="lock timeout"):
                    write_days(conn, vid, start, end, [], "waits", days_per_transaction=31)
            finally:
                conn.exec_driver_sql("RESET lock_timeout")
                conn.commit()
    assert rows_of("AFL", held)  # nothing was deleted


@pytest.mark.postgres_only
def test_overlapping_backfills_and_commits_at_once_leave_each_day_as_one_commit(demo) -> None:
    vid = venture_id("AFL")
    end = _yesterday()
    start = end - timedelta(days=44)
    expected = _expected(vid, start, end)
    engine = get_engine()
    ranges = [(start, end), (start + timedelta(days=10), end), (start, end - timedelta(days=20))]
    singles = [end, start + timedelta(days=15), start + timedelta(days=31)]

    def work(i: int) -> None:
        if i < len(ranges):
            a, b = ranges[i]
            backfill(vid, a, b, run_id=f"fill-{i}", dry_run=False, engine=engine)
        else:
            day = singles[i - len(ranges)]
            commit_incentives(vid, day, run_id=f"day-{i}", dry_run=False, engine=engine)

    for _ in range(3):
        assert at_once(len(ranges) + len(singles), work)[1] == []  # no deadlock, no error
        assert _stored("AFL", start, end) == expected
        for day in expected:
            assert len({r["run_id"] for r in rows_of("AFL", day)}) <= 1
